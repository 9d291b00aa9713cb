package dev.jfind.client.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.jfind.api.v1.GetStatusResponse;
import dev.jfind.api.v1.IndexState;
import dev.jfind.api.v1.WatchStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What status says when the watch budget is reached: how many, how fresh, how to raise it. */
class StatusCommandTest {
    private static GetStatusResponse budgetReached(boolean withheld) {
        long twoMinutesAgo = Instant.now().getEpochSecond() - 120;
        WatchStatus.Builder w = WatchStatus.newBuilder()
                .setWatchedDirectories(20)
                .setUnwatchedDirectories(41)
                .setWatchBudget(20)
                .setWatchBudgetSource("half of the 40 inotify watches free for this user at start")
                .setUnwatchedRescanInterval(Duration.newBuilder().setSeconds(900))
                .setOldestUnwatchedListingTime(Timestamp.newBuilder().setSeconds(twoMinutesAgo))
                .setDegraded(true)
                .setDegradedReason("live updates limited: the watch budget is reached; ... raise"
                        + " fs.inotify.max_user_watches");
        if (withheld) {
            w.clearWatchedDirectories().clearUnwatchedDirectories().clearWatchBudget().clearWatchBudgetSource();
        }
        return GetStatusResponse.newBuilder().setState(IndexState.INDEX_STATE_READY).setWatch(w)
                .setFiguresWithheld(withheld).build();
    }

    @Test
    void humanStatusSaysHowManyAreUnwatchedAndHowFreshTheirListingsAre() {
        String out = StatusCommand.human(budgetReached(false), "unix:/s");
        assertTrue(out.contains("unwatched:    41 directories have no watch (watch budget 20: half of the 40"), out);
        assertTrue(out.contains("listed again every 15 min, the oldest listing 2 min old"), out);
        assertTrue(out.contains("degraded:") && out.contains("fs.inotify.max_user_watches"), out);
    }

    @Test
    void withheldFiguresStayHiddenButFreshnessShows() {
        String out = StatusCommand.human(budgetReached(true), "unix:/s");
        assertTrue(out.contains("some directories have no watch (budget reached): listed again every 15 min"), out);
        assertFalse(out.contains("41"), out);
    }

    @Test
    void jsonCarriesTheBudgetAndTheFreshness() {
        String json = StatusCommand.json(budgetReached(false));
        assertTrue(json.contains("\"unwatched_directories\":41"), json);
        assertTrue(json.contains("\"watch_budget\":20"), json);
        assertTrue(json.contains("\"unwatched_rescan_seconds\":900"), json);
        assertTrue(json.contains("\"oldest_unwatched_listing_time\":\""), json);
        assertTrue(StatusCommand.json(budgetReached(true)).contains("\"watch_budget\":null"));
    }
}
