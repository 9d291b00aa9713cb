package dev.jfind.server.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WatchBudgetTest {
    private static long auto(long max, long held) {
        return WatchBudget.of(WatchBudget.AUTOMATIC, new InotifyLimits(max, 128, held, 1)).watches();
    }

    @Test
    void takesHalfOfTheWatchesFreeAtStart() {
        assertEquals(96_271, auto(192_543, 0));
        assertEquals(4_096, auto(8_192, 0));
        assertEquals(3_000, auto(8_192, 2_192), "watches other programs hold are theirs");
        assertEquals(0, auto(8_192, 9_000), "more held than the limit (shared descriptors counted twice)");
        assertEquals(0, auto(1, 0));
    }

    @Test
    void leavesOtherProgramsAtLeastAsManyFreeWatchesAsItTakes() {
        for (long max : new long[] {8_192, 65_536, 192_543, 1_048_576}) {
            for (long held = 0; held <= max; held += max / 7) {
                long taken = auto(max, held);
                assertTrue(max - held - taken >= taken, max + " " + held);
            }
        }
    }

    @Test
    void anExplicitLimitOverrides() {
        WatchBudget b = WatchBudget.of(123, new InotifyLimits(100, 128, 90, 127));
        assertEquals(123, b.watches());
        assertTrue(b.liveUpdates());
        assertTrue(b.source().contains("--watch-limit"), b.source());
    }

    @Test
    void neverTakesTheLastInotifyInstance() {
        WatchBudget b = WatchBudget.of(WatchBudget.AUTOMATIC, new InotifyLimits(8_192, 128, 0, 127));
        assertFalse(b.liveUpdates());
        assertTrue(b.source().contains("max_user_instances"), b.source());
        assertTrue(WatchBudget.of(WatchBudget.AUTOMATIC, new InotifyLimits(8_192, 128, 0, 126)).liveUpdates());
    }

    @Test
    void unknownLimitsMeanAsManyAsTheKernelAllows() {
        assertEquals(Long.MAX_VALUE, WatchBudget.of(WatchBudget.AUTOMATIC, new InotifyLimits(-1, -1, 0, 0)).watches());
    }
}
