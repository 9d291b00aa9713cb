package dev.jfind.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API passes {@code buf lint} with buf's STANDARD rules (proto/buf.yaml), so names,
 * enum zero values and package versioning keep to the conventions other languages'
 * generators expect. buf comes from the npm registry at a pinned version through npx.
 */
class ProtoLintIT {
    /** Pinned: a newer buf may add rules, which should be a deliberate upgrade, not a red build. */
    static final String BUF = "@bufbuild/buf@1.75.0";

    @BeforeAll
    static void npxIsThere() throws Exception {
        assertEquals(0, Launched.shell(Map.of(), "command -v npx").exit(),
                "buf lint runs through npx: apt-get install nodejs npm (.ci/run does)");
    }

    private static Launched.Result buf(Path dir, String... args) throws Exception {
        return Launched.shell(Map.of(), "cd " + ApiDaemon.quote(dir) + " && npx --yes " + BUF + " "
                + String.join(" ", args));
    }

    @Test
    void theApiPassesBufLint() throws Exception {
        Launched.Result files = buf(Launched.REPO, "ls-files", "proto");
        assertEquals(0, files.exit(), files.stderr());
        assertTrue(files.out().contains("jfind/v1/jfind.proto"), "buf.yaml must cover the API: " + files.out());
        Launched.Result lint = buf(Launched.REPO, "lint", "proto");
        assertEquals(0, lint.exit(), () -> "buf lint proto:\n" + lint.out() + lint.stderr());
    }

    /** Guards the guard: with proto/buf.yaml as it is, a badly named message must be caught. */
    @Test
    void bufLintCatchesAViolation(@TempDir Path tmp) throws Exception {
        Path proto = tmp.resolve("proto");
        Path api = Files.createDirectories(proto.resolve("src/main/proto/jfind/v1")).resolve("jfind.proto");
        Files.copy(Launched.REPO.resolve("proto/buf.yaml"), proto.resolve("buf.yaml"));
        Files.copy(Launched.REPO.resolve("proto/src/main/proto/jfind/v1/jfind.proto"), api);
        Files.writeString(api, "\n// Bad name.\nmessage bad_name {}\n", StandardOpenOption.APPEND);
        Launched.Result lint = buf(tmp, "lint", "proto");
        assertNotEquals(0, lint.exit(), "buf lint passed a message named bad_name");
        assertTrue(lint.out().contains("bad_name"), lint.out() + lint.stderr());
    }
}
