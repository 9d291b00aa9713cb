package dev.jfind.server;

import dev.jfind.server.config.Parsers;
import java.net.InetSocketAddress;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine;

/** picocli converters for the daemon's option values: {@link Parsers}, their errors as picocli's. */
final class Conversions {
    private Conversions() {}

    /** "90s", "15m", "1h", "2d", "500ms", combinations like "1h30m", or ISO-8601 "PT1H". */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return picocli(Parsers::parseDuration, value);
        }
    }

    /** "HOST:PORT", "[IPv6]:PORT" or ":PORT" (loopback). */
    static final class HostPortConverter implements CommandLine.ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            return picocli(Parsers::parseHostPort, value);
        }
    }

    /** An octal file mode such as "0600" or "666" (permission bits only). */
    static final class SocketModeConverter implements CommandLine.ITypeConverter<Set<PosixFilePermission>> {
        @Override
        public Set<PosixFilePermission> convert(String value) {
            return picocli(Parsers::parseSocketMode, value);
        }
    }

    /** "PORT" or ":PORT" (loopback), or "HOST:PORT" for any other address, which must be named. */
    static final class MetricsAddressConverter implements CommandLine.ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            return picocli(Parsers::parseMetricsAddress, value);
        }
    }

    private static <T> T picocli(Function<String, T> parser, String value) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
