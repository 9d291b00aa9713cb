package dev.jfind.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's class-data archive is made by the build from a training run (deploy/cds-train.sh)
 * and used by the launcher; a user's first command (--help) neither makes nor replaces it.
 */
class ClientArchiveIT {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final Path ARCHIVE = REPO.resolve("client/target/jfind-client.jsa");
    static final Path CLIENT = REPO.resolve("deploy/bin/jfind-client");

    @TempDir
    Path home;

    private Map<String, String> env(String javaOpts) {
        return Map.of("HOME", home.toString(), "XDG_CACHE_HOME", home.resolve(".cache").toString(),
                "JFIND_SOCKET", home.resolve("no-daemon.sock").toString(), "JFIND_CLIENT_JAVA_OPTS", javaOpts);
    }

    @Test
    void thePackageHasAnArchiveThatASearchLoadsItsClassesFrom() throws Exception {
        assertTrue(Files.isRegularFile(ARCHIVE), "mvn package makes " + ARCHIVE);
        Path log = home.resolve("class-load.log");
        // -Xshare:on: the JVM refuses to start unless it can use the archive
        Commands.Result r = Commands.run(List.of(CLIENT.toString(), "-i", "-c", "report"),
                env("-Xshare:on -Xlog:class+load=info:file=" + log));
        assertEquals(2, r.exit(), "no daemon here: the client says so (and nothing else fails): " + r.err());
        assertTrue(r.err().contains("cannot reach jfindd"), r.err());
        List<String> loaded = Files.readAllLines(log);
        long ours = loaded.stream().filter(l -> l.contains(" dev.jfind.") || l.contains(" io.grpc.")).count();
        long shared = loaded.stream().filter(l -> (l.contains(" dev.jfind.") || l.contains(" io.grpc."))
                && l.contains("source: shared objects file")).count();
        assertTrue(ours > 50, "the search loaded the client's and grpc's classes: " + ours);
        assertTrue(shared >= ours * 9 / 10, "the training covered a search: " + shared + " of " + ours
                + " of the client's and grpc's classes came from the archive");
    }

    @Test
    void helpNeitherMakesNorReplacesAnArchive() throws Exception {
        assertTrue(Files.isRegularFile(ARCHIVE), "mvn package makes " + ARCHIVE);
        Object before = Files.readAttributes(ARCHIVE, "unix:ino,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        Commands.Result r = Commands.run(List.of(CLIENT.toString(), "--help"), env(""));
        assertEquals(0, r.exit(), r.err());
        assertEquals(before, Files.readAttributes(ARCHIVE, "unix:ino,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS),
                "--help left the build's archive as it was");
        try (Stream<Path> made = Files.walk(home)) {
            assertEquals(List.of(home), made.toList(), "--help wrote nothing into the user's home or cache");
        }
    }
}
