package dev.jfind.client.cli;

import dev.jfind.api.v1.FileType;
import dev.jfind.api.v1.PathEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;

/**
 * Writes results in the chosen format: plain lines (the default), NUL-terminated (-0),
 * JSON lines (--json) or long lines (--long: type, size, mtime, path). Paths are the raw
 * bytes from the daemon, quoted only for a terminal.
 */
final class PathOutput {
    enum Format { LINES, JSON, LONG }

    private static final DateTimeFormatter LONG_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault());

    private final OutputStream out;
    private final Format format;
    private final byte terminator;
    private final boolean quote;

    /**
     * @param quoteForTerminal print unsafe paths as $'...' (a terminal, without -N)
     */
    PathOutput(OutputStream out, Format format, boolean nul, boolean quoteForTerminal) {
        this.out = out;
        this.format = format;
        this.terminator = nul ? (byte) 0 : (byte) '\n';
        this.quote = quoteForTerminal && !nul && format != Format.JSON;
    }

    /** Writes one entry; {@code event} ("existing", "added", "removed") or null outside --follow --events. */
    void write(PathEntry entry, String event) throws IOException {
        byte[] path = entry.getPath().toByteArray();
        switch (format) {
            case JSON:
                Json json = new Json();
                if (event != null) {
                    json.field("event", event);
                }
                json.field("path", surrogateEscaped(path));
                if (!TerminalQuoting.isUtf8(path)) {
                    json.field("path_b64", Base64.getEncoder().encodeToString(path));
                }
                json.field("type", typeWord(entry.getType()))
                        .field("size", entry.getSize())
                        .field("mtime", Instant.ofEpochSecond(entry.getModifyTime().getSeconds(),
                                entry.getModifyTime().getNanos()).toString());
                out.write(json.end().getBytes(StandardCharsets.UTF_8));
                out.write(terminator);
                return;
            case LONG:
                marker(event);
                String head = String.format(Locale.ROOT, "%s %12d %s ", typeLetter(entry.getType()), entry.getSize(),
                        LONG_TIME.format(Instant.ofEpochSecond(entry.getModifyTime().getSeconds())));
                out.write(head.getBytes(StandardCharsets.UTF_8));
                break;
            default:
                marker(event);
        }
        out.write(quote ? TerminalQuoting.quote(path) : path);
        out.write(terminator);
    }

    /** --follow --events: "= " a match that existed, "+ " one that appeared, "- " one that went. */
    private void marker(String event) throws IOException {
        if (event != null) {
            String m = event.equals("removed") ? "- " : event.equals("added") ? "+ " : "= ";
            out.write(m.getBytes(StandardCharsets.US_ASCII));
        }
    }

    void flush() throws IOException {
        out.flush();
    }

    static String typeWord(FileType type) {
        switch (type) {
            case FILE_TYPE_FILE:
                return "file";
            case FILE_TYPE_DIRECTORY:
                return "directory";
            case FILE_TYPE_SYMLINK:
                return "symlink";
            default:
                return "other";
        }
    }

    private static String typeLetter(FileType type) {
        switch (type) {
            case FILE_TYPE_FILE:
                return "f";
            case FILE_TYPE_DIRECTORY:
                return "d";
            case FILE_TYPE_SYMLINK:
                return "l";
            default:
                return "o";
        }
    }

    /**
     * The path as a JSON string without losing a byte: valid UTF-8 as itself, every other
     * byte 0xXY as the lone surrogate U+DCXY (Python's "surrogateescape": in Python,
     * {@code s.encode('utf-8', 'surrogateescape')} gives the bytes back). Such paths also
     * get a "path_b64" field for readers whose JSON library rejects lone surrogates.
     */
    static String surrogateEscaped(byte[] path) {
        StringBuilder s = new StringBuilder(path.length);
        int i = 0;
        while (i < path.length) {
            int b = path[i] & 0xff;
            if (b < 0x80) {
                s.append((char) b);
                i++;
                continue;
            }
            int len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
            if (len > 0 && i + len <= path.length && TerminalQuoting.isUtf8(java.util.Arrays.copyOfRange(path, i, i + len))) {
                s.append(new String(path, i, len, StandardCharsets.UTF_8));
                i += len;
            } else {
                s.append((char) (0xDC00 + b));
                i++;
            }
        }
        return s.toString();
    }
}
