package dev.jfind.server.rpc;

import dev.jfind.server.config.DaemonConfig;

/** The production {@link ServerFactory}: Netty on the Unix socket, and on TCP when configured. */
public final class NettyServers {
    private NettyServers() {}

    /** Servers on {@code config}'s socket (with its mode), and TCP when it listens, secured as it says. */
    public static ServerFactory of(DaemonConfig config) {
        return (services, visibility) -> RpcServer.start(config.socket(), config.socketMode(), config.listen(),
                config.tcpSecurity(), services, visibility);
    }
}
