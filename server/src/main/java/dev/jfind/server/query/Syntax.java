package dev.jfind.server.query;

/** How the patterns of a search are read. */
public enum Syntax {
    /** Plain substrings, byte for byte. */
    LITERAL,
    /** As locate: a glob when the pattern holds an unescaped '*', '?' or '[', else a substring. */
    LOCATE,
    /** Always a glob over the whole path (or name). */
    GLOB,
    /** A Java regular expression found anywhere in the path (or name). */
    REGEX
}
