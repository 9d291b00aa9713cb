package dev.jfind.server.query;

import dev.jfind.server.crawl.EntryType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of structured query fields: sizes ("10M"), times ("2024-05-01", "30d"),
 * depths and types. Each value reads as a closed interval [low, high], so that "=", "&gt;",
 * ranges and whole days all come down to comparisons. Stateless apart from the clock and
 * the zone it is built with.
 */
final class QueryValues {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(?:i?b)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern AGE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(s|sec|min|h|d|w|mo|y)", Pattern.CASE_INSENSITIVE);

    private final Instant now;
    private final ZoneId zone;

    QueryValues(Instant now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A size in bytes; K, M, G, T, P are powers of 1024 (with or without a trailing B or iB). */
    static long[] size(String field, String value) {
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw new InvalidQueryException("query", field + ": '" + value
                    + "' is not a size; write a number of bytes with an optional unit K, M, G or T (e.g. 10M)");
        }
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        int shift = unit.isEmpty() ? 0 : 10 * ("kmgtp".indexOf(unit.charAt(0)) + 1);
        double bytes = Double.parseDouble(m.group(1)) * Math.pow(2, shift);
        if (bytes > Long.MAX_VALUE / 2) {
            throw new InvalidQueryException("query", field + ": '" + value + "' is too large");
        }
        long v = (long) Math.ceil(bytes);
        return new long[] {v, v};
    }

    /** A whole number (depth). */
    static long[] number(String field, String value) {
        try {
            long v = Long.parseLong(value.trim());
            return new long[] {v, v};
        } catch (NumberFormatException e) {
            throw new InvalidQueryException("query", field + ": '" + value + "' is not a whole number");
        }
    }

    /**
     * A time as the interval of epoch milliseconds it names: a day ("2024-05-01") is that
     * whole day in the daemon's zone, a minute or second likewise, an instant with an offset
     * is a point, and an age ("30d": s, min, h, d, w, mo = 30 d, y = 365 d) is the point that
     * long before now. "today" and "yesterday" are days.
     */
    long[] time(String field, String value) {
        String v = value.trim();
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.equals("today") || lower.equals("yesterday")) {
            LocalDate day = LocalDate.ofInstant(now, zone).minusDays(lower.equals("today") ? 0 : 1);
            return day(day);
        }
        Matcher age = AGE.matcher(v);
        if (age.matches()) {
            double seconds = Double.parseDouble(age.group(1)) * unitSeconds(age.group(2).toLowerCase(Locale.ROOT));
            long at = now.toEpochMilli() - (long) (seconds * 1000);
            return new long[] {at, at};
        }
        try {
            if (v.length() == 10) {
                return day(LocalDate.parse(v));
            }
            if (v.length() == 7) {
                LocalDate first = LocalDate.parse(v + "-01");
                return new long[] {millis(first.atStartOfDay()), millis(first.plusMonths(1).atStartOfDay()) - 1};
            }
            if (v.length() == 4 && v.chars().allMatch(Character::isDigit)) {
                LocalDate first = LocalDate.of(Integer.parseInt(v), 1, 1);
                return new long[] {millis(first.atStartOfDay()), millis(first.plusYears(1).atStartOfDay()) - 1};
            }
            if (v.endsWith("Z") || v.matches(".*[+-]\\d\\d:\\d\\d$")) {
                long at = OffsetDateTime.parse(v).toInstant().toEpochMilli();
                return new long[] {at, at};
            }
            LocalDateTime t = LocalDateTime.parse(v);
            long start = millis(t);
            long width = v.length() <= 16 ? 60_000 : 1_000; // to the minute, or to the second
            return new long[] {start, start + width - 1};
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException("query", field + ": '" + value + "' is not a time; write a date"
                    + " (2024-05-01, 2024-05, 2024, 2024-05-01T14:30), today, yesterday, or an age such as 30d, 12h, 2w");
        }
    }

    private static double unitSeconds(String unit) {
        switch (unit) {
            case "s":
            case "sec":
                return 1;
            case "min":
                return 60;
            case "h":
                return 3_600;
            case "d":
                return 86_400;
            case "w":
                return 7 * 86_400;
            case "mo":
                return 30 * 86_400;
            default:
                return 365 * 86_400;
        }
    }

    private long[] day(LocalDate day) {
        return new long[] {millis(day.atStartOfDay()), millis(day.plusDays(1).atStartOfDay()) - 1};
    }

    private long millis(LocalDateTime t) {
        return t.atZone(zone).toInstant().toEpochMilli();
    }

    /** f/file, d/dir/directory, l/link/symlink, o/other (p, s, b, c: FIFOs, sockets, devices). */
    static Set<EntryType> types(String value) {
        Set<EntryType> types = EnumSet.noneOf(EntryType.class);
        for (String t : value.split("[,;]")) {
            switch (t.trim().toLowerCase(Locale.ROOT)) {
                case "f":
                case "file":
                    types.add(EntryType.FILE);
                    break;
                case "d":
                case "dir":
                case "directory":
                    types.add(EntryType.DIRECTORY);
                    break;
                case "l":
                case "link":
                case "symlink":
                    types.add(EntryType.SYMLINK);
                    break;
                case "o":
                case "other":
                case "p":
                case "s":
                case "b":
                case "c":
                    types.add(EntryType.OTHER);
                    break;
                default:
                    throw new InvalidQueryException("query", "type: '" + t.trim()
                            + "' is not a type; write f (file), d (directory), l (symlink) or o (other)");
            }
        }
        return types;
    }
}
