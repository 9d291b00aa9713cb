package dev.jfind.server;

import java.net.InetSocketAddress;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** picocli converters for the daemon's option values; each error says what is accepted. */
final class Conversions {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern OCTAL_MODE = Pattern.compile("0?[0-7]{3}");

    private Conversions() {}

    /** "90s", "15m", "1h", "2d", "500ms", combinations like "1h30m", or ISO-8601 "PT1H". */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parseDuration(value);
        }
    }

    /** "HOST:PORT", "[IPv6]:PORT" or ":PORT" (loopback). */
    static final class HostPortConverter implements CommandLine.ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            return parseHostPort(value);
        }
    }

    /** An octal file mode such as "0600" or "666" (permission bits only). */
    static final class SocketModeConverter implements CommandLine.ITypeConverter<Set<PosixFilePermission>> {
        @Override
        public Set<PosixFilePermission> convert(String value) {
            return parseSocketMode(value);
        }
    }

    static Set<PosixFilePermission> parseSocketMode(String value) {
        String v = value.trim();
        if (!OCTAL_MODE.matcher(v).matches()) {
            throw new CommandLine.TypeConversionException("'" + value
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

    /** "PORT" or ":PORT" (loopback), or "HOST:PORT" for any other address, which must be named. */
    static final class MetricsAddressConverter implements CommandLine.ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            return parseMetricsAddress(value);
        }
    }

    static Duration parseDuration(String value) {
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
            throw new CommandLine.TypeConversionException("'" + value + "' must be longer than zero");
        }
        return d;
    }

    private static CommandLine.TypeConversionException bad(String value) {
        return new CommandLine.TypeConversionException("'" + value
                + "' is not a duration; write it like 90s, 15m, 1h, 2d or 1h30m");
    }

    static Set<PosixFilePermission> parseFileMode(String value) {
        if (!value.matches("[0-7]{3,4}") || (value.length() == 4 && value.charAt(0) != '0')) {
            throw new CommandLine.TypeConversionException("'" + value
                    + "' is not an octal mode for the socket; write it like 0600 (only you) or 0666 (everyone)");
        }
        int mode = Integer.parseInt(value, 8);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ first: bit 8 down to bit 0
        Set<PosixFilePermission> perms = java.util.EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                perms.add(bits[i]);
            }
        }
        return perms;
    }

    /** A group as a gid: a number, or a name looked up with getent(1) (files, LDAP, whatever NSS uses). */
    static Integer parseGroup(String value) {
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
            throw new CommandLine.TypeConversionException("cannot look up group '" + v + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new CommandLine.TypeConversionException("no group named '" + v + "' (getent group " + v + " finds none)");
    }

    /** Like {@link #parseHostPort}, but a port alone means loopback too. */
    static InetSocketAddress parseMetricsAddress(String value) {
        return parseHostPort(value.chars().allMatch(Character::isDigit) && !value.isEmpty() ? ":" + value : value);
    }

    static InetSocketAddress parseHostPort(String value) {
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not HOST:PORT (e.g. 127.0.0.1:7543)");
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
            throw new CommandLine.TypeConversionException("'" + value + "' has no valid port (0-65535)");
        }
        return new InetSocketAddress(host, port);
    }
}
