package dev.jfind.client.cli;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Paths for a person's terminal. A name may hold a newline, an escape sequence or bytes
 * that are not UTF-8: printed raw they would forge lines or drive the terminal. On a
 * terminal such a path is printed as a bash {@code $'...'} string (as plocate and ls quote
 * them), which a person can paste back into a shell; into a pipe paths stay raw bytes.
 */
final class TerminalQuoting {
    private TerminalQuoting() {}

    /** Whether file descriptor 1 is a terminal (Linux: /proc/self/fd/1 points at a tty). */
    static boolean stdoutIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }

    /** {@code path} itself when it is safe to print, else its {@code $'...'} form. */
    static byte[] quote(byte[] path) {
        if (!needsQuoting(path)) {
            return path;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(path.length + 8);
        out.writeBytes(new byte[] {'$', '\''});
        int i = 0;
        while (i < path.length) {
            int b = path[i] & 0xff;
            int len = b < 0x80 ? 1 : utf8Length(path, i);
            if (len == 0) {
                out.writeBytes(String.format("\\x%02x", b).getBytes(StandardCharsets.US_ASCII));
                i++;
                continue;
            }
            if (len == 1) {
                writeAscii(b, out);
            } else {
                out.write(path, i, len);
            }
            i += len;
        }
        out.write('\'');
        return out.toByteArray();
    }

    private static void writeAscii(int b, ByteArrayOutputStream out) {
        switch (b) {
            case '\n': out.writeBytes("\\n".getBytes(StandardCharsets.US_ASCII)); break;
            case '\t': out.writeBytes("\\t".getBytes(StandardCharsets.US_ASCII)); break;
            case '\r': out.writeBytes("\\r".getBytes(StandardCharsets.US_ASCII)); break;
            case '\\': out.writeBytes("\\\\".getBytes(StandardCharsets.US_ASCII)); break;
            case '\'': out.writeBytes("\\'".getBytes(StandardCharsets.US_ASCII)); break;
            default:
                if (b < 0x20 || b == 0x7f) {
                    out.writeBytes(String.format("\\x%02x", b).getBytes(StandardCharsets.US_ASCII));
                } else {
                    out.write(b);
                }
        }
    }

    static boolean needsQuoting(byte[] path) {
        for (byte b : path) {
            if ((b >= 0 && b < 0x20) || b == 0x7f) {
                return true;
            }
        }
        return !isUtf8(path);
    }

    static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Length of the valid UTF-8 sequence of 2 to 4 bytes at {@code i}, or 0. */
    private static int utf8Length(byte[] s, int i) {
        int b = s[i] & 0xff;
        int len = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
        if (len == 0 || i + len > s.length) {
            return 0;
        }
        for (int k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        return isUtf8(java.util.Arrays.copyOfRange(s, i, i + len)) ? len : 0;
    }
}
