package dev.jfind.server.config;

import java.net.InetSocketAddress;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers of setting values, shared by the configuration file and the command line (whose
 * converters wrap them): each error is an IllegalArgumentException whose message says what is
 * accepted. Stateless.
 */
public final class Parsers {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern OCTAL_MODE = Pattern.compile("0?[0-7]{3}");

    private Parsers() {}

    public static Set<PosixFilePermission> parseSocketMode(String value) {
        String v = value.trim();
        if (!OCTAL_MODE.matcher(v).matches()) {
            throw new IllegalArgumentException("'" + value
                    + "' is not an octal mode of permission bits, like 0600 or 0666");
        }
        int bits = Integer.parseInt(v, 8);
        Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE
        for (int i = 0; i < order.length; i++) {
            if ((bits & (0400 >> i)) != 0) {
                mode.add(order[i]);
            }
        }
        return mode;
    }


    public static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.startsWith("pt") || v.startsWith("p")) {
            try {
                return positive(Duration.parse(value.trim()), value);
            } catch (java.time.format.DateTimeParseException e) {
                throw bad(value);
            }
        }
        Matcher m = DURATION.matcher(v);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms": total = total.plusMillis(n); break;
                case "s": total = total.plusSeconds(n); break;
                case "m": total = total.plusMinutes(n); break;
                case "h": total = total.plusHours(n); break;
                default: total = total.plusDays(n); break;
            }
            end = m.end();
        }
        if (end == 0 || end != v.length()) {
            throw bad(value);
        }
        return positive(total, value);
    }

    private static Duration positive(Duration d, String value) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("'" + value + "' must be longer than zero");
        }
        return d;
    }

    private static IllegalArgumentException bad(String value) {
        return new IllegalArgumentException("'" + value
                + "' is not a duration; write it like 90s, 15m, 1h, 2d or 1h30m");
    }

    /** A group as a gid: a number, or a name looked up with getent(1) (files, LDAP, whatever NSS uses). */
    public static Integer parseGroup(String value) {
        String v = value.trim();
        if (v.matches("\\d+")) {
            return Integer.valueOf(v);
        }
        try {
            Process p = new ProcessBuilder("getent", "group", v).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String line = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (p.waitFor() == 0) {
                String[] fields = line.split(":");
                if (fields.length >= 3 && fields[2].matches("\\d+")) {
                    return Integer.valueOf(fields[2]);
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot look up group '" + v + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalArgumentException("no group named '" + v + "' (getent group " + v + " finds none)");
    }

    /** Like {@link #parseHostPort}, but a port alone means loopback too. */
    public static InetSocketAddress parseMetricsAddress(String value) {
        return parseHostPort(value.chars().allMatch(Character::isDigit) && !value.isEmpty() ? ":" + value : value);
    }

    public static InetSocketAddress parseHostPort(String value) {
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + value + "' is not HOST:PORT (e.g. 127.0.0.1:7543)");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            host = "127.0.0.1";
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'" + value + "' has no valid port (0-65535)");
        }
        return new InetSocketAddress(host, port);
    }
}
