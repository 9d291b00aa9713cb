package dev.jfind.server.index;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether the index can be written (disk full, state directory read-only, I/O errors) and
 * when to try again: after a failure, retries back off from {@link #FIRST_RETRY} doubling
 * up to {@link #MAX_RETRY}, so a full disk costs a few attempts an hour, not a log line a
 * second. Logs one line when writes start failing and one when they work again.
 *
 * <p>Thread-safe.
 */
final class WriteHealth {
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);

    private final String what;
    private WriteFailure failure;
    private Duration backoff = FIRST_RETRY;

    /** @param dir the index directory, named in messages */
    WriteHealth(java.nio.file.Path dir) {
        this.what = "writing the index in " + dir;
    }

    /** Records a failed write; returns the failure as status will show it. */
    synchronized WriteFailure failed(Throwable e) {
        Instant now = Instant.now();
        String message = what + ": " + describe(e);
        if (failure == null) {
            backoff = FIRST_RETRY;
            System.err.println("jfindd: " + message + "; still serving the index as it is, will retry in "
                    + backoff.toSeconds() + " s and back off up to " + MAX_RETRY.toMinutes() + " min");
            failure = new WriteFailure(message, now, now.plus(backoff));
        } else if (now.isBefore(failure.nextAttempt())) {
            // Another write failing before the retry is due (many crawl workers at once, or
            // their follow-on "already closed"): same backoff, and the first cause stays.
            return failure;
        } else {
            // a retry failed: wait twice as long before the next
            backoff = backoff.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : backoff.multipliedBy(2);
            failure = new WriteFailure(message, failure.since(), now.plus(backoff));
        }
        return failure;
    }

    /** Records a write that worked; true if writes had been failing until now. */
    synchronized boolean succeeded() {
        if (failure == null) {
            return false;
        }
        System.err.println("jfindd: the index can be written again (it could not since " + failure.since() + ")");
        failure = null;
        return true;
    }

    /** Whether a write may be attempted now: always when healthy, else once the backoff has passed. */
    synchronized boolean attemptDue() {
        return failure == null || !Instant.now().isBefore(failure.nextAttempt());
    }

    /** The current failure, or null when writes work. */
    synchronized WriteFailure failure() {
        return failure;
    }

    /** The root cause's message: Lucene wraps "No space left on device" a few levels deep. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        if (root instanceof java.nio.file.AccessDeniedException) {
            message = "permission denied: " + message;
        } else if (root instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            message = fse.getReason() + ": " + fse.getFile();
        }
        return message;
    }
}
