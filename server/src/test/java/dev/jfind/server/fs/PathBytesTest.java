package dev.jfind.server.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathBytesTest {
    @TempDir
    Path tmp;

    @Test
    void nameThatIsNotUtf8SurvivesARoundTripThroughARealDirectory() throws Exception {
        byte[] dir = PathBytes.of(tmp);
        byte[] name = {'x', (byte) 0xff, '\n', (byte) 0xc3, '*', (byte) 0x80, '%', '2', '0', ' '};
        byte[] full = new byte[dir.length + 1 + name.length];
        System.arraycopy(dir, 0, full, 0, dir.length);
        full[dir.length] = '/';
        System.arraycopy(name, 0, full, dir.length + 1, name.length);

        Files.createDirectory(PathBytes.toPath(full));
        try (var listing = Files.list(tmp)) {
            Path listed = listing.findFirst().orElseThrow();
            assertArrayEquals(full, PathBytes.of(listed));
            assertArrayEquals(full, PathBytes.viaUri(listed), "the portable route agrees");
        }
    }

    @Test
    void fastRouteIsInUseUnderTheTestLauncher() {
        assertTrue(PathBytes.isDirect(), "surefire opens java.base/sun.nio.fs as the launcher does");
    }
}
