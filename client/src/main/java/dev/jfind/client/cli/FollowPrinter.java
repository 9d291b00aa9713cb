package dev.jfind.client.cli;

import dev.jfind.api.v1.FollowEvent;
import dev.jfind.api.v1.FollowEventKind;
import dev.jfind.api.v1.FollowRequest;
import dev.jfind.api.v1.FollowResponse;
import dev.jfind.client.JfindClient;
import java.io.IOException;
import java.io.PrintWriter;

/** --follow: prints the current matches, then changes as the daemon reports them, until interrupted. */
final class FollowPrinter {
    private final PathOutput output;
    private final PrintWriter err;

    FollowPrinter(PathOutput output, PrintWriter err) {
        this.output = output;
        this.err = err;
    }

    /** Runs until the daemon ends the call or stdout closes; Ctrl-C ends the JVM (and so the call). */
    int run(JfindClient client, FollowRequest request, boolean events) throws IOException {
        boolean warned = false;
        long printed = 0;
        try (JfindClient.Follow follow = client.follow(request)) {
            for (FollowResponse batch = follow.nextBatch(); batch != null; batch = follow.nextBatch()) {
                if (batch.getIndexIncomplete() && !warned) {
                    err.println("jfind-client: the daemon's first crawl is still running; results may be incomplete");
                    err.flush();
                    warned = true;
                }
                for (FollowEvent e : batch.getEventsList()) {
                    if (e.getKind() == FollowEventKind.FOLLOW_EVENT_KIND_REMOVED && !events) {
                        continue;
                    }
                    output.write(e.getEntry(), events ? word(e.getKind()) : null);
                    printed++;
                }
                output.flush();
            }
        }
        return printed > 0 ? Exit.FOUND : Exit.NOT_FOUND;
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
