package dev.jfind.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
    @Test
    void returnsTheFirstValueThatIsDone() throws Exception {
        AtomicInteger n = new AtomicInteger();
        int got = Await.upTo(Duration.ofSeconds(10)).every(Duration.ofMillis(1))
                .until("three polls", n::incrementAndGet, v -> v >= 3);
        assertEquals(3, got);
    }

    @Test
    void aTimeoutSaysWhatWasAwaitedAndTheLastValueSeen() {
        AtomicInteger n = new AtomicInteger();
        AssertionError e = assertThrows(AssertionError.class, () -> Await.upTo(Duration.ofMillis(50))
                .every(Duration.ofMillis(5)).until("a negative number", n::incrementAndGet, v -> v < 0, v -> "#" + v));
        assertTrue(e.getMessage().startsWith("timed out after 0.05 s waiting for a negative number; last seen: #"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("#" + n.get()), "the last value, not an earlier one: " + e.getMessage());
    }

    @Test
    void aConditionThatHoldsAtOnceDoesNotWait() throws Exception {
        long start = System.nanoTime();
        Await.upTo(Duration.ofSeconds(10)).every(Duration.ofSeconds(10)).until("true", () -> true);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void aProbeThatThrowsEndsTheWait() {
        IOException boom = new IOException("daemon gone");
        IOException e = assertThrows(IOException.class, () -> Await.upTo(Duration.ofSeconds(30))
                .until("never", () -> {
                    throw boom;
                }));
        assertSame(boom, e);
    }
}
