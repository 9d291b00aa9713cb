package dev.jfind.server.rpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.jfind.api.v1.JfindServiceGrpc;
import dev.jfind.api.v1.SearchRequest;
import dev.jfind.api.v1.SearchResponse;
import dev.jfind.server.access.Caller;
import dev.jfind.server.access.Visibility;
import dev.jfind.server.crawl.CrawlStats;
import dev.jfind.server.crawl.Crawler;
import dev.jfind.server.crawl.Exclusions;
import dev.jfind.server.index.PathIndex;
import dev.jfind.server.testing.Await;
import dev.jfind.server.testing.Trees;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of random, malformed and hostile search requests against the real service:
 * each must end with OK or a status that names the client's mistake or limit, never
 * INTERNAL or UNKNOWN, in bounded time; afterwards no search thread is left running and
 * the heap has not grown.
 */
class RequestFuzzTest {
    private static final int REQUESTS = 3_000;
    private static final Set<Status.Code> ALLOWED = Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT,
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED);
    private static final String[] QUERY_PARTS = {"name:", "path:", "ext:", "type:", "size:", "mtime:", "depth:",
        "AND", "OR", "NOT", "(", ")", "[", "]", "TO", "*", "?", "\"", ">", "<=", "10M", "7d", "2024-01-01", "f",
        "file", "x", "~", "^2", "/", ":", "\\", "-", "{", "}", "colour:", "\u00e9", "\n", " "};
    private static final String[] REGEX_PARTS = {"(", ")", "[", "]", "*", "+", "?", "{2,}", "\\", "a", ".", "|",
        "^", "$", "(?x)", "(?i)", "\\Q", "\\E", "\\p{L}", "(.*a){8}", "file", "[^/]", "\\d"};

    @TempDir
    Path tmp;

    @Test
    void randomRequestsGetTheRightStatusAndLeaveTheDaemonHealthy() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Trees.awkward(root, 2_000, 30);
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            PathIndex.CrawlSession session = index.startCrawl();
            new Crawler(Exclusions.virtualOnly(), 2).crawl(List.of(root), session.sink(), new CrawlStats(), () -> false);
            index.finishCrawl(session, Instant.now(), true);
            ThreadPoolExecutor searches = new ThreadPoolExecutor(0, 8, 60, TimeUnit.SECONDS, new SynchronousQueue<>());
            String name = InProcessServerBuilder.generateName();
            Server server = InProcessServerBuilder.forName(name)
                    .addService(new JfindService(index, JfindServiceTest.fixedStatus(index, root), searches, 2_000))
                    .intercept(CallerInterceptor.fixed(Visibility.forThisProcess(), Caller.user(0, 0)))
                    .build().start();
            ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
            try {
                JfindServiceGrpc.JfindServiceBlockingStub stub = JfindServiceGrpc.newBlockingStub(channel);
                Random random = new Random(20261125);
                runAll(stub, random, 200); // warm up before measuring the heap
                long heapBefore = usedHeapAfterGc();
                Map<Status.Code, Integer> seen = runAll(stub, random, REQUESTS);
                assertTrue(seen.getOrDefault(Status.Code.OK, 0) > REQUESTS / 10, "many requests are fine: " + seen);
                assertTrue(seen.getOrDefault(Status.Code.INVALID_ARGUMENT, 0) > REQUESTS / 10, "many are refused: " + seen);
                Await.upTo(Duration.ofSeconds(20)).until("no search left running", searches::getActiveCount, n -> n == 0);
                long heapAfter = usedHeapAfterGc();
                assertTrue(heapAfter < heapBefore + 64L * 1024 * 1024,
                        "heap grew from " + heapBefore / 1024 / 1024 + " to " + heapAfter / 1024 / 1024 + " MiB");
                // and it still answers correctly
                assertTrue(stub.search(SearchRequest.newBuilder().addPatterns(ByteString.copyFromUtf8("file-00"))
                        .setCountOnly(true).build()).next().getTotalCount() > 0);
            } finally {
                channel.shutdownNow();
                server.shutdownNow();
                searches.shutdownNow();
            }
        }
    }

    private static Map<Status.Code, Integer> runAll(JfindServiceGrpc.JfindServiceBlockingStub stub, Random random,
            int n) {
        Map<Status.Code, Integer> seen = new EnumMap<>(Status.Code.class);
        for (int i = 0; i < n; i++) {
            SearchRequest request = randomRequest(random);
            Status.Code code = run(stub, request, random);
            assertTrue(ALLOWED.contains(code), code + " for " + shorten(request));
            seen.merge(code, 1, Integer::sum);
        }
        return seen;
    }

    /** Runs one request: to the end, or cut short by a deadline or by reading only part of it. */
    private static Status.Code run(JfindServiceGrpc.JfindServiceBlockingStub stub, SearchRequest request, Random random) {
        int mode = random.nextInt(10);
        JfindServiceGrpc.JfindServiceBlockingStub s = mode == 0 ? stub.withDeadlineAfter(1 + random.nextInt(20),
                TimeUnit.MILLISECONDS) : stub.withDeadlineAfter(30, TimeUnit.SECONDS);
        io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
        io.grpc.Context previous = context.attach();
        try {
            Iterator<SearchResponse> it = s.search(request);
            int read = 0;
            while (it.hasNext()) {
                it.next();
                if (mode == 1 && ++read == 1) {
                    context.cancel(null); // a client that stops reading mid-stream
                    return Status.Code.CANCELLED;
                }
            }
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        } finally {
            context.detach(previous);
            context.cancel(null);
        }
    }

    private static SearchRequest randomRequest(Random r) {
        SearchRequest.Builder b = SearchRequest.newBuilder();
        int patterns = r.nextInt(4);
        for (int i = 0; i < patterns; i++) {
            b.addPatterns(ByteString.copyFrom(randomPattern(r)));
        }
        b.setSyntaxValue(r.nextInt(7) - 1); // includes unknown values
        b.setIgnoreCase(r.nextBoolean());
        b.setBasename(r.nextInt(4) == 0);
        b.setMatchAny(r.nextInt(4) == 0);
        b.setExistingOnly(r.nextInt(8) == 0);
        b.setCountOnly(r.nextInt(4) == 0);
        long[] limits = {0, 0, 1, 5, 100, -1, Long.MIN_VALUE, Long.MAX_VALUE};
        b.setLimit(limits[r.nextInt(limits.length)]);
        b.setSortValue(r.nextInt(4) == 0 ? r.nextInt(8) - 1 : 0);
        b.setReverse(r.nextBoolean());
        if (r.nextInt(3) == 0) {
            StringBuilder q = new StringBuilder();
            int parts = 1 + r.nextInt(6);
            for (int i = 0; i < parts; i++) {
                q.append(QUERY_PARTS[r.nextInt(QUERY_PARTS.length)]);
                if (r.nextBoolean()) {
                    q.append(' ');
                }
            }
            b.setQuery(q.toString());
        }
        return b.build();
    }

    private static byte[] randomPattern(Random r) {
        switch (r.nextInt(8)) {
            case 0: { // random bytes: NUL, invalid UTF-8, anything
                byte[] b = new byte[r.nextInt(12)];
                r.nextBytes(b);
                return b;
            }
            case 1: { // huge: 1 MB
                byte[] b = new byte[1 << 20];
                java.util.Arrays.fill(b, (byte) 'a');
                return b;
            }
            case 2: { // regex fragments
                StringBuilder s = new StringBuilder();
                for (int i = 1 + r.nextInt(5); i > 0; i--) {
                    s.append(REGEX_PARTS[r.nextInt(REGEX_PARTS.length)]);
                }
                return s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            default: { // something that may match
                String[] words = {"file-", "Report", "caf\u00e9", ".txt", "big", "d1", "*.txt", "[a-z]", "?", "", "/"};
                return words[r.nextInt(words.length)].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
        }
    }

    private static String shorten(SearchRequest r) {
        String s = r.toString();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
