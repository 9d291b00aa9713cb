package dev.jfind.server.rpc;

import java.util.concurrent.Semaphore;

/**
 * Makes searches that stream many results take turns, so that a selective search never
 * queues for a CPU behind dozens of them: a search's first {@link #FREE_BATCHES} batches are
 * produced freely; each batch after that needs one of a few turns, held only while the
 * batch is produced, never while waiting for the client to read it. The big searches share
 * the same CPU time as before, just fewer at once.
 *
 * <p>Thread-safe.
 */
final class BulkTurns {
    /** Batches a search produces before it must take turns: a selective search is done by then. */
    static final int FREE_BATCHES = 4;

    private final Semaphore turns;

    /** @param concurrent big searches producing a batch at once (fewer than the cores leaves one for the rest) */
    BulkTurns(int concurrent) {
        this.turns = new Semaphore(Math.max(1, concurrent), /* fair= */ true);
    }

    /** Leaves a core for everything else (gRPC's event loops, the crawl, selective searches). */
    static BulkTurns forThisMachine() {
        return new BulkTurns(Runtime.getRuntime().availableProcessors() - 1);
    }

    /** Waits for a turn; the caller must {@link #end} it. */
    void begin() throws InterruptedException {
        turns.acquire();
    }

    void end() {
        turns.release();
    }
}
