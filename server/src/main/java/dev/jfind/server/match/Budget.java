package dev.jfind.server.match;

/**
 * How long one search may work. A pathological request (a regex that backtracks for
 * minutes, a scan of a huge index) must end in bounded time and leave the daemon healthy.
 * Time spent waiting for a slow client (gRPC flow control) is not work and is not counted.
 * Checked often and cheaply: the clock is read every few hundred calls. Not thread-safe:
 * one per search.
 */
public final class Budget {
    /** No limit (tests, internal scans). */
    public static Budget unlimited() {
        return new Budget(Long.MAX_VALUE);
    }

    /** A budget of {@code millis} of work from now. */
    public static Budget ofMillis(long millis) {
        return new Budget(millis <= 0 ? Long.MAX_VALUE : millis * 1_000_000L);
    }

    private final long allowedNanos;
    private final long startedAt = System.nanoTime();
    private long pausedNanos;
    private long pausedAt = -1;
    private int calls;

    private Budget(long allowedNanos) {
        this.allowedNanos = allowedNanos;
    }

    /** Throws {@link Exceeded} once the work so far exceeds the budget; cheap to call often. */
    public void check() {
        if ((++calls & 255) == 0) {
            checkNow();
        }
    }

    /** Reads the clock at once. */
    public void checkNow() {
        if (allowedNanos != Long.MAX_VALUE && pausedAt < 0
                && System.nanoTime() - startedAt - pausedNanos > allowedNanos) {
            throw new Exceeded(allowedNanos / 1_000_000L);
        }
    }

    /** Stops counting (waiting for the client). */
    public void pause() {
        if (pausedAt < 0) {
            pausedAt = System.nanoTime();
        }
    }

    public void resume() {
        if (pausedAt >= 0) {
            pausedNanos += System.nanoTime() - pausedAt;
            pausedAt = -1;
        }
    }

    /**
     * {@code text} as a CharSequence that checks this budget as it is read: a regex that
     * backtracks exponentially reads characters without end, so this is where it stops.
     */
    CharSequence guard(String text) {
        if (allowedNanos == Long.MAX_VALUE) {
            return text;
        }
        return new Guarded(text, this);
    }

    /** The search used up its budget. */
    public static final class Exceeded extends RuntimeException {
        private final long budgetMillis;

        Exceeded(long budgetMillis) {
            super("the search took longer than its budget of " + budgetMillis + " ms", null, false, false);
            this.budgetMillis = budgetMillis;
        }

        public long budgetMillis() {
            return budgetMillis;
        }
    }

    private static final class Guarded implements CharSequence {
        private final String text;
        private final Budget budget;

        Guarded(String text, Budget budget) {
            this.text = text;
            this.budget = budget;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            budget.check();
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Guarded(text.substring(start, end), budget);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
