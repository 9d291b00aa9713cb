package dev.jfind.server.fs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The mount points of this process's mount namespace and their file system types, read
 * from {@code /proc/self/mountinfo}. Immutable; thread-safe.
 */
public final class MountTable {
    private final Map<ByteBuffer, String> typeByMountPoint;

    private MountTable(Map<ByteBuffer, String> typeByMountPoint) {
        this.typeByMountPoint = typeByMountPoint;
    }

    /** Reads the current table; an unreadable table (no /proc) gives an empty one. */
    public static MountTable current() {
        try {
            return parse(Files.readAllBytes(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            return new MountTable(Map.of());
        }
    }

    /** Parses mountinfo text (see proc(5)); later mounts on the same point win. */
    public static MountTable parse(byte[] mountinfo) {
        Map<ByteBuffer, String> types = new HashMap<>();
        String[] lines = new String(mountinfo, StandardCharsets.ISO_8859_1).split("\n");
        for (String line : lines) {
            String[] f = line.split(" ");
            int dash = java.util.Arrays.asList(f).indexOf("-");
            if (f.length < 5 || dash < 0 || dash + 1 >= f.length) {
                continue;
            }
            types.put(ByteBuffer.wrap(unescape(f[4])), f[dash + 1]);
        }
        return new MountTable(types);
    }

    /** The file system type mounted exactly at {@code path}, or null if it is no mount point. */
    public String typeAt(byte[] path) {
        return typeByMountPoint.get(ByteBuffer.wrap(path));
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes (\040 ...). */
    private static byte[] unescape(String field) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.write(Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.write(c); // ISO-8859-1 decoding kept every byte as one char
            }
        }
        return out.toByteArray();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
