package dev.jfind.client.cli;

/** Exit codes, as locate's. */
final class Exit {
    /** Something matched (or the command succeeded). */
    static final int FOUND = 0;
    /** Nothing matched. */
    static final int NOT_FOUND = 1;
    /** Usage error, daemon unreachable, or the daemon refused the request. */
    static final int ERROR = 2;

    private Exit() {}
}
