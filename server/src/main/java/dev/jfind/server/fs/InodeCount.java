package dev.jfind.server.fs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * How many inodes a file system has in use (statvfs f_files - f_ffree): a cheap estimate
 * of how many entries a first crawl of it will see, for its progress bar. The JDK has no
 * statvfs for inodes, so this asks stat(1) once per crawl.
 */
public final class InodeCount {
    private InodeCount() {}

    /** Inodes in use on the file system holding {@code path}, or -1 if unknown. */
    public static long used(Path path) {
        try {
            Process p = new ProcessBuilder("stat", "-f", "-c", "%c %d", path.toString())
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return -1;
            }
            String[] f = out.split(" ");
            long used = Long.parseLong(f[0]) - Long.parseLong(f[1]);
            return used > 0 ? used : -1; // some file systems report no inode counts at all
        } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
