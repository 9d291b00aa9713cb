package dev.jfind.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.jfind.api.v1.GetStatusRequest;
import dev.jfind.api.v1.GetStatusResponse;
import dev.jfind.api.v1.JfindServiceGrpc;
import dev.jfind.api.v1.PathEntry;
import dev.jfind.api.v1.SearchRequest;
import dev.jfind.api.v1.SearchResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JfindClient over an in-process channel the test owns, against a scripted service. */
class JfindClientTest {
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private Server server;
    private ManagedChannel channel;

    /** Answers "two" with two batches, "endless" with one batch and no end, anything else INVALID_ARGUMENT. */
    private final class Scripted extends JfindServiceGrpc.JfindServiceImplBase {
        @Override
        public void search(SearchRequest request, StreamObserver<SearchResponse> responses) {
            String pattern = request.getPatterns(0).toStringUtf8();
            switch (pattern) {
                case "two" -> {
                    responses.onNext(SearchResponse.newBuilder().addEntries(entry("/a/two-1")).setTotalCount(1).build());
                    responses.onNext(SearchResponse.newBuilder().addEntries(entry("/a/two-2")).setTotalCount(2)
                            .setIndexIncomplete(true).build());
                    responses.onCompleted();
                }
                case "endless" -> {
                    ((ServerCallStreamObserver<SearchResponse>) responses).setOnCancelHandler(cancelled::countDown);
                    responses.onNext(SearchResponse.newBuilder().addEntries(entry("/a/endless")).setTotalCount(1).build());
                }
                default -> responses.onError(Status.INVALID_ARGUMENT.withDescription("no such script: " + pattern)
                        .asRuntimeException());
            }
        }

        @Override
        public void getStatus(GetStatusRequest request, StreamObserver<GetStatusResponse> responses) {
            responses.onNext(GetStatusResponse.newBuilder().setDaemonVersion("in-process").setPaths(42).build());
            responses.onCompleted();
        }
    }

    private static PathEntry entry(String path) {
        return PathEntry.newBuilder().setPath(ByteString.copyFromUtf8(path)).build();
    }

    private static SearchRequest search(String pattern) {
        return SearchRequest.newBuilder().addPatterns(ByteString.copyFromUtf8(pattern)).build();
    }

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(new Scripted()).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void searchesStreamAndStatusAnswersOverTheGivenChannel() {
        try (JfindClient client = new JfindClient(channel);
                JfindClient.Results results = client.search(search("two"))) {
            List<String> paths = new ArrayList<>();
            results.forEachRemaining(e -> paths.add(e.getPath().toStringUtf8()));
            assertEquals(List.of("/a/two-1", "/a/two-2"), paths);
            assertEquals(2, results.totalCount());
            assertTrue(results.indexIncomplete());
            GetStatusResponse status = client.status(5_000);
            assertEquals("in-process", status.getDaemonVersion());
            assertEquals(42, status.getPaths());
        }
    }

    @Test
    void theServicesErrorsReachTheCaller() {
        try (JfindClient client = new JfindClient(channel);
                JfindClient.Results results = client.search(search("unknown"))) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, results::hasNext);
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertEquals("no such script: unknown", e.getStatus().getDescription());
        }
    }

    @Test
    void closingTheResultsCancelsTheCallOnTheServer() throws Exception {
        try (JfindClient client = new JfindClient(channel)) {
            JfindClient.Results results = client.search(search("endless"));
            assertEquals("/a/endless", results.next().getPath().toStringUtf8());
            assertEquals(1, cancelled.getCount(), "still running before close");
            results.close();
            assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the server saw the cancel");
        }
    }

    @Test
    void closingTheClientLeavesTheCallersChannelOpen() {
        new JfindClient(channel).close();
        assertFalse(channel.isShutdown(), "the caller owns the channel");
        try (JfindClient again = new JfindClient(channel)) {
            assertEquals("in-process", again.status(5_000).getDaemonVersion());
            again.reconnectNow(); // harmless on a channel it does not own
        }
    }
}
