package dev.jfind.server.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.jfind.api.v1.JfindServiceGrpc;
import dev.jfind.api.v1.PatternSyntax;
import dev.jfind.api.v1.SearchRequest;
import dev.jfind.api.v1.SearchResponse;
import dev.jfind.server.access.Caller;
import dev.jfind.server.access.Visibility;
import dev.jfind.server.crawl.CrawlStats;
import dev.jfind.server.crawl.Crawler;
import dev.jfind.server.crawl.Exclusions;
import dev.jfind.server.index.PathIndex;
import dev.jfind.server.query.Patterns;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches with hundreds or thousands of alternatives (--any patterns, a regex alternation,
 * an ext: list), through the real service in-process: answered exactly, or refused as
 * INVALID_ARGUMENT naming the limit; never a query too big for Lucene (INTERNAL).
 */
class ManyPatternsTest {
    private static final int DIRS = 30;
    private static final int PER_DIR = 100;

    @TempDir
    Path tmp;
    private Path root;
    private PathIndex index;
    private Server server;
    private ManagedChannel channel;
    private ThreadPoolExecutor searches;
    private JfindServiceGrpc.JfindServiceBlockingStub stub;

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectories(tmp.resolve("tree"));
        for (int d = 0; d < DIRS; d++) {
            Path dir = Files.createDirectories(root.resolve(String.format("dir-%02d", d)));
            for (int f = 0; f < PER_DIR; f++) {
                Files.createFile(dir.resolve(String.format("file-%05d.e%03d", d * PER_DIR + f, f)));
            }
        }
        index = PathIndex.open(tmp.resolve("index"));
        PathIndex.CrawlSession session = index.startCrawl();
        new Crawler(Exclusions.virtualOnly(), 2).crawl(List.of(root), session.sink(), new CrawlStats(), () -> false);
        index.finishCrawl(session, Instant.now(), true);
        searches = new ThreadPoolExecutor(0, 4, 60, TimeUnit.SECONDS, new SynchronousQueue<>());
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .addService(new JfindService(index, JfindServiceTest.fixedStatus(index, root), searches))
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

    private Set<String> search(SearchRequest request) {
        Set<String> paths = new TreeSet<>();
        stub.search(request).forEachRemaining((SearchResponse r) ->
                r.getEntriesList().forEach(e -> paths.add(e.getPath().toStringUtf8())));
        return paths;
    }

    private String file(int n) {
        return root.resolve(String.format("dir-%02d/file-%05d.e%03d", n / PER_DIR, n, n % PER_DIR)).toString();
    }

    @Test
    void twoThousandAnyPatternsAreAnsweredExactly() {
        SearchRequest.Builder any = SearchRequest.newBuilder().setMatchAny(true);
        SearchRequest.Builder anyFolded = SearchRequest.newBuilder().setMatchAny(true).setIgnoreCase(true);
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 2_000; i++) {
            // every other pattern names a file (every third one of them), the rest nothing
            String p = i % 2 == 0 ? String.format("file-%05d.", i / 2 * 3) : String.format("absent-%05d", i);
            if (i % 2 == 0 && i / 2 * 3 < DIRS * PER_DIR) {
                expected.add(file(i / 2 * 3));
            }
            any.addPatterns(ByteString.copyFromUtf8(p));
            anyFolded.addPatterns(ByteString.copyFromUtf8(p.toUpperCase(java.util.Locale.ROOT)));
        }
        assertEquals(1_000, expected.size());
        assertEquals(expected, search(any.build()));
        assertEquals(expected, search(anyFolded.build()), "-i");
        // patterns that span the slash, and a directory's name, mixed with names
        SearchRequest.Builder spans = SearchRequest.newBuilder().setMatchAny(true)
                .addPatterns(ByteString.copyFromUtf8("dir-07/file-00705."))
                .addPatterns(ByteString.copyFromUtf8("dir-29/"));
        for (int i = 0; i < 500; i++) {
            spans.addPatterns(ByteString.copyFromUtf8("absent-" + i));
        }
        Set<String> slash = search(spans.build());
        assertEquals(PER_DIR + 1, slash.size(), slash.toString());
        assertTrue(slash.contains(file(705)));
        assertTrue(slash.contains(file(2999)));
    }

    @Test
    void aRegexAlternationOfSixHundredNamesIsAnswered() {
        List<String> names = new ArrayList<>();
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 600; i++) {
            int n = i * 5;
            names.add(String.format("file-%05d\\.e%03d", n, n % PER_DIR));
            expected.add(file(n));
        }
        SearchRequest regex = SearchRequest.newBuilder().setSyntax(PatternSyntax.PATTERN_SYNTAX_REGEX)
                .addPatterns(ByteString.copyFromUtf8("/(" + String.join("|", names) + ")$")).build();
        assertEquals(expected, search(regex));
    }

    @Test
    void anExtListOfSixHundredIsAnswered() {
        List<String> exts = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            exts.add(i % 60 == 0 ? String.format("e%03d", i / 60) : "x" + i); // ten that exist
        }
        Set<String> found = search(SearchRequest.newBuilder().setQuery("ext:" + String.join(";", exts)).build());
        assertEquals(10 * DIRS, found.size());
        assertTrue(found.contains(file(PER_DIR + 9)));
        // and the same as an OR of 600 name: terms
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            terms.add(String.format("name:file-%05d.", i * 5));
        }
        assertEquals(600, search(SearchRequest.newBuilder().setQuery(String.join(" OR ", terms)).build()).size());
    }

    @Test
    void patternsOverTheSizeLimitAreInvalidArgumentNamingTheLimit() {
        SearchRequest.Builder big = SearchRequest.newBuilder().setMatchAny(true);
        byte[] pattern = new byte[60_000];
        java.util.Arrays.fill(pattern, (byte) 'q');
        for (int i = 0; i * pattern.length <= Patterns.MAX_TOTAL_BYTES; i++) {
            big.addPatterns(ByteString.copyFrom(pattern));
        }
        Iterator<SearchResponse> it = stub.search(big.build());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, it::hasNext);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("at most " + Patterns.MAX_TOTAL_BYTES + " bytes"),
                e.getStatus().getDescription());
    }
}
