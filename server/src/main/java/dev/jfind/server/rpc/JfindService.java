package dev.jfind.server.rpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.jfind.api.v1.CrawlProgress;
import dev.jfind.api.v1.FileType;
import dev.jfind.api.v1.FollowRequest;
import dev.jfind.api.v1.FollowResponse;
import dev.jfind.api.v1.GetStatusRequest;
import dev.jfind.api.v1.GetStatusResponse;
import dev.jfind.api.v1.IndexState;
import dev.jfind.api.v1.JfindServiceGrpc;
import dev.jfind.api.v1.PathEntry;
import dev.jfind.api.v1.SearchRequest;
import dev.jfind.api.v1.SearchResponse;
import dev.jfind.api.v1.WatchStatus;
import dev.jfind.server.access.CallerView;
import dev.jfind.server.index.Hit;
import dev.jfind.server.index.PathIndex;
import dev.jfind.server.index.HitConsumer;
import dev.jfind.server.fs.PathBytes;
import dev.jfind.server.match.Budget;
import dev.jfind.server.query.InvalidQueryException;
import dev.jfind.server.concurrent.NamedThreads;
import dev.jfind.server.status.DaemonStatus;
import dev.jfind.server.status.StatusSupplier;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The jfind.v1 service: translates requests into index searches and results into batches.
 * Its status codes, like every rpc service's, are picked by {@link Failures}. Searches run
 * on their own pool, not on gRPC's threads, because they wait for flow control and that
 * wait must not block the call's own callbacks.
 */
public final class JfindService extends JfindServiceGrpc.JfindServiceImplBase {
    /** Paths per response message: small enough to stream promptly, large enough to be cheap. */
    static final int BATCH_SIZE = 256;
    static final String VERSION = "0.1.0";

    /**
     * Work one search may do before it is stopped (time waiting for the client does not
     * count). A full scan of ten million paths takes about a second; this bounds the rest.
     */
    static final long DEFAULT_QUERY_BUDGET_MILLIS = 20_000;

    private final PathIndex index;
    private final StatusSupplier status;
    private final ExecutorService queries;
    private final long queryBudgetMillis;
    /** Follow calls last until the client ends them: their own threads, so searches never wait behind them. */
    private final ExecutorService follows = new java.util.concurrent.ThreadPoolExecutor(0, MAX_FOLLOWS, 30,
            java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
            NamedThreads.single("jfind-follow"));
    static final int MAX_FOLLOWS = 256;
    private final BulkTurns turns = BulkTurns.forThisMachine();

    public JfindService(PathIndex index, StatusSupplier status, ExecutorService queries) {
        this(index, status, queries, DEFAULT_QUERY_BUDGET_MILLIS);
    }

    public JfindService(PathIndex index, StatusSupplier status, ExecutorService queries, long queryBudgetMillis) {
        this.index = index;
        this.status = status;
        this.queries = queries;
        this.queryBudgetMillis = queryBudgetMillis;
    }

    /** What the caller may see; null after ending the call when no caller is known. */
    private static CallerView viewer(StreamObserver<?> call) {
        CallerView viewer = CallerInterceptor.currentView();
        if (viewer == null) {
            call.onError(Failures.unknownCaller());
        }
        return viewer;
    }

    /** The request read and checked; null after ending the call with INVALID_ARGUMENT. */
    private static SearchSpec spec(SearchRequest request, String fieldPrefix, StreamObserver<?> call) {
        try {
            return SearchSpec.of(request);
        } catch (InvalidQueryException e) {
            call.onError(Failures.invalidQuery(fieldPrefix, e));
            return null;
        }
    }

    @Override
    public void search(SearchRequest request, StreamObserver<SearchResponse> responses) {
        ServerCallStreamObserver<SearchResponse> call = (ServerCallStreamObserver<SearchResponse>) responses;
        CallerView viewer = viewer(call);
        SearchSpec spec = viewer == null ? null : spec(request, "", call);
        if (spec == null) {
            return;
        }
        ReadyGate gate = new ReadyGate(call);
        try {
            queries.execute(() -> runSearch(spec, call, gate, viewer));
        } catch (RejectedExecutionException e) {
            call.onError(Failures.searchRefused(queries.isShutdown()));
        }
    }

    private void runSearch(SearchSpec spec, ServerCallStreamObserver<SearchResponse> call, ReadyGate gate,
            CallerView viewer) {
        SearchRequest request = spec.request();
        boolean incomplete = !index.firstCrawlComplete();
        Budget budget = Budget.ofMillis(queryBudgetMillis);
        Batcher batcher = new Batcher(call, gate, budget, turns, request.getLimit(), request.getCountOnly(), incomplete);
        try {
            if (spec.sorted()) {
                SortedHits sorted = new SortedHits(request.getSort(), request.getReverse(), request.getLimit());
                index.search(spec.newFilter(), budget, viewer.filter(existing(request, sorted)));
                if (sorted.overflowed()) {
                    call.onError(Failures.tooManyToSort(SortedHits.MAX_UNLIMITED));
                    return;
                }
                sorted.drainTo(batcher);
            } else {
                // the caller's filter comes first: counts and limits are of what they may see
                index.search(spec.newFilter(), budget, viewer.filter(existing(request, batcher)));
            }
            if (batcher.finish()) {
                call.onCompleted();
            }
        } catch (Budget.Exceeded e) {
            call.onError(Failures.searchTooCostly(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.onError(Failures.shuttingDown());
        } catch (IOException | RuntimeException e) {
            if (!gate.cancelled()) {
                call.onError(Failures.internal("search failed", e));
            }
        } finally {
            batcher.endTurn();
        }
    }

    /** With existing_only, passes on only the hits that lstat(2) still finds. */
    private static HitConsumer existing(SearchRequest request, HitConsumer next) {
        if (!request.getExistingOnly()) {
            return next;
        }
        return hit -> !Files.exists(PathBytes.toPath(hit.path()), LinkOption.NOFOLLOW_LINKS) || next.accept(hit);
    }

    @Override
    public void follow(FollowRequest request, StreamObserver<FollowResponse> responses) {
        ServerCallStreamObserver<FollowResponse> call = (ServerCallStreamObserver<FollowResponse>) responses;
        CallerView viewer = viewer(call);
        SearchSpec spec = viewer == null ? null : spec(request.getSearch(), "search.", call);
        if (spec == null) {
            return;
        }
        ReadyGate gate = new ReadyGate(call);
        try {
            follows.execute(new FollowCall(index, spec, viewer, request, call, gate, queryBudgetMillis)::run);
        } catch (RejectedExecutionException e) {
            call.onError(Failures.tooManyFollows(MAX_FOLLOWS));
        }
    }

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<GetStatusResponse> responses) {
        CallerView viewer = viewer(responses);
        if (viewer == null) {
            return;
        }
        try {
            DaemonStatus now = this.status.get();
            DaemonStatus.Index facts = now.index();
            GetStatusResponse.Builder status = GetStatusResponse.newBuilder()
                    .setState(facts.firstCrawlComplete() ? IndexState.INDEX_STATE_READY : IndexState.INDEX_STATE_CRAWLING)
                    .setPaths(facts.paths())
                    .setIndexBytes(facts.indexBytes())
                    .setDaemonVersion(VERSION)
                    .setStateDir(ByteString.copyFromUtf8(now.stateDir().toString()));
            now.roots().forEach(r -> status.addRoots(ByteString.copyFrom(r)));
            if (facts.lastCrawlEnd() != null) {
                status.setLastCrawlEndTime(ProtoValues.timestamp(facts.lastCrawlEnd()));
                status.setLastCrawlDuration(com.google.protobuf.Duration.newBuilder()
                        .setSeconds(facts.lastCrawlDuration().getSeconds())
                        .setNanos(facts.lastCrawlDuration().getNano()));
            }
            if (facts.writeError() != null) {
                status.setIndexWriteError(facts.writeError())
                        .setIndexWriteErrorSince(ProtoValues.timestamp(facts.writeErrorSince()));
            }
            DaemonStatus.Watch watch = now.watch();
            if (watch != null) {
                WatchStatus.Builder w = WatchStatus.newBuilder()
                        .setWatchedDirectories(watch.watchedDirectories())
                        .setUnwatchedDirectories(watch.unwatchedDirectories())
                        .setEventsApplied(watch.eventsApplied())
                        .setPendingDirectories(watch.pendingDirectories())
                        .setDegraded(watch.degraded() != null)
                        .setDegradedReason(watch.degraded() == null ? "" : watch.degraded());
                if (watch.lastEvent() != null) {
                    w.setLastEventTime(ProtoValues.timestamp(watch.lastEvent()));
                }
                w.setWatchBudget(watch.budgetWatches())
                        .setWatchBudgetSource(watch.budgetSource())
                        .setUnwatchedRescanInterval(com.google.protobuf.Duration.newBuilder()
                                .setSeconds(watch.unwatchedRescanInterval().getSeconds()));
                if (watch.oldestUnwatchedListing() != null) {
                    w.setOldestUnwatchedListingTime(ProtoValues.timestamp(watch.oldestUnwatchedListing()));
                }
                status.setWatch(w);
            }
            DaemonStatus.Crawl running = now.runningCrawl();
            DaemonStatus.Crawl crawl = now.crawl();
            status.setCrawlRunning(running != null);
            if (crawl != null) {
                status.setCrawl(CrawlProgress.newBuilder()
                        .setDirectories(crawl.directories())
                        .setEntries(crawl.entries())
                        .setUnreadableDirectories(crawl.unreadable())
                        .setExcluded(crawl.excluded())
                        .setStartTime(ProtoValues.timestamp(crawl.started()))
                        .setEstimatedEntries(running != null ? now.runningCrawlEstimate() : 0));
            }
            responses.onNext(viewer.seesEverything() ? status.build() : StatusFigures.withheld(status));
            responses.onCompleted();
        } catch (IOException e) {
            responses.onError(Failures.internal("cannot read the index", e));
        }
    }


    /** Collects hits into batches and sends each when the client is ready for it. */
    private static final class Batcher implements HitConsumer {
        private final ServerCallStreamObserver<SearchResponse> call;
        private final ReadyGate gate;
        private final Budget budget;
        private final BulkTurns turns;
        private boolean inTurn;
        private int batchesSent;
        private final long limit;
        private final boolean countOnly;
        private final boolean incomplete;
        private SearchResponse.Builder batch = SearchResponse.newBuilder();
        private long count;
        private boolean sentAny;
        private boolean stopped;

        Batcher(ServerCallStreamObserver<SearchResponse> call, ReadyGate gate, Budget budget, BulkTurns turns,
                long limit, boolean countOnly, boolean incomplete) {
            this.call = call;
            this.gate = gate;
            this.budget = budget;
            this.turns = turns;
            this.limit = limit;
            this.countOnly = countOnly;
            this.incomplete = incomplete;
        }

        @Override
        public boolean accept(Hit hit) {
            if (gate.cancelled()) {
                stopped = true;
                return false;
            }
            count++;
            if (!countOnly) {
                if (batchesSent >= BulkTurns.FREE_BATCHES && !inTurn && !beginTurn()) {
                    return false;
                }
                batch.addEntries(ProtoValues.entry(hit.path(), hit.type(), hit.size(), hit.mtimeMillis()));
                if (batch.getEntriesCount() >= BATCH_SIZE && !send()) {
                    return false;
                }
            }
            return limit == 0 || count < limit;
        }

        /** Sends what is left; false if the call was cancelled and must not be completed. */
        boolean finish() throws InterruptedException {
            endTurn();
            if (stopped) {
                return false;
            }
            if (batch.getEntriesCount() > 0 || countOnly || !sentAny) {
                if (!gate.awaitReady()) {
                    return false;
                }
                call.onNext(batch.setTotalCount(count).setIndexIncomplete(incomplete).build());
            }
            return true;
        }

        /** Waits for a turn to produce the next batch; false if interrupted (shutting down). */
        private boolean beginTurn() {
            budget.pause(); // waiting for a turn is not work either
            try {
                turns.begin();
                inTurn = true;
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
                return false;
            } finally {
                budget.resume();
            }
        }

        /** Gives the turn back, if this search holds one. */
        void endTurn() {
            if (inTurn) {
                inTurn = false;
                turns.end();
            }
        }

        private boolean send() {
            endTurn(); // never hold a turn while the client reads
            budget.pause(); // waiting for a slow reader is not work
            try {
                if (!gate.awaitReady()) {
                    stopped = true;
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
                return false;
            } finally {
                budget.resume();
            }
            call.onNext(batch.setTotalCount(count).setIndexIncomplete(incomplete).build());
            sentAny = true;
            batchesSent++;
            batch = SearchResponse.newBuilder();
            return true;
        }
    }
}
