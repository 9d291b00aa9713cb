package dev.jfind.server.rpc;

import dev.jfind.api.v1.FollowEvent;
import dev.jfind.api.v1.FollowEventKind;
import dev.jfind.api.v1.FollowRequest;
import dev.jfind.api.v1.FollowResponse;
import dev.jfind.server.access.CallerView;
import dev.jfind.server.index.PathChange;
import dev.jfind.server.index.PathIndex;
import dev.jfind.server.match.Budget;
import dev.jfind.server.match.Candidate;
import dev.jfind.server.match.PathFilter;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One Follow call: subscribes to the index's change feed first (so nothing that happens
 * during the initial search is missed), streams the current matches, marks the catch-up,
 * then streams each change that makes a path start or stop matching. Changes are tested
 * on the writing threads (cheap: one filter test) and queued; a client that falls more
 * than {@link #MAX_QUEUED} events behind is told so and the call ends, rather than the
 * daemon buffering without bound. Only paths the caller may see are sent: the current
 * matches pass the caller's filter as a search's do, and each change is judged when it
 * happens (a removal too: a path in a directory that is gone by then is not reported).
 */
final class FollowCall implements Consumer<PathChange> {
    static final int MAX_QUEUED = 100_000;
    /** Changes are sent in batches at most this far apart. */
    private static final long BATCH_WAIT_MILLIS = 50;

    private final PathIndex index;
    private final SearchSpec spec;
    private final CallerView viewer;
    private final FollowRequest request;
    private final ServerCallStreamObserver<FollowResponse> call;
    private final ReadyGate gate;
    private final long budgetMillis;
    /** Tests changes; used under this object's lock (writers call from many threads). */
    private final PathFilter changeFilter;
    /** Whether the caller may see a changed path; used under this object's lock, as changeFilter. */
    private final CallerView.PathCheck changeVisible;
    private final ArrayDeque<FollowEvent> queue = new ArrayDeque<>();
    private boolean overflowed;

    FollowCall(PathIndex index, SearchSpec spec, CallerView viewer, FollowRequest request,
            ServerCallStreamObserver<FollowResponse> call, ReadyGate gate, long budgetMillis) {
        this.index = index;
        this.spec = spec;
        this.viewer = viewer;
        this.request = request;
        this.call = call;
        this.gate = gate;
        this.budgetMillis = budgetMillis;
        this.changeFilter = spec.newFilter();
        this.changeVisible = viewer.newCheck();
    }

    /** Called by index writers for every change. */
    @Override
    public void accept(PathChange change) {
        boolean now = change.kind() != PathChange.Kind.REMOVED && matches(change);
        boolean was = change.kind() == PathChange.Kind.REMOVED ? matches(change)
                : change.before() != null && matches(change.before());
        FollowEventKind kind;
        if (now && !was) {
            kind = FollowEventKind.FOLLOW_EVENT_KIND_ADDED;
        } else if (was && !now && request.getIncludeRemovals()) {
            kind = FollowEventKind.FOLLOW_EVENT_KIND_REMOVED;
        } else {
            return;
        }
        if (!visible(change.path())) {
            return;
        }
        FollowEvent event = FollowEvent.newBuilder().setKind(kind)
                .setEntry(ProtoValues.entry(change.path(), change.type(), change.size(), change.mtimeMillis()))
                .build();
        synchronized (this) {
            if (queue.size() >= MAX_QUEUED) {
                overflowed = true;
            } else {
                queue.add(event);
            }
            notifyAll();
        }
    }

    private synchronized boolean visible(byte[] path) {
        return changeVisible.test(path);
    }

    private synchronized boolean matches(PathChange c) {
        return changeFilter.test(new Candidate.Fixed(c.path(), c.type(), c.size(), c.mtimeMillis()));
    }

    /** Runs the call on the current thread until the client cancels it or the daemon stops. */
    void run() {
        index.changes().add(this);
        try {
            boolean incomplete = !index.firstCrawlComplete();
            if (!request.getSkipExisting() && !sendExisting(incomplete)) {
                return;
            }
            if (!send(FollowResponse.newBuilder().setCaughtUp(true).setIndexIncomplete(incomplete))) {
                return;
            }
            while (!gate.cancelled()) {
                List<FollowEvent> batch = take();
                if (batch == null) {
                    call.onError(Failures.followerFellBehind(MAX_QUEUED));
                    return;
                }
                if (!batch.isEmpty() && !send(FollowResponse.newBuilder().addAllEvents(batch)
                        .setIndexIncomplete(!index.firstCrawlComplete()))) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.onError(Failures.shuttingDown());
        } catch (Budget.Exceeded e) {
            call.onError(Failures.followListingTooCostly());
        } catch (IOException | RuntimeException e) {
            if (!gate.cancelled()) {
                call.onError(Failures.internal("follow failed", e));
            }
        } finally {
            index.changes().remove(this);
        }
    }

    private boolean sendExisting(boolean incomplete) throws IOException, InterruptedException {
        FollowResponse.Builder[] batch = {FollowResponse.newBuilder().setIndexIncomplete(incomplete)};
        boolean[] open = {true};
        index.search(spec.newFilter(), Budget.ofMillis(budgetMillis), viewer.filter(hit -> {
            batch[0].addEvents(FollowEvent.newBuilder().setKind(FollowEventKind.FOLLOW_EVENT_KIND_EXISTING)
                    .setEntry(ProtoValues.entry(hit.path(), hit.type(), hit.size(), hit.mtimeMillis())));
            if (batch[0].getEventsCount() >= JfindService.BATCH_SIZE) {
                try {
                    open[0] = send(batch[0]);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    open[0] = false;
                }
                batch[0] = FollowResponse.newBuilder().setIndexIncomplete(incomplete);
            }
            return open[0];
        }));
        if (!open[0]) {
            return false;
        }
        return batch[0].getEventsCount() == 0 || send(batch[0]);
    }

    /** The queued events (waiting briefly for some), an empty list on a quiet wait, null after an overflow. */
    private List<FollowEvent> take() throws InterruptedException {
        synchronized (this) {
            if (queue.isEmpty() && !overflowed) {
                wait(1_000); // a change wakes us; the timeout lets a cancel be noticed
            }
        }
        Thread.sleep(BATCH_WAIT_MILLIS); // let a burst gather into one message
        synchronized (this) {
            if (overflowed) {
                return null;
            }
            List<FollowEvent> batch = new ArrayList<>(Math.min(queue.size(), JfindService.BATCH_SIZE));
            while (!queue.isEmpty() && batch.size() < JfindService.BATCH_SIZE) {
                batch.add(queue.poll());
            }
            return batch;
        }
    }

    private boolean send(FollowResponse.Builder response) throws InterruptedException {
        if (!gate.awaitReady()) {
            return false;
        }
        call.onNext(response.build());
        return true;
    }
}
