package dev.jfind.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configuration file of {@code key = value} lines, as jfindd reads it: blank lines and lines
 * starting with {@code #} are ignored; the value is the rest of the line, trimmed (no inline
 * comments: a path may hold {@code #}); a key in {@link #read}'s {@code repeatable} set may
 * appear on several lines, one value each, any other at most once. Every error names the
 * file, the line and the key. Immutable.
 */
public final class ConfigFile {
    private static final Pattern LINE = Pattern.compile("([A-Za-z0-9_.-]+)\\s*=\\s*(.*)");

    private final Path file;
    private final Map<String, List<Value>> values;

    /** One value as written, with the line it came from. */
    public record Value(String text, int line) {}

    private ConfigFile(Path file, Map<String, List<Value>> values) {
        this.file = file;
        this.values = values;
    }

    /** A file with no settings: what a missing optional file reads as. */
    public static ConfigFile empty(Path file) {
        return new ConfigFile(file, Map.of());
    }

    /**
     * Reads {@code file}.
     *
     * @param single keys that may be set once
     * @param repeatable keys that may be set on several lines
     * @throws NoSuchFileException if the file does not exist (the caller decides whether that is fine)
     * @throws ConfigException on a syntax error, an unknown key or a key set twice
     */
    public static ConfigFile read(Path file, Set<String> single, Set<String> repeatable)
            throws IOException, ConfigException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, List<Value>> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new ConfigException(file + ":" + lineNumber + ": expected 'key = value', found '" + line + "'");
            }
            String key = m.group(1);
            String value = m.group(2).strip();
            if (!single.contains(key) && !repeatable.contains(key)) {
                throw new ConfigException(file + ":" + lineNumber + ": unknown key '" + key + "'; known keys: "
                        + String.join(", ", sorted(single, repeatable)));
            }
            if (value.isEmpty()) {
                throw new ConfigException(file + ":" + lineNumber + ": " + key + ": no value after '='");
            }
            List<Value> seen = values.computeIfAbsent(key, k -> new ArrayList<>());
            if (!seen.isEmpty() && !repeatable.contains(key)) {
                throw new ConfigException(file + ":" + lineNumber + ": " + key + " is already set on line "
                        + seen.get(0).line() + "; it takes one value");
            }
            seen.add(new Value(value, lineNumber));
        }
        values.replaceAll((k, v) -> List.copyOf(v));
        return new ConfigFile(file, Map.copyOf(values));
    }

    public Path file() {
        return file;
    }

    /**
     * The value of a single key, converted by {@code parse}; empty if the file does not set it.
     * A {@link RuntimeException} from {@code parse} becomes a {@link ConfigException} that
     * names the file, line and key, with the exception's message saying what is accepted.
     */
    public <T> Optional<T> get(String key, Function<String, T> parse) throws ConfigException {
        List<T> all = getAll(key, parse);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Every value of a key, in file order, each converted by {@code parse} (see {@link #get}). */
    public <T> List<T> getAll(String key, Function<String, T> parse) throws ConfigException {
        List<T> out = new ArrayList<>();
        for (Value v : values.getOrDefault(key, List.of())) {
            try {
                out.add(parse.apply(v.text()));
            } catch (RuntimeException e) {
                throw new ConfigException(file + ":" + v.line() + ": " + key + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static List<String> sorted(Set<String> a, Set<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.sort(null);
        return all;
    }
}
