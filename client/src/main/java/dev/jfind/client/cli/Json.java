package dev.jfind.client.cli;

import java.util.List;

/** Builds one flat JSON object; enough for status output, no library needed. Not thread-safe. */
final class Json {
    private final StringBuilder b = new StringBuilder("{");

    Json field(String key, String value) {
        key(key);
        quote(value);
        return this;
    }

    Json field(String key, long value) {
        key(key);
        b.append(value);
        return this;
    }

    Json field(String key, double value) {
        key(key);
        b.append(Double.isFinite(value) ? String.format(java.util.Locale.ROOT, "%.3f", value) : "null");
        return this;
    }

    Json field(String key, boolean value) {
        key(key);
        b.append(value);
        return this;
    }

    Json nullField(String key) {
        key(key);
        b.append("null");
        return this;
    }

    Json stringArray(String key, List<String> values) {
        key(key);
        b.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            quote(values.get(i));
        }
        b.append(']');
        return this;
    }

    String end() {
        return b.append('}').toString();
    }

    private void key(String key) {
        if (b.length() > 1) {
            b.append(',');
        }
        quote(key);
        b.append(':');
    }

    private void quote(String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i)); // a pair: one code point, written as UTF-8
                    } else if (c < 0x20 || Character.isSurrogate(c)) {
                        // a lone surrogate cannot be UTF-8: escaped, so no byte of a path is lost
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        b.append('"');
    }
}
