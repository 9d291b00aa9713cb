package dev.jfind.server.fs;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Path;

/**
 * Converts between {@link Path} and the exact bytes of a Linux file name.
 *
 * <p>{@code Path.toString()} decodes with the JVM's file-name charset and replaces bytes
 * that are not valid in it, so a name that is not valid UTF-8 would be lost. The JDK's
 * {@code sun.nio.fs.UnixPath} keeps the raw bytes; we read them directly when the launcher
 * opens {@code java.base/sun.nio.fs} (fast: one array copy), and otherwise through the
 * file URI, which percent-encodes every byte losslessly but costs a stat per call.
 *
 * <p>Thread-safe; stateless.
 */
public final class PathBytes {
    private static final MethodHandle AS_BYTE_ARRAY = findAsByteArray();

    private PathBytes() {}

    /** The raw bytes of {@code path}; the caller must not modify the array. */
    public static byte[] of(Path path) {
        if (AS_BYTE_ARRAY != null) {
            try {
                return (byte[]) AS_BYTE_ARRAY.invoke(path);
            } catch (Throwable e) {
                // fall through to the portable route
            }
        }
        return viaUri(path);
    }

    /** The path named by {@code bytes}, byte for byte (no charset involved). */
    public static Path toPath(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != '/') {
            throw new IllegalArgumentException("not an absolute path");
        }
        StringBuilder uri = new StringBuilder("file://");
        for (byte b : bytes) {
            int c = b & 0xff;
            if (isUnreserved(c) || c == '/') {
                uri.append((char) c);
            } else {
                uri.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        return Path.of(URI.create(uri.toString()));
    }

    /**
     * The child {@code name[offset, offset + length)} of {@code parent}, whose full path is
     * {@code path}. An ASCII name is resolved directly (every charset the JDK may use for file
     * names encodes ASCII as itself); any other takes the exact byte route.
     */
    public static Path child(Path parent, byte[] name, int offset, int length, byte[] path) {
        for (int i = offset; i < offset + length; i++) {
            if (name[i] < 0x20) { // also catches every byte >= 0x80 (negative)
                return toPath(path);
            }
        }
        return parent.resolve(new String(name, offset, length, java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Whether the fast route is in use (for diagnostics and tests). */
    public static boolean isDirect() {
        return AS_BYTE_ARRAY != null;
    }

    static byte[] viaUri(Path path) {
        String raw = path.toAbsolutePath().toUri().getRawPath();
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        byte[] bytes = out.toByteArray();
        // toUri() appends '/' to directories; the path itself has none.
        if (bytes.length > 1 && bytes[bytes.length - 1] == '/') {
            return java.util.Arrays.copyOf(bytes, bytes.length - 1);
        }
        return bytes;
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static MethodHandle findAsByteArray() {
        try {
            Class<?> unixPath = FileSystems.getDefault().getPath("/").getClass();
            if (!unixPath.getName().equals("sun.nio.fs.UnixPath")) {
                return null;
            }
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(unixPath, MethodHandles.lookup());
            return lookup.findVirtual(unixPath, "asByteArray", MethodType.methodType(byte[].class))
                    .asType(MethodType.methodType(byte[].class, Path.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // java.base/sun.nio.fs not opened to us: use the URI route
        }
    }
}
