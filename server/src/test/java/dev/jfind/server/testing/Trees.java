package dev.jfind.server.testing;

import dev.jfind.server.fs.PathBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Builds test trees with the awkward names real file systems hold, and asks find(1) for the truth. */
public final class Trees {
    /** A name that is not valid UTF-8: 0xFF can never appear in UTF-8. */
    public static final byte[] INVALID_UTF8_NAME = {'b', 'a', 'd', (byte) 0xff, (byte) 0xfe, '.', 't', 'x', 't'};

    private Trees() {}

    /** A child of {@code dir} named by raw bytes. */
    public static Path child(Path dir, byte[] name) {
        byte[] parent = PathBytes.of(dir.toAbsolutePath());
        byte[] full = new byte[parent.length + 1 + name.length];
        System.arraycopy(parent, 0, full, 0, parent.length);
        full[parent.length] = '/';
        System.arraycopy(name, 0, full, parent.length + 1, name.length);
        return PathBytes.toPath(full);
    }

    /**
     * The tree the core issue asks for: spaces, Unicode in NFC and NFD, a newline in a name,
     * a name that is not valid UTF-8, glob characters, a symlink loop, a symlink to a
     * directory, a FIFO, a directory of {@code bigDirEntries} entries and nesting
     * {@code depth} deep.
     */
    public static void awkward(Path root, int bigDirEntries, int depth) throws IOException {
        Path docs = Files.createDirectories(root.resolve("My Documents/Reports 2024"));
        Files.writeString(docs.resolve("Quarterly Report.PDF"), "x");
        Files.writeString(docs.resolve("notes draft.txt"), "hello");
        Path unicode = Files.createDirectories(root.resolve("unicode"));
        Files.createFile(unicode.resolve("caf\u00e9-nfc.txt"));
        Files.createFile(unicode.resolve("cafe\u0301-nfd.txt"));
        Files.createFile(unicode.resolve("\u00c9COLE-upper.txt"));
        Files.createFile(unicode.resolve("\u65e5\u672c\u8a9e\u30d5\u30a1\u30a4\u30eb.md"));
        Files.createFile(unicode.resolve("\u2126mega-\u212aelvin.txt"));
        Files.createFile(root.resolve("line\nbreak.txt"));
        Files.createFile(child(root, INVALID_UTF8_NAME));
        Path globs = Files.createDirectories(root.resolve("globs"));
        Files.createFile(globs.resolve("star*name"));
        Files.createFile(globs.resolve("what?.txt"));
        Files.createFile(globs.resolve("[bracket].txt"));
        Path links = Files.createDirectories(root.resolve("links"));
        Files.createSymbolicLink(links.resolve("loop"), links);
        Files.createSymbolicLink(links.resolve("to-docs"), docs);
        Files.createSymbolicLink(links.resolve("dangling"), root.resolve("does-not-exist"));
        run("mkfifo", root.resolve("a-fifo").toString());
        Path big = Files.createDirectories(root.resolve("big"));
        for (int i = 0; i < bigDirEntries; i++) {
            Files.createFile(big.resolve(String.format("file-%05d.dat", i)));
        }
        Path deep = root.resolve("deep");
        for (int i = 0; i < depth; i++) {
            deep = deep.resolve("d" + i);
        }
        Files.createDirectories(deep);
        Files.createFile(deep.resolve("bottom.txt"));
    }

    /** Deletes {@code root} and everything below it (links are removed, not followed). */
    public static void deleteRecursively(Path root) throws IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Every path {@code find ROOT} lists, as raw bytes. */
    public static Set<ByteBuffer> find(Path root) throws IOException {
        byte[] out = run("find", root.toString(), "-print0");
        return splitNul(out);
    }

    /** Like {@link #find}, but find's exit status 1 (it warned, e.g. of a file system loop) is fine. */
    public static Set<ByteBuffer> findDespiteWarnings(Path root) throws IOException {
        Process p = new ProcessBuilder("find", root.toString(), "-print0").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        try {
            int code = p.waitFor();
            if (code > 1) {
                throw new IOException("find exited " + code);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return splitNul(out);
    }

    public static Set<ByteBuffer> splitNul(byte[] out) {
        Set<ByteBuffer> paths = new HashSet<>();
        int start = 0;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                paths.add(ByteBuffer.wrap(java.util.Arrays.copyOfRange(out, start, i)));
                start = i + 1;
            }
        }
        return paths;
    }

    /** The paths of {@code all} containing {@code pattern}, the way the oracle decides. */
    public static Set<ByteBuffer> containing(Set<ByteBuffer> all, byte[] pattern) {
        Set<ByteBuffer> hits = new HashSet<>();
        for (ByteBuffer p : all) {
            if (indexOf(p.array(), pattern) >= 0) {
                hits.add(p);
            }
        }
        return hits;
    }

    /** Case-insensitive containment as people mean it: both sides lower-cased as Unicode text. */
    public static Set<ByteBuffer> containingIgnoreCase(Set<ByteBuffer> all, String pattern) {
        Set<ByteBuffer> hits = new HashSet<>();
        String folded = foldText(pattern);
        for (ByteBuffer p : all) {
            if (foldText(new String(p.array(), StandardCharsets.UTF_8)).contains(folded)) {
                hits.add(p);
            }
        }
        return hits;
    }

    private static String foldText(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
        return b.toString();
    }

    /** The index of the last {@code b} in {@code bytes}, or -1. */
    public static int lastIndexOf(byte[] bytes, byte b) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    public static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    public static byte[] run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        try {
            int code = p.waitFor();
            if (code != 0) {
                throw new IOException(String.join(" ", command) + " exited " + code);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }

    /**
     * How {@code actual} differs from {@code expected}, for a failure message: the first few
     * paths missing and extra, and how many of each.
     */
    public static String differences(Set<ByteBuffer> expected, Set<ByteBuffer> actual) {
        Set<ByteBuffer> missing = new java.util.HashSet<>(expected);
        missing.removeAll(actual);
        Set<ByteBuffer> extra = new java.util.HashSet<>(actual);
        extra.removeAll(expected);
        return "missing " + readable(missing).stream().limit(5).toList() + " (" + missing.size() + "), extra "
                + readable(extra).stream().limit(5).toList() + " (" + extra.size() + ")";
    }

    public static List<String> readable(Set<ByteBuffer> paths) {
        List<String> out = new ArrayList<>();
        paths.forEach(p -> out.add(new String(p.array(), StandardCharsets.UTF_8)));
        java.util.Collections.sort(out);
        return out;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static ByteArrayOutputStream bytes() {
        return new ByteArrayOutputStream();
    }
}
