package dev.jfind.server.rpc;

import dev.jfind.server.access.Caller;
import dev.jfind.server.access.ProcessCredentials;
import io.grpc.Attributes;
import io.grpc.ChannelLogger;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.grpc.netty.ProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.PeerCredentials;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import java.io.IOException;

/**
 * Learns who is at the other end of a Unix socket connection from the kernel (SO_PEERCRED and
 * SO_PEERGROUPS, read once when the connection is accepted) and hands it to every call on
 * that connection as the transport attribute {@link #CALLER}. grpc-java has no public way to do this (grpc-java
 * issue 2646): this is the one class that uses its {@code @Internal} negotiator API, which is
 * why the root pom pins the grpc version. It wraps the plaintext negotiator, so the protocol
 * on the wire is unchanged.
 */
final class UnixPeerCredentials {
    /** The caller of every call on a connection; absent when the kernel could not say. */
    static final Attributes.Key<Caller> CALLER = Attributes.Key.create("jfind.caller");

    private UnixPeerCredentials() {}

    /** Plaintext gRPC that attaches each connection's peer credentials. */
    static ServerCredentials plaintextWithPeerCredentials() {
        ProcessCredentials processes = new ProcessCredentials(System.err::println);
        return InternalNettyServerCredentials.create(new Negotiator(InternalProtocolNegotiators.serverPlaintext(),
                processes));
    }

    /** The plaintext negotiator with our handler in front of its own. */
    private static final class Negotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
        private final InternalProtocolNegotiator.ProtocolNegotiator plaintext;
        private final ProcessCredentials processes;

        Negotiator(InternalProtocolNegotiator.ProtocolNegotiator plaintext, ProcessCredentials processes) {
            this.plaintext = plaintext;
            this.processes = processes;
        }

        @Override
        public AsciiString scheme() {
            return plaintext.scheme();
        }

        @Override
        public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
            return new CredentialsHandler(plaintext.newHandler(grpcHandler), grpcHandler.getNegotiationLogger(), processes);
        }

        @Override
        public void close() {
            plaintext.close();
        }
    }

    /** Adds the caller to the negotiation's attributes, then gives way to the plaintext handler. */
    private static final class CredentialsHandler extends InternalProtocolNegotiators.ProtocolNegotiationHandler {
        private final ProcessCredentials processes;

        CredentialsHandler(ChannelHandler next, ChannelLogger logger, ProcessCredentials processes) {
            super(next, "jfind-peer-credentials", logger);
            this.processes = processes;
        }

        @Override
        protected void protocolNegotiationEventTriggered(ChannelHandlerContext ctx) {
            ProtocolNegotiationEvent event = getProtocolNegotiationEvent();
            Caller caller = callerOf(ctx.channel(), processes);
            if (caller != null) {
                Attributes attrs = InternalProtocolNegotiationEvent.getAttributes(event).toBuilder()
                        .set(CALLER, caller)
                        .build();
                replaceProtocolNegotiationEvent(InternalProtocolNegotiationEvent.withAttributes(event, attrs));
            }
            fireProtocolNegotiationEvent(ctx);
        }
    }

    /** The peer of a Unix socket channel, or null (not a Unix socket, or the kernel would not say). */
    private static Caller callerOf(Channel channel, ProcessCredentials processes) {
        if (!(channel instanceof EpollDomainSocketChannel unix)) {
            return null;
        }
        try {
            PeerCredentials peer = unix.peerCredentials();
            int[] gids = peer.gids();
            if (gids.length == 0) {
                return null;
            }
            return processes.ofPeer(peer.pid(), peer.uid(), gids[0], PeerGroups.of(unix));
        } catch (IOException e) {
            return null;
        }
    }
}
