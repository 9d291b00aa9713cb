package dev.jfind.server.rpc;

import dev.jfind.server.access.Visibility;
import io.grpc.BindableService;
import java.io.IOException;
import java.util.List;

/**
 * Starts the gRPC servers the daemon serves through: Netty on the Unix socket and optional
 * TCP in production ({@link dev.jfind.server.rpc.NettyServers}), an in-process server in tests. Each must put on
 * every call the caller it vouches for ({@link CallerInterceptor}), so that {@code visibility}
 * can say what that caller may see.
 */
@FunctionalInterface
public interface ServerFactory {
    /**
     * Serves {@code services} from now on.
     *
     * @throws IOException if an address cannot be bound (another daemon on the socket)
     */
    RpcServer start(List<BindableService> services, Visibility visibility) throws IOException;
}
