package dev.jfind.server.query;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Shell globs as locate reads them (fnmatch without FNM_PATHNAME): '*' is any run of
 * characters including '/', '?' one character, '[...]' a set ('!' or '^' negates, ranges
 * allowed), '\' escapes the next character. Translated to a Java regex matched against
 * the whole text. Stateless.
 */
final class Globs {
    private Globs() {}

    /** Whether locate would read {@code pattern} as a glob: an unescaped '*', '?' or '['. */
    static boolean isGlob(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '*' || c == '?' || c == '[') {
                return true;
            }
        }
        return false;
    }

    /** The regex that matches exactly what {@code glob} matches (use with {@code matches()}). */
    static String toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\' && i + 1 < glob.length()) {
                literal.append(glob.charAt(++i));
                continue;
            }
            if (c == '*' || c == '?' || (c == '[' && setEnd(glob, i) > 0)) {
                flush(literal, re);
                if (c == '*') {
                    re.append("(?s:.*)");
                } else if (c == '?') {
                    re.append("(?s:.)");
                } else {
                    int end = setEnd(glob, i);
                    re.append(set(glob.substring(i + 1, end)));
                    i = end;
                }
                continue;
            }
            literal.append(c);
        }
        flush(literal, re);
        return re.toString();
    }

    /**
     * The literal runs between wildcards: every match contains each of them. Runs are cut
     * at U+FFFD (bytes of the pattern that were not UTF-8): the path holds those bytes, not
     * the replacement character's.
     */
    static List<byte[]> literalRuns(String glob) {
        List<byte[]> runs = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\' && i + 1 < glob.length()) {
                run.append(glob.charAt(++i));
            } else if (c == '*' || c == '?' || (c == '[' && setEnd(glob, i) > 0)) {
                addRun(run, runs);
                if (c == '[') {
                    i = setEnd(glob, i);
                }
            } else {
                run.append(c);
            }
        }
        addRun(run, runs);
        return runs;
    }

    private static void addRun(StringBuilder run, List<byte[]> runs) {
        for (String piece : run.toString().split("\uFFFD")) {
            if (!piece.isEmpty()) {
                runs.add(piece.getBytes(StandardCharsets.UTF_8));
            }
        }
        run.setLength(0);
    }

    private static void flush(StringBuilder literal, StringBuilder re) {
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
            literal.setLength(0);
        }
    }

    /** Index of the ']' closing the set opened at {@code open}, or -1 if it is not a set. */
    private static int setEnd(String glob, int open) {
        int i = open + 1;
        if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
            i++;
        }
        if (i < glob.length() && glob.charAt(i) == ']') {
            i++; // a ']' first in the set is a member
        }
        for (; i < glob.length(); i++) {
            if (glob.charAt(i) == '\\') {
                i++;
            } else if (glob.charAt(i) == ']') {
                return i;
            }
        }
        return -1;
    }

    private static String set(String body) {
        StringBuilder re = new StringBuilder("[");
        int i = 0;
        if (!body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^')) {
            re.append('^');
            i = 1;
        }
        for (; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                appendSetMember(body.charAt(++i), re);
            } else if (c == '-' && i > 0 && i + 1 < body.length()) {
                re.append('-');
            } else {
                appendSetMember(c, re);
            }
        }
        return re.append(']').toString();
    }

    /** A letter or digit as itself (an escaped letter would mean a class such as \\d); the rest escaped. */
    private static void appendSetMember(char c, StringBuilder re) {
        if (!Character.isLetterOrDigit(c)) {
            re.append('\\');
        }
        re.append(c);
    }
}
