package dev.jfind.server.match;

import java.util.ArrayList;
import java.util.List;

/**
 * What every matching path is certain to contain, as byte strings combined with AND and
 * OR: the index turns it into a trigram query over its listings, so a search reads only
 * the directories that could hold a match. {@link #none()} means nothing is certain and
 * every path must be checked. Sound by construction: a filter may promise less than it
 * could, never more. Immutable.
 */
public final class Narrowing {
    public enum Kind { NONE, LITERAL, ALL_OF, ANY_OF }

    private static final Narrowing NONE = new Narrowing(Kind.NONE, null, List.of());

    private final Kind kind;
    private final byte[] literal;
    private final List<Narrowing> parts;

    private Narrowing(Kind kind, byte[] literal, List<Narrowing> parts) {
        this.kind = kind;
        this.literal = literal;
        this.parts = parts;
    }

    public static Narrowing none() {
        return NONE;
    }

    /** Every match contains these bytes, compared case-insensitively (trigrams are folded). */
    public static Narrowing literal(byte[] bytes) {
        return bytes.length == 0 ? NONE : new Narrowing(Kind.LITERAL, bytes.clone(), List.of());
    }

    public static Narrowing allOf(List<Narrowing> parts) {
        List<Narrowing> kept = new ArrayList<>();
        for (Narrowing p : parts) {
            if (p.kind == Kind.ALL_OF) {
                kept.addAll(p.parts);
            } else if (p.kind != Kind.NONE) {
                kept.add(p);
            }
        }
        if (kept.isEmpty()) {
            return NONE;
        }
        return kept.size() == 1 ? kept.get(0) : new Narrowing(Kind.ALL_OF, null, List.copyOf(kept));
    }

    /** A match contains one of the parts; if one part promises nothing, neither does the whole. */
    public static Narrowing anyOf(List<Narrowing> parts) {
        if (parts.isEmpty()) {
            return NONE;
        }
        for (Narrowing p : parts) {
            if (p.kind == Kind.NONE) {
                return NONE;
            }
        }
        return parts.size() == 1 ? parts.get(0) : new Narrowing(Kind.ANY_OF, null, List.copyOf(parts));
    }

    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#LITERAL}: the bytes (a copy). */
    public byte[] literal() {
        return literal.clone();
    }

    /** For {@link Kind#ALL_OF} and {@link Kind#ANY_OF}. */
    public List<Narrowing> parts() {
        return parts;
    }

    @Override
    public String toString() {
        switch (kind) {
            case NONE:
                return "none";
            case LITERAL:
                return "'" + new String(literal, java.nio.charset.StandardCharsets.UTF_8) + "'";
            default:
                return kind.name() + parts;
        }
    }
}
