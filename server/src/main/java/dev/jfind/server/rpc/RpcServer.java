package dev.jfind.server.rpc;

import dev.jfind.server.access.Visibility;
import dev.jfind.server.config.TcpSecurity;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Owns the gRPC servers' life: the Unix socket (always) and a TCP listener (optional), or an
 * in-process server in tests; {@link #start}, {@link #stop}, {@link #awaitTermination}.
 */
public final class RpcServer {
    /**
     * Netty sets SO_KEEPALIVE on every accepted channel and logs a warning per connection
     * when the channel is a Unix socket, which has no such option. Held here so the
     * level sticks (JUL keeps loggers weakly).
     */
    private static final java.util.logging.Logger BOOTSTRAP_LOG = quiet(
            "io.grpc.netty.shaded.io.netty.bootstrap");

    /** Null for a server without a socket file (in-process). */
    private final Path socket;
    private final List<Server> servers;
    /** Null when the servers run on gRPC's own event loops. */
    private final EventLoopGroup eventLoops;

    private RpcServer(Path socket, List<Server> servers, EventLoopGroup eventLoops) {
        this.socket = socket;
        this.servers = servers;
        this.eventLoops = eventLoops;
    }

    /** A started server (in-process, in tests) whose life this then owns. */
    public static RpcServer of(Server started) {
        return new RpcServer(null, List.of(started), null);
    }

    /**
     * Serves {@code services} on the Unix socket {@code socket} and, if {@code tcp} is not null,
     * on that TCP address, which must be loopback. Each call carries what its caller may see
     * under {@code visibility}: on the socket the caller is the user the kernel names for the
     * connection (a call without one is refused); on TCP the caller is anonymous.
     *
     * @param socketMode the socket file's permissions (0600 for a personal daemon: only its
     *     user may connect); a socket directory that does not exist yet is created 0700, plus
     *     x for the group or others when the mode lets them connect
     * @throws IOException if another process already serves that socket
     */
    public static RpcServer start(Path socket, Set<PosixFilePermission> socketMode, InetSocketAddress tcp,
            List<BindableService> services, Visibility visibility) throws IOException {
        return start(socket, socketMode, tcp, TcpSecurity.NONE, services, visibility);
    }

    /**
     * As above, with TCP secured by {@code security}: TLS when it has a certificate and key,
     * callers named by its tokens; on loopback a call without a token is anonymous. Whether
     * {@code tcp} may be served at all is the configuration's rule ({@code DaemonConfig#tcpRefusal}),
     * checked before the daemon starts.
     */
    public static RpcServer start(Path socket, Set<PosixFilePermission> socketMode, InetSocketAddress tcp,
            TcpSecurity security, List<BindableService> services, Visibility visibility) throws IOException {
        boolean loopback = tcp != null && TcpSecurity.loopback(tcp);
        AccessTokens tokens = security.tokenFile() != null ? AccessTokens.read(security.tokenFile()) : null;
        Path dir = socket.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            // Searchable by no one but those the socket admits: nobody else can reach the
            // socket in the moment before its chmod.
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(directoryFor(socketMode)));
        }
        removeStaleSocket(socket);
        EventLoopGroup eventLoops = new EpollEventLoopGroup(2);
        List<Server> servers = new ArrayList<>();
        try {
            NettyServerBuilder unix = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()),
                            UnixPeerCredentials.plaintextWithPeerCredentials())
                    .channelType(EpollServerDomainSocketChannel.class)
                    .bossEventLoopGroup(eventLoops)
                    .workerEventLoopGroup(eventLoops)
                    .intercept(CallerInterceptor.fromPeerCredentials(visibility));
            services.forEach(unix::addService);
            servers.add(unix.build().start());
            Files.setPosixFilePermissions(socket, socketMode);
            if (tcp != null) {
                NettyServerBuilder net = NettyServerBuilder.forAddress(tcp)
                        .intercept(tokens != null ? CallerInterceptor.fromTokens(visibility, tokens, loopback)
                                : CallerInterceptor.anonymous(visibility));
                if (security.tls()) {
                    net.sslContext(io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts
                            .forServer(security.tlsCert().toFile(), security.tlsKey().toFile()).build());
                }
                services.forEach(net::addService);
                servers.add(net.build().start());
            }
        } catch (IOException | RuntimeException e) {
            servers.forEach(Server::shutdownNow);
            eventLoops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        return new RpcServer(socket, servers, eventLoops);
    }

    /** rwx for the owner, and x (enter, not list) for group and others where the socket admits them. */
    private static Set<PosixFilePermission> directoryFor(Set<PosixFilePermission> socketMode) {
        Set<PosixFilePermission> dir = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE);
        if (socketMode.contains(PosixFilePermission.GROUP_WRITE)) {
            dir.add(PosixFilePermission.GROUP_EXECUTE);
        }
        if (socketMode.contains(PosixFilePermission.OTHERS_WRITE)) {
            dir.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        return dir;
    }

    /** The TCP port actually bound (useful with port 0), or -1 without TCP. */
    public int tcpPort() {
        return servers.size() > 1 ? servers.get(1).getPort() : -1;
    }

    /** Stops taking calls, lets running ones finish for up to {@code graceMillis}, then cancels them. */
    public void stop(long graceMillis) {
        servers.forEach(Server::shutdown);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        for (Server s : servers) {
            try {
                if (!s.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    s.shutdownNow();
                }
            } catch (InterruptedException e) {
                s.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        if (eventLoops == null) {
            return;
        }
        eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            System.err.println("jfindd: cannot remove " + socket + ": " + e.getMessage());
        }
    }

    public void awaitTermination() throws InterruptedException {
        for (Server s : servers) {
            s.awaitTermination();
        }
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    /** A socket file nobody listens on is left over from a crash: remove it. A live one is an error. */
    private static void removeStaleSocket(Path socket) throws IOException {
        if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            throw new IOException("another jfindd already listens on " + socket
                    + "; stop it first, or give this one another --socket");
        } catch (java.net.SocketException e) {
            Files.deleteIfExists(socket); // nobody home: left over from a crash
        }
    }
}
