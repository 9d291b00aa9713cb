package dev.jfind.client.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The program's arguments as the exact bytes the shell passed. The JVM decodes arguments
 * with the locale's charset and replaces what does not decode, so a pattern that is not
 * valid UTF-8 (a file name can be anything but '/' and NUL) would be lost; the kernel keeps
 * the bytes in /proc/self/cmdline, where main's arguments are the last ones.
 */
final class RawArgs {
    private final String[] args;
    private final byte[][] raw;

    private RawArgs(String[] args, byte[][] raw) {
        this.args = args;
        this.raw = raw;
    }

    /** For main: reads /proc/self/cmdline; falls back to UTF-8 if it does not line up. */
    static RawArgs ofProcess(String[] args) {
        try {
            List<byte[]> all = split(Files.readAllBytes(Path.of("/proc/self/cmdline")));
            if (all.size() >= args.length) {
                byte[][] mine = all.subList(all.size() - args.length, all.size()).toArray(new byte[0][]);
                if (consistent(args, mine)) {
                    return new RawArgs(args, mine);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: use what the JVM decoded
        }
        return utf8(args);
    }

    /** Arguments that were never bytes (tests, embedding): their UTF-8 encoding. */
    static RawArgs utf8(String[] args) {
        byte[][] raw = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            raw[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return new RawArgs(args, raw);
    }

    /**
     * The raw bytes of {@code value}, one of the parsed argument strings: the argument that
     * is the very same string object (picocli passes them through), else its UTF-8 form.
     */
    byte[] bytesOf(String value) {
        for (int i = 0; i < args.length; i++) {
            if (args[i] == value) {
                return raw[i];
            }
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean consistent(String[] args, byte[][] raw) {
        for (int i = 0; i < args.length; i++) {
            String decoded = new String(raw[i], StandardCharsets.UTF_8);
            // equal, or not valid UTF-8 (which the JVM could not have decoded either)
            if (!decoded.equals(args[i]) && !decoded.contains("\uFFFD")) {
                return false;
            }
        }
        return true;
    }

    private static List<byte[]> split(byte[] cmdline) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                parts.add(java.util.Arrays.copyOfRange(cmdline, start, i));
                start = i + 1;
            }
        }
        if (start < cmdline.length) {
            parts.add(java.util.Arrays.copyOfRange(cmdline, start, cmdline.length));
        }
        return parts;
    }
}
