package dev.jfind.server.metrics;

import dev.jfind.server.crawl.CrawlObserver;
import dev.jfind.server.status.StatusSupplier;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The daemon's Prometheus metrics and the HTTP endpoint that serves them. Built before the
 * parts it observes (so they can be handed {@link #instrument} and {@link #crawlObserver}),
 * then {@link #serve}d once the daemon's view exists. A registry of its own, not the
 * library's global one: each daemon in a JVM (tests) has its own figures.
 */
public final class DaemonMetrics implements AutoCloseable {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final RpcMetrics rpc = new RpcMetrics(registry);
    private final CrawlMetrics crawls = new CrawlMetrics(registry);
    private HTTPServer http;

    /** {@code service} with every call counted and timed. */
    public BindableService instrument(BindableService service) {
        return () -> ServerInterceptors.intercept(service, rpc);
    }

    public CrawlObserver crawlObserver() {
        return crawls;
    }

    /**
     * Registers the figures read from {@code daemon} and serves all metrics over HTTP at
     * {@code address} ({@code /metrics}; port 0 picks a free port).
     *
     * @throws IOException if the address cannot be bound
     */
    public synchronized void serve(InetSocketAddress address, StatusSupplier daemon) throws IOException {
        if (http != null) {
            throw new IllegalStateException("already serving on port " + http.getPort());
        }
        DaemonGauges.register(daemon, registry);
        try {
            http = HTTPServer.builder()
                    .inetAddress(address.getAddress())
                    .port(address.getPort())
                    .registry(registry)
                    .buildAndStart();
        } catch (IOException e) {
            throw new IOException("cannot serve metrics on " + address + ": " + e.getMessage(), e);
        }
    }

    /** The port the endpoint listens on, or -1 when it does not serve. */
    public synchronized int port() {
        return http == null ? -1 : http.getPort();
    }

    /** Stops the HTTP endpoint: scrapes then fail to connect instead of reading a closing index. */
    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
            http = null;
        }
    }
}
