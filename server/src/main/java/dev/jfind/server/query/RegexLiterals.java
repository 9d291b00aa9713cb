package dev.jfind.server.query;

import dev.jfind.server.match.Narrowing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The literal text a Java regex cannot match without: runs of plain characters outside
 * optional parts, through groups and alternations (an alternation needs one of its
 * branches). With it a regex such as {@code report-\d+\.pdf$} reads only the directories
 * whose listings hold "report-" and ".pdf" instead of scanning every path. Conservative:
 * whatever it does not understand requires nothing. Stateless.
 */
final class RegexLiterals {
    private RegexLiterals() {}

    static Narrowing of(String regex) {
        if (hasCommentsFlag(regex)) {
            return Narrowing.none(); // (?x) makes spaces and '#' mean something else
        }
        try {
            return new Reader(regex).alternation();
        } catch (RuntimeException e) {
            return Narrowing.none(); // the regex compiled, so this is our reader's gap: promise nothing
        }
    }

    private static boolean hasCommentsFlag(String regex) {
        for (int i = regex.indexOf("(?"); i >= 0; i = regex.indexOf("(?", i + 2)) {
            for (int k = i + 2; k < regex.length(); k++) {
                char c = regex.charAt(k);
                if (c == 'x') {
                    return true;
                }
                if (!Character.isLetter(c) && c != '-') {
                    break;
                }
            }
        }
        return false;
    }

    private static final class Reader {
        private final String re;
        private int pos;

        Reader(String re) {
            this.re = re;
        }

        /** branch ('|' branch)* up to the end or a closing ')'. */
        Narrowing alternation() {
            List<Narrowing> branches = new ArrayList<>();
            branches.add(sequence());
            while (pos < re.length() && re.charAt(pos) == '|') {
                pos++;
                branches.add(sequence());
            }
            return Narrowing.anyOf(branches);
        }

        private Narrowing sequence() {
            List<Narrowing> required = new ArrayList<>();
            StringBuilder run = new StringBuilder();
            while (pos < re.length()) {
                char c = re.charAt(pos);
                if (c == '|' || c == ')') {
                    break;
                }
                if (c == '(') {
                    end(run, required);
                    Narrowing inner = group();
                    if (!optionalQuantifier()) {
                        required.add(inner);
                    }
                    continue;
                }
                if (c == '[') {
                    end(run, required);
                    skipClass();
                    optionalQuantifier();
                    continue;
                }
                if (c == '\\') {
                    int literal = escapedLiteral();
                    if (literal < 0) {
                        end(run, required);
                        optionalQuantifier();
                        continue;
                    }
                    addLiteral(literal, run, required);
                    continue;
                }
                if (".^$".indexOf(c) >= 0) {
                    pos++;
                    end(run, required);
                    optionalQuantifier();
                    continue;
                }
                if ("*+?{".indexOf(c) >= 0) {
                    throw new IllegalStateException("quantifier with nothing before it");
                }
                pos++;
                addLiteral(c, run, required);
            }
            end(run, required);
            return Narrowing.allOf(required);
        }

        /** A literal character; a quantifier after it may make it optional. */
        private void addLiteral(int c, StringBuilder run, List<Narrowing> required) {
            int mark = run.length();
            run.appendCodePoint(c);
            if (pos < re.length() && "*+?{".indexOf(re.charAt(pos)) >= 0) {
                boolean optional = optionalQuantifier();
                if (optional) {
                    run.setLength(mark);
                }
                end(run, required); // repeated: what follows is not adjacent to it
            }
        }

        /** Consumes a quantifier if one is here; true if it allows zero repetitions. */
        private boolean optionalQuantifier() {
            if (pos >= re.length()) {
                return false;
            }
            char q = re.charAt(pos);
            boolean optional;
            if (q == '*' || q == '?') {
                optional = true;
                pos++;
            } else if (q == '+') {
                optional = false;
                pos++;
            } else if (q == '{') {
                int close = re.indexOf('}', pos);
                if (close < 0) {
                    throw new IllegalStateException("open quantifier");
                }
                String min = re.substring(pos + 1, close).split(",", -1)[0].trim();
                optional = min.isEmpty() || Integer.parseInt(min) == 0;
                pos = close + 1;
            } else {
                return false;
            }
            if (pos < re.length() && (re.charAt(pos) == '?' || re.charAt(pos) == '+')) {
                pos++; // lazy or possessive
            }
            return optional;
        }

        /** A group; what it requires, or nothing for lookarounds and flag groups. */
        private Narrowing group() {
            pos++; // '('
            boolean requires = true;
            if (re.startsWith("?", pos)) {
                if (re.startsWith("?:", pos)) {
                    pos += 2;
                } else if (re.startsWith("?<", pos) && pos + 2 < re.length() && Character.isLetter(re.charAt(pos + 2))) {
                    pos = re.indexOf('>', pos) + 1; // named group
                } else {
                    requires = false; // lookaround, atomic or flags: skip its content
                    pos++;
                }
            }
            Narrowing inner = alternation();
            if (pos >= re.length() || re.charAt(pos) != ')') {
                throw new IllegalStateException("unclosed group");
            }
            pos++;
            return requires ? inner : Narrowing.none();
        }

        private void skipClass() {
            int depth = 0;
            pos++; // '['
            if (pos < re.length() && re.charAt(pos) == '^') {
                pos++;
            }
            if (pos < re.length() && re.charAt(pos) == ']') {
                pos++;
            }
            while (pos < re.length()) {
                char c = re.charAt(pos++);
                if (c == '\\') {
                    pos++;
                } else if (c == '[') {
                    depth++;
                } else if (c == ']') {
                    if (depth-- == 0) {
                        return;
                    }
                }
            }
            throw new IllegalStateException("unclosed class");
        }

        /** After a '\': the literal code point it stands for, or -1 for a class, anchor or quote. */
        private int escapedLiteral() {
            pos++; // '\'
            if (pos >= re.length()) {
                throw new IllegalStateException("trailing backslash");
            }
            char c = re.charAt(pos);
            if (c == 'Q') {
                int end = re.indexOf("\\E", pos);
                pos = end < 0 ? re.length() : end + 2;
                return -1; // quoted text: treated as a break (simple and safe)
            }
            if (Character.isLetterOrDigit(c)) {
                pos++;
                if (c == 'p' || c == 'P' || c == 'x' || c == 'N' || c == 'k') {
                    if (pos < re.length() && re.charAt(pos) == '{') {
                        pos = re.indexOf('}', pos) + 1;
                    } else if (c == 'x') {
                        pos += 2;
                    } else if (c == 'p' || c == 'P') {
                        pos++;
                    }
                } else if (c == 'u') {
                    pos += 4;
                } else if (c == 'c') {
                    pos++;
                } else if (c == '0') {
                    while (pos < re.length() && re.charAt(pos) >= '0' && re.charAt(pos) <= '7') {
                        pos++;
                    }
                }
                return -1;
            }
            int literal = re.codePointAt(pos);
            pos += Character.charCount(literal);
            return literal;
        }

        private static void end(StringBuilder run, List<Narrowing> required) {
            for (String piece : run.toString().split("\uFFFD")) { // not the bytes the path holds
                if (!piece.isEmpty()) {
                    required.add(Narrowing.literal(piece.getBytes(StandardCharsets.UTF_8)));
                }
            }
            run.setLength(0);
        }
    }
}
