package dev.jfind.client.cli;

import com.google.protobuf.ByteString;
import dev.jfind.api.v1.FollowEvent;
import dev.jfind.api.v1.FollowEventKind;
import dev.jfind.api.v1.FollowRequest;
import dev.jfind.api.v1.FollowResponse;
import dev.jfind.api.v1.PathEntry;
import dev.jfind.client.JfindClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * --follow: prints the current matches, then changes as the daemon reports them, until
 * interrupted. When the daemon goes away (stopped, restarted, killed) it says so in one line
 * and, as {@code tail -F} does, follows again once the daemon is back: the new call's
 * current matches are compared with what was printed, so a path already printed is not
 * printed again, a path that appeared meanwhile is printed as added, and (with --events) one
 * that went meanwhile as removed. With --no-reconnect it ends instead, with exit status 2.
 */
final class FollowPrinter {
    /** Waits between attempts to reach the daemon again: from this, doubling... */
    static final long FIRST_RETRY_MILLIS = 250;
    /** ...up to this. */
    static final long LONGEST_RETRY_MILLIS = 5_000;

    private final PathOutput output;
    private final PrintWriter err;
    private final boolean reconnect;
    /** What the printed lines say matches now, by path: kept only to resume without repeating. */
    private final Map<ByteString, PathEntry> matching = new HashMap<>();
    private boolean warnedIncomplete;

    FollowPrinter(PathOutput output, PrintWriter err, boolean reconnect) {
        this.output = output;
        this.err = err;
        this.reconnect = reconnect;
    }

    /**
     * Runs until stdout closes, or (with --no-reconnect) the daemon goes away; Ctrl-C ends the
     * JVM (and so the call). A failure other than the daemon going away, or one before the
     * first answer, is thrown for the caller to report.
     */
    int run(JfindClient client, FollowRequest request, boolean events) throws IOException {
        // removals keep the record of what matches right, even when they are not printed
        FollowRequest asked = reconnect ? request.toBuilder().setIncludeRemovals(true).build() : request;
        boolean answered = false;
        String away = null;
        long retry = FIRST_RETRY_MILLIS;
        while (true) {
            String why;
            try (JfindClient.Follow follow = client.follow(asked)) {
                Set<ByteString> current = answered ? new HashSet<>() : null; // resuming: the matches now
                boolean caughtUp = false;
                for (FollowResponse batch = follow.nextBatch(); batch != null; batch = follow.nextBatch()) {
                    answered = true;
                    if (away != null) {
                        err.println("jfind-client: jfindd at " + client.target() + " is back; following again");
                        err.flush();
                        away = null;
                        retry = FIRST_RETRY_MILLIS;
                    }
                    warnIfIncomplete(batch);
                    for (FollowEvent e : batch.getEventsList()) {
                        FollowEventKind kind = e.getKind();
                        if (current != null && !caughtUp && kind == FollowEventKind.FOLLOW_EVENT_KIND_EXISTING) {
                            ByteString path = e.getEntry().getPath();
                            current.add(path);
                            if (matching.containsKey(path)) {
                                matching.put(path, e.getEntry()); // printed before the daemon went away
                                continue;
                            }
                            kind = FollowEventKind.FOLLOW_EVENT_KIND_ADDED; // appeared meanwhile
                        }
                        print(kind, e.getEntry(), events);
                    }
                    if (batch.getCaughtUp()) {
                        caughtUp = true;
                        // an index still filling after the restart lacks paths that may well exist
                        if (current != null && !batch.getIndexIncomplete()) {
                            goneMeanwhile(current, events);
                        }
                    }
                    output.flush();
                }
                why = "it ended the call";
            } catch (StatusRuntimeException e) {
                if (!answered || !wentAway(e.getStatus())) {
                    throw e;
                }
                why = describe(e.getStatus());
            }
            if (!reconnect) {
                err.println("jfind-client: jfindd at " + client.target() + " went away (" + why
                        + "); following ends (--no-reconnect)");
                err.flush();
                return Exit.ERROR;
            }
            if (away == null) {
                away = why;
                err.println("jfind-client: jfindd at " + client.target() + " went away (" + why
                        + "); will follow again when it returns (Ctrl-C to stop)");
                err.flush();
            }
            if (!pause(retry)) {
                return Exit.ERROR;
            }
            retry = Math.min(retry * 2, LONGEST_RETRY_MILLIS);
            client.reconnectNow();
        }
    }

    private void print(FollowEventKind kind, PathEntry entry, boolean events) throws IOException {
        if (kind == FollowEventKind.FOLLOW_EVENT_KIND_REMOVED) {
            if (reconnect) {
                matching.remove(entry.getPath());
            }
            if (!events) {
                return;
            }
        } else if (reconnect) {
            matching.put(entry.getPath(), entry);
        }
        output.write(entry, events ? word(kind) : null);
    }

    /** After resuming: what was printed as matching but is not among the daemon's matches now. */
    private void goneMeanwhile(Set<ByteString> current, boolean events) throws IOException {
        for (Iterator<Map.Entry<ByteString, PathEntry>> it = matching.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ByteString, PathEntry> m = it.next();
            if (!current.contains(m.getKey())) {
                it.remove();
                if (events) {
                    output.write(m.getValue(), word(FollowEventKind.FOLLOW_EVENT_KIND_REMOVED));
                }
            }
        }
    }

    private void warnIfIncomplete(FollowResponse batch) {
        if (batch.getIndexIncomplete() && !warnedIncomplete) {
            err.println("jfind-client: the daemon's first crawl is still running; results may be incomplete");
            err.flush();
            warnedIncomplete = true;
        }
    }

    /** The daemon stopped or cannot be reached; any other failure is not cured by asking again. */
    private static boolean wentAway(Status status) {
        return status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.CANCELLED;
    }

    private static String describe(Status status) {
        String said = status.getDescription() != null ? status.getDescription() : status.getCode().toString();
        return said.replace('\n', ' ');
    }

    /** The back-off between attempts, as tail -F's; false if interrupted. */
    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String word(FollowEventKind kind) {
        switch (kind) {
            case FOLLOW_EVENT_KIND_ADDED:
                return "added";
            case FOLLOW_EVENT_KIND_REMOVED:
                return "removed";
            default:
                return "existing";
        }
    }
}
