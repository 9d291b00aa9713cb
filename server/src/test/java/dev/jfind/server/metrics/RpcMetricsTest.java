package dev.jfind.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.jfind.api.v1.GetStatusRequest;
import dev.jfind.api.v1.GetStatusResponse;
import dev.jfind.api.v1.JfindServiceGrpc;
import dev.jfind.api.v1.PathEntry;
import dev.jfind.api.v1.SearchRequest;
import dev.jfind.api.v1.SearchResponse;
import dev.jfind.server.testing.Await;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The interceptor over gRPC's in-process transport, in front of a service whose answers the test picks. */
class RpcMetricsTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    /** Counted down when a hanging search has reached the service, and when it learns it was cancelled. */
    private final CountDownLatch hangStarted = new CountDownLatch(1);
    private final CountDownLatch hangEnded = new CountDownLatch(1);
    private Server server;
    private ManagedChannel channel;

    /**
     * Search "bad" fails with INVALID_ARGUMENT, "hang" never answers, anything else streams
     * two responses of 3 and 2 paths.
     */
    private final class ScriptedService extends JfindServiceGrpc.JfindServiceImplBase {
        @Override
        public void search(SearchRequest request, StreamObserver<SearchResponse> responses) {
            switch (request.getPatterns(0).toStringUtf8()) {
                case "bad" -> responses.onError(Status.INVALID_ARGUMENT.withDescription("bad").asRuntimeException());
                case "hang" -> {
                    Context.current().addListener(c -> hangEnded.countDown(), Runnable::run);
                    hangStarted.countDown();
                }
                default -> {
                    responses.onNext(batch(3));
                    responses.onNext(batch(2));
                    responses.onCompleted();
                }
            }
        }

        @Override
        public void getStatus(GetStatusRequest request, StreamObserver<GetStatusResponse> response) {
            response.onNext(GetStatusResponse.getDefaultInstance());
            response.onCompleted();
        }

        private SearchResponse batch(int paths) {
            SearchResponse.Builder b = SearchResponse.newBuilder();
            for (int i = 0; i < paths; i++) {
                b.addEntries(PathEntry.newBuilder().setPath(ByteString.copyFromUtf8("/p" + i)));
            }
            return b.build();
        }
    }

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .addService(ServerInterceptors.intercept(new ScriptedService(), new RpcMetrics(registry)))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    private static SearchRequest search(String pattern) {
        return SearchRequest.newBuilder().addPatterns(ByteString.copyFromUtf8(pattern)).build();
    }

    @Test
    void countsCallsByMethodAndCodeAndThePathsStreamed() throws Exception {
        JfindServiceGrpc.JfindServiceBlockingStub stub = JfindServiceGrpc.newBlockingStub(channel);
        stub.search(search("ok")).forEachRemaining(r -> {});
        stub.search(search("ok")).forEachRemaining(r -> {});
        assertThrows(StatusRuntimeException.class, () -> stub.search(search("bad")).forEachRemaining(r -> {}));
        stub.getStatus(GetStatusRequest.getDefaultInstance());

        Scrape s = awaitScrape(x -> x.value("jfind_queries_total{code=\"OK\",rpc=\"GetStatus\"}") == 1);
        assertEquals(2, s.value("jfind_queries_total{code=\"OK\",rpc=\"Search\"}"), s.toString());
        assertEquals(1, s.value("jfind_queries_total{code=\"INVALID_ARGUMENT\",rpc=\"Search\"}"), s.toString());
        assertEquals(10, s.value("jfind_results_streamed_total"), "2 searches of 3 + 2 paths: " + s);
        assertEquals(3, s.value("jfind_query_duration_seconds_count{rpc=\"Search\"}"), s.toString());
        assertEquals(1, s.value("jfind_query_duration_seconds_count{rpc=\"GetStatus\"}"), s.toString());
        assertEquals("histogram", s.type("jfind_query_duration_seconds"));
        assertTrue(s.value("jfind_query_duration_seconds_sum{rpc=\"Search\"}") > 0, s.toString());
    }

    @Test
    void aCancelledCallIsCountedOnceAsCancelled() throws Exception {
        Context.CancellableContext client = Context.current().withCancellation();
        Iterator<SearchResponse> hanging = client.call(
                () -> JfindServiceGrpc.newBlockingStub(channel).search(search("hang")));
        assertTrue(hangStarted.await(10, TimeUnit.SECONDS), "the search reached the service");
        assertEquals(0, Scrape.of(registry).value("jfind_queries_total{code=\"CANCELLED\",rpc=\"Search\"}"),
                "a running call is not counted yet");
        client.cancel(null);
        assertTrue(hangEnded.await(10, TimeUnit.SECONDS), "the service saw the cancellation");
        Scrape s = awaitScrape(x -> x.value("jfind_queries_total{code=\"CANCELLED\",rpc=\"Search\"}") == 1);
        assertEquals(1, s.value("jfind_query_duration_seconds_count{rpc=\"Search\"}"), "counted once: " + s);
        assertThrows(StatusRuntimeException.class, hanging::hasNext);
    }

    @Test
    void aPassedDeadlineIsCountedAsDeadlineExceeded() throws Exception {
        JfindServiceGrpc.JfindServiceBlockingStub stub = JfindServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(200, TimeUnit.MILLISECONDS);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub.search(search("hang")).forEachRemaining(r -> {}));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
        Scrape s = awaitScrape(x -> x.value("jfind_queries_total{code=\"DEADLINE_EXCEEDED\",rpc=\"Search\"}") == 1);
        assertEquals(0, s.value("jfind_queries_total{code=\"CANCELLED\",rpc=\"Search\"}"), s.toString());
        // timed from the call's arrival, which a loaded machine may delay well into the 200 ms
        assertEquals(1, s.value("jfind_query_duration_seconds_count{rpc=\"Search\"}"), s.toString());
        assertTrue(s.value("jfind_query_duration_seconds_sum{rpc=\"Search\"}") > 0, s.toString());
    }

    /** The server records a call's end on its own threads, just after the client sees it. */
    private Scrape awaitScrape(java.util.function.Predicate<Scrape> done) throws Exception {
        return Await.upTo(Duration.ofSeconds(10)).every(Duration.ofMillis(10))
                .until("the call's end in the registry", () -> Scrape.of(registry), done, s -> "scrape\n" + s);
    }
}
