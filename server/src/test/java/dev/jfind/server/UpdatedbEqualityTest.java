package dev.jfind.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jfind.server.testing.Trees;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As root over a tree with a custom updatedb.conf, jfind indexes what {@code updatedb.plocate}
 * + {@code plocate ''} list: pruned names, paths, file system types and bind mounts alike,
 * with jfind's own exclude_name on top. Both run in one private mount namespace (unshare -m)
 * where the tree has a tmpfs and a bind mount, and where the custom file is bind-mounted on
 * /etc/updatedb.conf, the only file updatedb.plocate reads: both parse the very same bytes.
 */
class UpdatedbEqualityTest {
    @TempDir
    Path tmp;

    @Test
    void indexesWhatUpdatedbPlocateIndexesWithTheSameUpdatedbConf() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: mounts in a private namespace");
        for (String tool : List.of("/usr/sbin/updatedb.plocate", "/usr/bin/plocate", "/usr/bin/unshare")) {
            assertTrue(Files.isExecutable(Path.of(tool)), tool + " is missing: install plocate and util-linux"
                    + " (bash .ci/run does)");
        }
        Path base = tmp.toRealPath();
        Path t = Files.createDirectories(base.resolve("t"));
        Files.createDirectories(t.resolve("src/.git/objects"));
        Files.createFile(t.resolve("src/.git/objects/o1"));
        Files.createFile(t.resolve("src/main.c"));
        Files.createFile(t.resolve(".git")); // PRUNENAMES are directory names: a file stays
        Files.createSymbolicLink(t.resolve("src/.hg"), t.resolve("src")); // a link is no directory
        Files.createDirectories(t.resolve("cache/x/y"));
        Files.createFile(t.resolve("cache/x/y/blob"));
        Files.createDirectories(t.resolve("keep/k")); // "…/keep/" in PRUNEPATHS: never matches
        Files.createFile(t.resolve("keep/k/f"));
        Files.createDirectories(t.resolve("deep/a/b/c"));
        Files.createFile(t.resolve("deep/a/b/c/f"));
        Files.createDirectories(t.resolve("web/node_modules/pkg"));
        Files.createFile(t.resolve("web/node_modules/pkg/index.js"));
        byte[] oddName = {'o', 'd', 'd', (byte) 0xff};
        Files.createDirectories(Trees.child(t, oddName).resolve("in"));
        Files.createDirectories(t.resolve("fsmount"));
        Files.createDirectories(t.resolve("bound"));
        Path outside = Files.createDirectories(base.resolve("outside/sub"));
        Files.createFile(outside.resolve("f"));

        ByteArrayOutputStream conf = new ByteArrayOutputStream();
        conf.writeBytes(("# a custom updatedb.conf\n"
                + "PRUNE_BIND_MOUNTS = \"yes\"   # bind mounts are listed, not entered\n"
                + "PRUNEFS=\"NFS TmPfS\"\n"
                + "PRUNEPATHS=\"" + t.resolve("cache") + " " + t.resolve("keep") + "/ " + t.resolve("deep/a/b")
                + "\"\n\n"
                + "\tPRUNENAMES=\".git .hg ").getBytes(StandardCharsets.UTF_8));
        conf.writeBytes(oddName);
        conf.writeBytes("\"\n".getBytes(StandardCharsets.UTF_8));
        Path updatedbConf = Files.write(base.resolve("updatedb.conf"), conf.toByteArray());
        Path jfinddConf = Files.writeString(base.resolve("jfindd.conf"), "root = " + t + "\n"
                + "state_dir = " + base.resolve("state") + "\n"
                + "use_updatedb_conf = true\n"
                + "updatedb_conf = " + updatedbConf + "\n"
                + "exclude_name = node_modules\n");

        Path db = base.resolve("plocate.db");
        Path jfindOut = base.resolve("jfind.out");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "set -e\n"
                + "mount -t tmpfs jfind-test \"$T/fsmount\"\n"
                + "mkdir \"$T/fsmount/d\"; touch \"$T/fsmount/d/f\"\n"
                + "mount --bind \"$OUTSIDE\" \"$T/bound\"\n"
                + "mount --bind \"$CONF\" /etc/updatedb.conf\n"
                + "updatedb.plocate -U \"$T\" -o \"$DB\" -l no\n"
                + "\"$JAVA\" -cp \"$CP\" dev.jfind.server.UpdatedbDump \"$JFINDD_CONF\" > \"$OUT\"\n";
        ProcessBuilder pb = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c", script)
                .redirectErrorStream(true);
        pb.environment().putAll(java.util.Map.of("T", t.toString(), "OUTSIDE", outside.getParent().toString(),
                "CONF", updatedbConf.toString(), "DB", db.toString(), "JAVA", javaBin,
                "CP", System.getProperty("java.class.path"), "JFINDD_CONF", jfinddConf.toString(),
                "OUT", jfindOut.toString()));
        Process p = pb.start();
        byte[] log = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "namespace run timed out");
        assertEquals(0, p.exitValue(), "the run in a private mount namespace failed:\n" + new String(log));

        Process query = new ProcessBuilder("plocate", "-0", "-d", db.toString(), "").start();
        byte[] listed = query.getInputStream().readAllBytes();
        assertTrue(query.waitFor(60, TimeUnit.SECONDS));
        Set<ByteBuffer> plocate = Trees.splitNul(listed);
        Set<ByteBuffer> jfind = Trees.splitNul(Files.readAllBytes(jfindOut));

        // jfind indexes its root itself (find does too; updatedb lists what is below it), and
        // leaves out node_modules with its subtree on top of updatedb.conf's rules.
        Set<ByteBuffer> expected = new java.util.HashSet<>(plocate);
        expected.add(bytes(t.toString()));
        String nm = t.resolve("web/node_modules").toString();
        expected.removeIf(b -> {
            String s = new String(b.array(), StandardCharsets.ISO_8859_1);
            return s.equals(nm) || s.startsWith(nm + "/");
        });
        assertEquals(readable(expected), readable(jfind));
        assertEquals(expected, jfind, "byte for byte");

        // and the test tree exercised every rule: each pruned directory is listed, its content not
        for (String shown : List.of("src/.git", ".git", "src/.hg", "cache", "deep/a/b", "keep/k/f", "fsmount",
                "bound")) {
            assertTrue(plocate.contains(bytes(t.resolve(shown).toString())), shown + " should be listed");
        }
        for (String pruned : List.of("src/.git/objects", "cache/x", "deep/a/b/c", "fsmount/d", "bound/sub")) {
            assertTrue(!plocate.contains(bytes(t.resolve(pruned).toString())), pruned + " should be pruned");
        }
        byte[] oddIn = (t + "/odd").getBytes(StandardCharsets.UTF_8);
        oddIn = java.util.Arrays.copyOf(oddIn, oddIn.length + 4);
        System.arraycopy(new byte[] {(byte) 0xff, '/', 'i', 'n'}, 0, oddIn, oddIn.length - 4, 4);
        assertTrue(!plocate.contains(ByteBuffer.wrap(oddIn)), "a PRUNENAMES entry that is not UTF-8 applies");
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String readable(Set<ByteBuffer> paths) {
        return paths.stream().map(b -> new String(b.array(), b.position(), b.remaining(), StandardCharsets.UTF_8))
                .collect(Collectors.toCollection(TreeSet::new)).stream().collect(Collectors.joining("\n"));
    }
}
