package dev.jfind.server.metrics;

import dev.jfind.api.v1.SearchResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts every call of the service it intercepts by method and status code, times it, and
 * counts the paths that Search responses carry. Sees only what crosses the wire, so the
 * service itself needs no metrics code.
 */
final class RpcMetrics implements ServerInterceptor {
    /**
     * Seconds. A selective search takes well under a millisecond, a broad one a tenth of a
     * second, a search into a slow reader or a Follow stream as long as the client stays.
     */
    private static final double[] LATENCY_BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
        0.5, 1, 2.5, 5, 10, 30, 60};

    private final Counter calls;
    private final Histogram latency;
    private final Counter results;

    RpcMetrics(PrometheusRegistry registry) {
        calls = Counter.builder().name("jfind_queries")
                .help("Calls of jfind.v1.JfindService, by method and the gRPC status code they ended with")
                .labelNames("rpc", "code")
                .register(registry);
        latency = Histogram.builder().name("jfind_query_duration_seconds").unit(Unit.SECONDS)
                .help("Time from a call's arrival to its end (status sent or call cancelled), by method")
                .labelNames("rpc")
                .classicOnly().classicUpperBounds(LATENCY_BOUNDS)
                .register(registry);
        results = Counter.builder().name("jfind_results_streamed")
                .help("Paths sent to clients in Search responses")
                .register(registry);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        CallRecord record = new CallRecord(call.getMethodDescriptor().getBareMethodName());
        ServerCall<Q, R> counted = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(R message) {
                if (message instanceof SearchResponse response) {
                    results.inc(response.getEntriesCount());
                }
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                record.end(status.getCode());
                super.close(status, trailers);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
            @Override
            public void onCancel() {
                // The client went away or its deadline passed: the service may never close the call.
                record.end(cancelCode());
                super.onCancel();
            }
        };
    }

    /** DEADLINE_EXCEEDED when the call's deadline has passed, else CANCELLED (the client gave up). */
    private static Status.Code cancelCode() {
        Deadline deadline = Context.current().getDeadline();
        return deadline != null && deadline.isExpired() ? Status.Code.DEADLINE_EXCEEDED : Status.Code.CANCELLED;
    }

    /** One call's start, ended exactly once: by its close or its cancellation, whichever comes first. */
    private final class CallRecord {
        private final String rpc;
        private final long startNanos = System.nanoTime();
        private final AtomicBoolean ended = new AtomicBoolean();

        CallRecord(String rpc) {
            this.rpc = rpc;
        }

        void end(Status.Code code) {
            if (ended.compareAndSet(false, true)) {
                latency.labelValues(rpc).observe((System.nanoTime() - startNanos) / 1e9);
                calls.labelValues(rpc, code.name()).inc();
            }
        }
    }
}
