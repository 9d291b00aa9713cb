package dev.jfind.server.rpc;

import dev.jfind.server.status.DaemonStatus;
import dev.jfind.server.status.StatusSupplier;
import dev.jfind.server.update.StatusRecords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.jfind.api.v1.GetStatusRequest;
import dev.jfind.api.v1.GetStatusResponse;
import dev.jfind.api.v1.IndexState;
import dev.jfind.api.v1.JfindServiceGrpc;
import dev.jfind.api.v1.SearchRequest;
import dev.jfind.api.v1.SearchResponse;
import dev.jfind.api.v1.FollowEvent;
import dev.jfind.api.v1.FollowEventKind;
import dev.jfind.api.v1.FollowRequest;
import dev.jfind.api.v1.FollowResponse;
import dev.jfind.api.v1.PatternSyntax;
import dev.jfind.api.v1.SortKey;
import dev.jfind.server.access.Caller;
import dev.jfind.server.access.Visibility;
import dev.jfind.server.crawl.CrawlStats;
import dev.jfind.server.crawl.Crawler;
import dev.jfind.server.crawl.Exclusions;
import dev.jfind.server.index.IndexFacts;
import dev.jfind.server.index.PathIndex;
import dev.jfind.server.testing.Await;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real service over gRPC's in-process transport. */
class JfindServiceTest {
    private static final int FILES = 3_000;

    @TempDir
    Path tmp;
    private PathIndex index;
    private Server server;
    private ManagedChannel channel;
    private ThreadPoolExecutor searches;
    private JfindServiceGrpc.JfindServiceBlockingStub stub;

    @BeforeEach
    void start() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        for (int i = 0; i < FILES; i++) {
            Files.createFile(root.resolve(String.format("file-%05d.txt", i)));
        }
        index = PathIndex.open(tmp.resolve("index"));
        PathIndex.CrawlSession session = index.startCrawl();
        new Crawler(Exclusions.virtualOnly(), 2).crawl(List.of(root), session.sink(), new CrawlStats(), () -> false);
        index.finishCrawl(session, Instant.now(), true);
        searches = new ThreadPoolExecutor(0, 4, 60, TimeUnit.SECONDS, new SynchronousQueue<>());
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .addService(new JfindService(index, fixedStatus(index, root), searches))
                .intercept(CallerInterceptor.fixed(Visibility.forThisProcess(), Caller.user(0, 0)))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        stub = JfindServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws IOException {
        channel.shutdownNow();
        server.shutdownNow();
        searches.shutdownNow();
        index.close();
    }

    private static SearchRequest.Builder pattern(String p) {
        return SearchRequest.newBuilder().addPatterns(ByteString.copyFromUtf8(p));
    }

    @Test
    void streamsEveryMatchInBoundedBatches() {
        List<SearchResponse> batches = new ArrayList<>();
        stub.search(pattern("file-").build()).forEachRemaining(batches::add);
        int total = batches.stream().mapToInt(SearchResponse::getEntriesCount).sum();
        assertEquals(FILES, total);
        assertTrue(batches.size() >= FILES / JfindService.BATCH_SIZE, "results arrive in several messages");
        batches.forEach(b -> assertTrue(b.getEntriesCount() <= JfindService.BATCH_SIZE));
        assertEquals(FILES, batches.get(batches.size() - 1).getTotalCount());
        assertFalse(batches.get(0).getIndexIncomplete());
    }

    @Test
    void limitAndCountOnly() {
        List<SearchResponse> limited = new ArrayList<>();
        stub.search(pattern("file-").setLimit(5).build()).forEachRemaining(limited::add);
        assertEquals(5, limited.stream().mapToInt(SearchResponse::getEntriesCount).sum());

        List<SearchResponse> counted = new ArrayList<>();
        stub.search(pattern("file-01").setCountOnly(true).build()).forEachRemaining(counted::add);
        assertEquals(1, counted.size());
        assertEquals(0, counted.get(0).getEntriesCount());
        assertEquals(1_000, counted.get(0).getTotalCount());
    }

    @Test
    void noMatchIsAnEmptySuccessfulStream() {
        List<SearchResponse> batches = new ArrayList<>();
        stub.search(pattern("no-such-name").build()).forEachRemaining(batches::add);
        assertEquals(0, batches.stream().mapToInt(SearchResponse::getEntriesCount).sum());
    }

    @Test
    void negativeLimitIsInvalidArgumentWithAReadableMessage() throws Exception {
        Iterator<SearchResponse> it = stub.search(pattern("x").setLimit(-3).build());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, it::hasNext);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("limit"), e.getStatus().getDescription());
        com.google.rpc.Status details = io.grpc.protobuf.StatusProto.fromThrowable(e);
        com.google.rpc.BadRequest bad = details.getDetails(0).unpack(com.google.rpc.BadRequest.class);
        assertEquals("limit", bad.getFieldViolations(0).getField(), "programs learn which field was bad");
    }

    @Test
    void anInvalidRegexOrQueryIsInvalidArgumentNamingTheField() throws Exception {
        StatusRuntimeException regex = assertThrows(StatusRuntimeException.class, () -> stub.search(
                pattern("file-(").setSyntax(PatternSyntax.PATTERN_SYNTAX_REGEX).build()).hasNext());
        assertEquals(Status.Code.INVALID_ARGUMENT, regex.getStatus().getCode());
        assertTrue(regex.getStatus().getDescription().contains("invalid regular expression"));
        assertEquals("patterns", badField(regex));

        StatusRuntimeException query = assertThrows(StatusRuntimeException.class, () -> stub.search(
                SearchRequest.newBuilder().setQuery("size:>lots").build()).hasNext());
        assertEquals(Status.Code.INVALID_ARGUMENT, query.getStatus().getCode());
        assertTrue(query.getStatus().getDescription().contains("column 7"), query.getStatus().getDescription());
        assertEquals("query", badField(query));

        StatusRuntimeException sort = assertThrows(StatusRuntimeException.class, () -> stub.search(
                pattern("x").setSortValue(99).build()).hasNext());
        assertEquals("sort", badField(sort));
        // and the daemon is fine afterwards
        assertEquals(FILES, count(pattern("file-").build()));
    }

    private static String badField(StatusRuntimeException e) throws Exception {
        com.google.rpc.Status details = io.grpc.protobuf.StatusProto.fromThrowable(e);
        return details.getDetails(0).unpack(com.google.rpc.BadRequest.class).getFieldViolations(0).getField();
    }

    private long count(SearchRequest request) {
        List<SearchResponse> batches = new ArrayList<>();
        stub.search(request).forEachRemaining(batches::add);
        return batches.stream().mapToInt(SearchResponse::getEntriesCount).sum();
    }

    private List<String> paths(SearchRequest request) {
        List<String> paths = new ArrayList<>();
        stub.search(request).forEachRemaining(b -> b.getEntriesList().forEach(e -> paths.add(e.getPath().toStringUtf8())));
        return paths;
    }

    @Test
    void regexGlobBasenameAnyAndQueryReachTheIndex() {
        assertEquals(10, count(pattern("file-0000[0-9]\\.txt$").setSyntax(PatternSyntax.PATTERN_SYNTAX_REGEX).build()));
        assertEquals(100, count(pattern("*file-001??.txt").setSyntax(PatternSyntax.PATTERN_SYNTAX_LOCATE).build()));
        String tmpName = tmp.getFileName().toString();
        assertEquals(FILES + 1, count(pattern(tmpName).build()));
        assertEquals(0, count(pattern(tmpName).setBasename(true).build()), "only a directory above holds it");
        assertEquals(1, count(pattern("tree").setBasename(true).build()), "the root's own name");
        assertEquals(2, count(pattern("file-00001.").addPatterns(ByteString.copyFromUtf8("file-00002."))
                .setMatchAny(true).build()));
        assertEquals(3, count(SearchRequest.newBuilder().setQuery("name:file-0000 AND (name:1 OR name:2 OR name:3)").build()));
        assertEquals(1, count(SearchRequest.newBuilder().setQuery("type:d").build()), "the root");
    }

    @Test
    void sortedResultsHonourOrderReverseAndLimit() throws IOException {
        Files.write(tmp.resolve("tree/file-00007.txt"), new byte[5000]);
        Files.write(tmp.resolve("tree/file-00003.txt"), new byte[3000]);
        List<String> bySize = paths(pattern("file-").setSort(SortKey.SORT_KEY_SIZE).setReverse(true).setLimit(2).build());
        assertEquals(2, bySize.size());
        // sizes are as indexed: the tree was crawled before the writes, so every size is 0 and ties go by path
        List<String> byPath = paths(pattern("file-").setSort(SortKey.SORT_KEY_PATH).build());
        List<String> sorted = new ArrayList<>(byPath);
        java.util.Collections.sort(sorted);
        assertEquals(sorted, byPath);
        assertEquals(FILES, byPath.size());
        List<String> reversed = paths(pattern("file-").setSort(SortKey.SORT_KEY_NAME).setReverse(true).setLimit(3).build());
        assertTrue(reversed.get(0).endsWith("file-02999.txt"), reversed.toString());
        assertTrue(reversed.get(2).endsWith("file-02997.txt"), reversed.toString());
    }

    @Test
    void existingOnlyDropsPathsDeletedSinceTheyWereIndexed() throws IOException {
        Files.delete(tmp.resolve("tree/file-00010.txt"));
        assertEquals(1, count(pattern("file-00010").build()), "still indexed");
        assertEquals(0, count(pattern("file-00010").setExistingOnly(true).build()));
        assertEquals(1, count(pattern("file-00011").setExistingOnly(true).build()));
    }

    @Test
    void aCatastrophicRegexEndsWithinTheBudgetAndLeavesTheDaemonHealthy() throws Exception {
        String name = InProcessServerBuilder.generateName();
        Server strict = InProcessServerBuilder.forName(name)
                .addService(new JfindService(index, fixedStatus(index, tmp), searches, 300))
                .intercept(CallerInterceptor.fixed(Visibility.forThisProcess(), Caller.user(0, 0)))
                .build().start();
        ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
        try {
            JfindServiceGrpc.JfindServiceBlockingStub s = JfindServiceGrpc.newBlockingStub(ch);
            // a name that makes (.*a){20}b backtrack for ages (40 choose 20 ways), whatever the temporary directory is called
            Files.createFile(tmp.resolve("tree").resolve("a".repeat(40)));
            recrawlDirectory(tmp.resolve("tree"));
            long start = System.nanoTime();
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> s.search(
                    pattern("(.*a){20}b").setSyntax(PatternSyntax.PATTERN_SYNTAX_REGEX).setBasename(true).build()).hasNext());
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("more selective"), e.getStatus().getDescription());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "bounded time");
            waitFor(() -> searches.getActiveCount() == 0, "the search thread is free again");
            assertTrue(s.search(pattern("file-00001").build()).hasNext());
        } finally {
            ch.shutdownNow();
            strict.shutdownNow();
        }
    }

    @Test
    void followSendsCurrentMatchesThenChangesAsTheyAreIndexed() throws Exception {
        java.util.concurrent.BlockingQueue<FollowResponse> got = new java.util.concurrent.LinkedBlockingQueue<>();
        Iterator<FollowResponse> it = JfindServiceGrpc.newBlockingStub(channel).follow(FollowRequest.newBuilder()
                .setSearch(pattern("file-0000")).setIncludeRemovals(true).build());
        Thread reader = new Thread(() -> {
            try {
                it.forEachRemaining(got::add);
            } catch (StatusRuntimeException e) {
                // cancelled at the end of the test
            }
        });
        reader.setDaemon(true);
        reader.start();
        List<String> existing = new ArrayList<>();
        FollowResponse r;
        do {
            r = got.poll(10, TimeUnit.SECONDS);
            assertTrue(r != null, "the current matches and the catch-up mark arrive");
            r.getEventsList().forEach(e -> {
                assertEquals(FollowEventKind.FOLLOW_EVENT_KIND_EXISTING, e.getKind());
                existing.add(e.getEntry().getPath().toStringUtf8());
            });
        } while (!r.getCaughtUp());
        assertEquals(10, existing.size());

        Path root = tmp.resolve("tree");
        Files.createFile(root.resolve("file-0000-new.txt"));
        Files.createFile(root.resolve("unrelated.txt"));
        Files.delete(root.resolve("file-00003.txt"));
        PathIndex.CrawlSession session = index.startCrawl();
        new Crawler(Exclusions.virtualOnly(), 2).crawl(List.of(root), session.sink(), new CrawlStats(), () -> false);
        index.finishCrawl(session, Instant.now(), true);

        java.util.Map<String, FollowEventKind> changes = new java.util.HashMap<>();
        Await.upTo(Duration.ofSeconds(10)).every(Duration.ZERO).until("two changes followed", () -> {
            FollowResponse next = got.poll(100, TimeUnit.MILLISECONDS); // the wait between polls
            if (next != null) {
                next.getEventsList().forEach(e -> changes.put(e.getEntry().getPath().toStringUtf8(), e.getKind()));
            }
            return changes;
        }, c -> c.size() >= 2);
        assertEquals(java.util.Map.of(
                root.resolve("file-0000-new.txt").toString(), FollowEventKind.FOLLOW_EVENT_KIND_ADDED,
                root.resolve("file-00003.txt").toString(), FollowEventKind.FOLLOW_EVENT_KIND_REMOVED), changes);
        channel.shutdownNow();
        waitFor(() -> searches.getActiveCount() == 0, "nothing left running");
    }

    @Test
    void followWithAQueryReportsPathsThatChangeIntoAndOutOfMatching() throws Exception {
        java.util.concurrent.BlockingQueue<FollowEvent> got = new java.util.concurrent.LinkedBlockingQueue<>();
        Iterator<FollowResponse> it = JfindServiceGrpc.newBlockingStub(channel).follow(FollowRequest.newBuilder()
                .setSearch(SearchRequest.newBuilder().setQuery("name:file-0002 AND size:>100"))
                .setIncludeRemovals(true).setSkipExisting(true).build());
        Thread reader = new Thread(() -> {
            try {
                it.forEachRemaining(r -> got.addAll(r.getEventsList()));
            } catch (StatusRuntimeException e) {
                // cancelled at the end of the test
            }
        });
        reader.setDaemon(true);
        reader.start();
        Path root = tmp.resolve("tree");
        Path grown = root.resolve("file-00020.txt");
        Files.write(grown, new byte[500]); // grows past 100 bytes: starts to match
        recrawlDirectory(root);
        FollowEvent added = got.poll(10, TimeUnit.SECONDS);
        assertEquals(FollowEventKind.FOLLOW_EVENT_KIND_ADDED, added.getKind());
        assertEquals(grown.toString(), added.getEntry().getPath().toStringUtf8());
        assertEquals(500, added.getEntry().getSize());
        Files.write(grown, new byte[5]); // shrinks: stops matching, though it still exists
        recrawlDirectory(root);
        FollowEvent removed = got.poll(10, TimeUnit.SECONDS);
        assertEquals(FollowEventKind.FOLLOW_EVENT_KIND_REMOVED, removed.getKind());
        assertEquals(grown.toString(), removed.getEntry().getPath().toStringUtf8());
        channel.shutdownNow();
    }

    /** Lists {@code dir} again as a live update does, comparing it with the index. */
    private void recrawlDirectory(Path dir) throws Exception {
        PathIndex.CrawlSession session = index.startUpdate(false);
        new Crawler(Exclusions.virtualOnly(), 2).crawl(List.of(dir), session.sink(), new CrawlStats(), () -> false);
        index.finishUpdate(session);
    }

    @Test
    void followRefusesABadQueryLikeSearch() throws Exception {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.follow(FollowRequest.newBuilder()
                .setSearch(SearchRequest.newBuilder().setQuery("name:(")).build()).hasNext());
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("search.query", badField(e));
    }

    @Test
    void aClientDeadlineEndsTheSearchOnTheDaemon() throws Exception {
        // a reader that never reads: only the deadline can end the call
        JfindServiceGrpc.newStub(channel).withDeadlineAfter(300, TimeUnit.MILLISECONDS).search(pattern("file-").build(),
                new ClientResponseObserver<SearchRequest, SearchResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<SearchRequest> requestStream) {
                        requestStream.disableAutoRequestWithInitial(1);
                    }

                    @Override
                    public void onNext(SearchResponse value) {}

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                });
        waitFor(() -> searches.getActiveCount() == 1, "search parked by flow control");
        waitFor(() -> searches.getActiveCount() == 0, "the deadline ends the search on the daemon");
    }

    @Test
    void slowReaderHoldsTheSearchAndCancelReleasesIt() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        ClientCallStreamObserver<?>[] call = new ClientCallStreamObserver<?>[1];
        JfindServiceGrpc.newStub(channel).search(pattern("file-").build(),
                new ClientResponseObserver<SearchRequest, SearchResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<SearchRequest> requestStream) {
                        call[0] = requestStream;
                        requestStream.disableAutoRequestWithInitial(1); // read one batch, then stall
                    }

                    @Override
                    public void onNext(SearchResponse value) {
                        first.countDown();
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                });
        assertTrue(first.await(10, TimeUnit.SECONDS));
        // The search waits for the reader instead of running ahead and buffering everything.
        waitFor(() -> searches.getActiveCount() == 1, "search is parked by flow control");
        call[0].cancel("reader gave up", null);
        waitFor(() -> searches.getActiveCount() == 0, "cancel ends the search on the daemon");
    }

    @Test
    void statusDescribesTheIndex() {
        GetStatusResponse status = stub.getStatus(GetStatusRequest.getDefaultInstance());
        assertEquals(IndexState.INDEX_STATE_READY, status.getState());
        assertEquals(FILES + 1, status.getPaths());
        assertTrue(status.getIndexBytes() > 0);
        assertTrue(status.hasLastCrawlDuration());
        assertEquals(tmp.resolve("tree").toString(), status.getRoots(0).toStringUtf8());
    }

    private static void waitFor(BooleanSupplier condition, String what) throws Exception {
        Await.upTo(Duration.ofSeconds(10)).every(Duration.ofMillis(10)).until(what, condition::getAsBoolean);
    }

    /** The status of a daemon over a fixed index and root, with no crawl and no live updates. */
    static StatusSupplier fixedStatus(PathIndex index, Path root) {
        return () -> new DaemonStatus(List.of(root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)), root,
                StatusRecords.index(index.facts()), null, 0, null, null);
    }
}
