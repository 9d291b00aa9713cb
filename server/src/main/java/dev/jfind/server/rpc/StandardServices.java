package dev.jfind.server.rpc;

import dev.jfind.api.v1.JfindServiceGrpc;
import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.util.List;

/**
 * The standard gRPC services served beside jfind.v1, so generic tools can use the daemon
 * without its .proto: {@code grpc.health.v1.Health} (load balancers, supervisors,
 * {@code grpc_health_probe}) and server reflection (grpcurl, Postman). Owns the health
 * status; thread-safe.
 */
public final class StandardServices {
    private final HealthStatusManager health = new HealthStatusManager();

    /**
     * Reports the server ({@code ""}) and {@code jfind.v1.JfindService} as SERVING. The daemon
     * opens its index before it serves, so it calls this before the first call can arrive.
     */
    public void serving() {
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
        health.setStatus(JfindServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
    }

    /**
     * Reports everything NOT_SERVING for good: call it before the server stops taking calls,
     * so that health watchers learn of the shutdown while their streams are still open.
     */
    public void stopping() {
        health.enterTerminalState();
    }

    /**
     * Health, reflection v1 and reflection v1alpha. The deprecated v1alpha is kept because
     * tools released before v1 existed (older grpcurl, Evans) ask only for it.
     */
    @SuppressWarnings("deprecation")
    public List<BindableService> services() {
        return List.of(health.getHealthService(), ProtoReflectionServiceV1.newInstance(),
                io.grpc.protobuf.services.ProtoReflectionService.newInstance());
    }
}
