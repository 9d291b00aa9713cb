package dev.jfind.server.index;

import java.time.Instant;

/**
 * Why the index cannot be written now (disk full, read-only state directory), for status.
 *
 * @param message what went wrong, for a person
 * @param since when writes started failing
 * @param nextAttempt when the next attempt is due
 */
public record WriteFailure(String message, Instant since, Instant nextAttempt) {}
