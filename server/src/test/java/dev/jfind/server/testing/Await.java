package dev.jfind.server.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Polls for something that happens on another thread or process, up to a deadline: tests
 * never sleep a fixed time and hope. A timeout fails with what was awaited and the last value
 * seen, so a failure says how far things got.
 *
 * <pre>{@code
 * Await.upTo(Duration.ofSeconds(30)).until("the first crawl", () -> index.firstCrawlComplete());
 * Scrape s = Await.upTo(Duration.ofSeconds(10)).until("the call is counted", () -> Scrape.of(registry),
 *         scrape -> scrape.value("calls") == 1);
 * }</pre>
 *
 * <p>An exception or assertion error thrown by a probe ends the wait at once (a daemon that
 * died, say). Immutable; each wait runs on the calling thread.
 */
public final class Await {
    private static final Duration DEFAULT_INTERVAL = Duration.ofMillis(20);

    private final Duration limit;
    private final Duration interval;

    private Await(Duration limit, Duration interval) {
        this.limit = limit;
        this.interval = interval;
    }

    /** A probe of the current value; may throw (the wait then ends with that exception). */
    @FunctionalInterface
    public interface Probe<T> {
        T get() throws Exception;
    }

    /** Waits of at most {@code limit}, polling every 20 ms. */
    public static Await upTo(Duration limit) {
        return new Await(limit, DEFAULT_INTERVAL);
    }

    /** The same limit, polling every {@code interval} instead. */
    public Await every(Duration interval) {
        return new Await(limit, interval);
    }

    /** Waits until {@code condition} holds; fails after the limit naming {@code what}. */
    public void until(String what, Probe<Boolean> condition) throws Exception {
        until(what, condition, Boolean::booleanValue);
    }

    /** Waits until {@code done} holds for the probed value, and returns that value. */
    public <T> T until(String what, Probe<T> probe, Predicate<? super T> done) throws Exception {
        return until(what, probe, done, String::valueOf);
    }

    /**
     * Waits until {@code done} holds for the probed value, and returns that value; a timeout
     * shows the last value as {@code describe} puts it.
     */
    public <T> T until(String what, Probe<T> probe, Predicate<? super T> done, Function<? super T, String> describe)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + seconds(limit) + " waiting for " + what
                        + "; last seen: " + describe.apply(value));
            }
            TimeUnit.NANOSECONDS.sleep(interval.toNanos());
            value = probe.get();
        }
        return value;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }
}
