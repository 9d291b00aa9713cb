package dev.jfind.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's {@code /etc/updatedb.conf}, read as plocate's {@code updatedb} reads it (see
 * updatedb.conf(5)): lines {@code VARIABLE = "VALUE"}, white space between tokens ignored,
 * {@code #} outside quotes starts a comment to the end of the line, no escapes inside the
 * quotes and no value over two lines; the variables are PRUNE_BIND_MOUNTS (exactly 0, no, 1
 * or yes), PRUNEFS, PRUNENAMES and PRUNEPATHS (white-space separated lists), each at most
 * once; anything else is an error. A missing file gives plocate's built-in defaults: nothing
 * pruned, bind mounts entered. Values are kept as bytes (each char of a value is one byte,
 * ISO-8859-1), since file names are bytes. Immutable.
 *
 * @param file where it was read from
 * @param present false when the file does not exist (the defaults apply)
 * @param pruneBindMounts PRUNE_BIND_MOUNTS; false by default
 * @param pruneBindMountsLine the line that set it, 0 for plocate's default
 */
public record UpdatedbConf(Path file, boolean present, boolean pruneBindMounts, int pruneBindMountsLine,
        List<Value> pruneFs, List<Value> pruneNames, List<Value> prunePaths) {

    /** Where updatedb.plocate reads its configuration: the default of {@code updatedb_conf}. */
    public static final Path DEFAULT_FILE = Path.of("/etc/updatedb.conf");

    /** One word of a list, as bytes in an ISO-8859-1 string, with the line it is on. */
    public record Value(String latin1, int line) {
        public byte[] bytes() {
            return latin1.getBytes(StandardCharsets.ISO_8859_1);
        }

        /** For people: the bytes read as UTF-8. */
        public String text() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }
    }

    public UpdatedbConf {
        pruneFs = List.copyOf(pruneFs);
        pruneNames = List.copyOf(pruneNames);
        prunePaths = List.copyOf(prunePaths);
    }

    /** What plocate does without the file. */
    public static UpdatedbConf defaults(Path file) {
        return new UpdatedbConf(file, false, false, 0, List.of(), List.of(), List.of());
    }

    /**
     * Reads {@code file}; a missing file gives {@link #defaults}.
     *
     * @throws ConfigException on a syntax error (as updatedb.plocate, which then refuses to run),
     *     naming the file and line
     */
    public static UpdatedbConf read(Path file) throws IOException, ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return defaults(file);
        }
        return parse(file, new String(bytes, StandardCharsets.ISO_8859_1));
    }

    /** Parses the text of {@code file} (one char per byte). */
    public static UpdatedbConf parse(Path file, String text) throws ConfigException {
        return new Parser(file, text).parse();
    }

    /** A tokenizer and parser after updatedb's own: a hand-written one, as the grammar is tiny. */
    private static final class Parser {
        private final Path file;
        private final String s;
        private int pos;
        private int line = 1;
        private boolean bind;
        private int bindLine;
        private final List<Value> fs = new ArrayList<>();
        private final List<Value> names = new ArrayList<>();
        private final List<Value> paths = new ArrayList<>();
        private final java.util.Set<String> seen = new java.util.HashSet<>();

        Parser(Path file, String s) {
            this.file = file;
            this.s = s;
        }

        UpdatedbConf parse() throws ConfigException {
            while (true) {
                skipBlanks();
                if (atEnd()) {
                    break;
                }
                if (endOfLine()) {
                    continue;
                }
                int at = line;
                String name = identifier();
                if (name == null) {
                    throw error(at, "variable name expected");
                }
                if (!List.of("PRUNE_BIND_MOUNTS", "PRUNEFS", "PRUNENAMES", "PRUNEPATHS").contains(name)) {
                    throw error(at, "unknown variable '" + name
                            + "' (updatedb knows PRUNE_BIND_MOUNTS, PRUNEFS, PRUNENAMES, PRUNEPATHS)");
                }
                if (!seen.add(name)) {
                    throw error(at, "variable '" + name + "' was already defined");
                }
                skipBlanks();
                if (atEnd() || s.charAt(pos) != '=') {
                    throw error(at, "'=' expected after " + name);
                }
                pos++;
                skipBlanks();
                String value = quoted(at, name);
                switch (name) {
                    case "PRUNE_BIND_MOUNTS" -> {
                        switch (value) {
                            case "0", "no" -> bind = false;
                            case "1", "yes" -> bind = true;
                            default -> throw error(at, "invalid value '" + value
                                    + "' of PRUNE_BIND_MOUNTS (one of 0, no, 1, yes)");
                        }
                        bindLine = at;
                    }
                    case "PRUNEFS" -> words(value, at, fs);
                    case "PRUNENAMES" -> words(value, at, names);
                    default -> words(value, at, paths);
                }
                skipBlanks();
                if (!atEnd() && !endOfLine()) {
                    throw error(at, "unexpected data after the value of " + name);
                }
            }
            return new UpdatedbConf(file, true, bind, bindLine, fs, names, paths);
        }

        private boolean atEnd() {
            return pos >= s.length();
        }

        /** Spaces, tabs and the other C white space but the newline. */
        private void skipBlanks() {
            while (!atEnd() && s.charAt(pos) != '\n' && isSpace(s.charAt(pos))) {
                pos++;
            }
        }

        /** Consumes a comment and/or the newline that ends a line; false if neither is here. */
        private boolean endOfLine() {
            if (s.charAt(pos) == '#') {
                while (!atEnd() && s.charAt(pos) != '\n') {
                    pos++;
                }
                if (atEnd()) {
                    return true;
                }
            }
            if (s.charAt(pos) == '\n') {
                pos++;
                line++;
                return true;
            }
            return false;
        }

        private String identifier() {
            char c = s.charAt(pos);
            if (!isAsciiLetter(c) && c != '_') {
                return null;
            }
            int start = pos;
            while (!atEnd() && (isAsciiLetter(s.charAt(pos)) || isAsciiDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            return s.substring(start, pos);
        }

        private String quoted(int at, String name) throws ConfigException {
            if (atEnd() || s.charAt(pos) != '"') {
                throw error(at, "value in quotes expected after '" + name + " ='");
            }
            int start = ++pos;
            while (!atEnd() && s.charAt(pos) != '"') {
                if (s.charAt(pos) == '\n') {
                    break;
                }
                pos++;
            }
            if (atEnd() || s.charAt(pos) != '"') {
                throw error(at, "missing closing '\"'");
            }
            return s.substring(start, pos++);
        }

        private static void words(String value, int line, List<Value> into) {
            int i = 0;
            while (i < value.length()) {
                while (i < value.length() && isSpace(value.charAt(i))) {
                    i++;
                }
                int start = i;
                while (i < value.length() && !isSpace(value.charAt(i))) {
                    i++;
                }
                if (i > start) {
                    into.add(new Value(value.substring(start, i), line));
                }
            }
        }

        private ConfigException error(int at, String message) {
            return new ConfigException(file + ":" + at + ": " + message);
        }

        /** C's isspace in the C locale. */
        private static boolean isSpace(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
        }

        private static boolean isAsciiLetter(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }

        private static boolean isAsciiDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
