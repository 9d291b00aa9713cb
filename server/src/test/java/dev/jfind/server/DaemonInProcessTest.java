package dev.jfind.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.jfind.api.v1.GetStatusRequest;
import dev.jfind.api.v1.GetStatusResponse;
import dev.jfind.api.v1.IndexState;
import dev.jfind.api.v1.JfindAdminServiceGrpc;
import dev.jfind.api.v1.JfindServiceGrpc;
import dev.jfind.api.v1.SearchRequest;
import dev.jfind.api.v1.StartCrawlRequest;
import dev.jfind.server.access.Caller;
import dev.jfind.server.access.Visibility;
import dev.jfind.server.config.DaemonConfig;
import dev.jfind.server.metrics.Scrape;
import dev.jfind.server.rpc.CallerInterceptor;
import dev.jfind.server.rpc.RpcServer;
import dev.jfind.server.rpc.ServerFactory;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole daemon (index, crawl scheduler, live updates, interceptors, health, admin,
 * metrics) served in-process, as grpc-java's examples test RouteGuideServer: only the socket
 * is left out, so the object graph and its start and stop order are what production runs.
 */
class DaemonInProcessTest {
    private static final long DEADLINE_MILLIS = 30_000;

    @TempDir
    Path tmp;
    private Daemon daemon;
    private ManagedChannel channel;

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (daemon != null) {
            daemon.stop();
        }
    }

    /** In-process servers whose every call comes from {@code caller}. */
    private static ServerFactory inProcess(String name, Caller caller) {
        return (services, visibility) -> {
            InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor()
                    .intercept(CallerInterceptor.fixed(visibility, caller));
            services.forEach(builder::addService);
            return RpcServer.of(builder.build().start());
        };
    }

    @Test
    void servesSearchStatusHealthAdminAndMetricsWithoutASocket() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree/docs"));
        Files.writeString(root.resolve("notes.txt"), "x");
        DaemonConfig config = DaemonConfig.builder().roots(List.of(tmp.resolve("tree"))).stateDir(tmp.resolve("state"))
                .socket(tmp.resolve("never-bound.sock")).threads(2).watchLimit(Long.MAX_VALUE)
                .metrics(new InetSocketAddress("127.0.0.1", 0)).build();
        int ownUid = Visibility.forThisProcess().indexOwner();
        String name = InProcessServerBuilder.generateName();
        daemon = new Daemon(config, inProcess(name, Caller.user(ownUid, ownUid)));
        daemon.start();
        assertThrows(IllegalStateException.class, daemon::start, "started once");
        assertFalse(Files.exists(config.socket()), "the factory decides what is bound");
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();

        assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.newBuilder().setService("").build()).getStatus());
        JfindServiceGrpc.JfindServiceBlockingStub jfind = JfindServiceGrpc.newBlockingStub(channel);
        GetStatusResponse status = jfind.getStatus(GetStatusRequest.getDefaultInstance());
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (status.getState() != IndexState.INDEX_STATE_READY && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
            status = jfind.getStatus(GetStatusRequest.getDefaultInstance());
        }
        assertEquals(IndexState.INDEX_STATE_READY, status.getState(), status.toString());
        assertEquals(dev.jfind.server.testing.Trees.find(tmp.resolve("tree")).size(), status.getPaths(), status.toString());
        assertTrue(status.hasWatch(), "live updates are on: " + status);

        List<String> found = new ArrayList<>();
        jfind.search(SearchRequest.newBuilder().addPatterns(ByteString.copyFromUtf8("notes")).build())
                .forEachRemaining(r -> r.getEntriesList().forEach(e -> found.add(e.getPath().toStringUtf8())));
        assertEquals(List.of(root.resolve("notes.txt").toString()), found);

        // the daemon's own user may administer: the admin service reaches the daemon itself
        JfindAdminServiceGrpc.newBlockingStub(channel).startCrawl(StartCrawlRequest.getDefaultInstance());
        StatusRuntimeException reload = assertThrows(StatusRuntimeException.class, () -> JfindAdminServiceGrpc
                .newBlockingStub(channel).reloadConfig(dev.jfind.api.v1.ReloadConfigRequest.getDefaultInstance()));
        assertTrue(reload.getMessage().contains("not started with a configuration it can read again"), reload.getMessage());

        // the metrics interceptor counted the calls; the gauges read the status snapshot
        Scrape scrape = Scrape.get("http://127.0.0.1:" + daemon.metricsPort() + "/metrics");
        assertEquals(1, scrape.value("jfind_queries_total{code=\"OK\",rpc=\"Search\"}"), scrape.toString());
        assertEquals(status.getPaths(), scrape.value("jfind_index_paths"), scrape.toString());
        assertEquals(1, scrape.value("jfind_index_ready"));

        daemon.stop();
        daemon.awaitTermination();
        assertThrows(StatusRuntimeException.class, () -> jfind.getStatus(GetStatusRequest.getDefaultInstance()),
                "stopped: no more calls");
        daemon = null;
        assertTrue(channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    }
}
