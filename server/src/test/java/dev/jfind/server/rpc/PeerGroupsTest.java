package dev.jfind.server.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SO_PEERGROUPS on a real Unix socket: the groups of a peer started with chosen groups
 * (setpriv, as root), whatever /proc shows of it.
 */
class PeerGroupsTest {
    @TempDir
    Path dir;

    private EventLoopGroup loops;
    private Channel server;
    private Path socket;
    private final BlockingQueue<int[]> seen = new LinkedBlockingQueue<>();

    @BeforeEach
    void listen() throws Exception {
        socket = dir.resolve("peer.sock");
        loops = new EpollEventLoopGroup(1);
        server = new ServerBootstrap().group(loops).channel(EpollServerDomainSocketChannel.class)
                .childHandler(new Recorder(seen))
                .bind(new DomainSocketAddress(socket.toString())).sync().channel();
    }

    @AfterEach
    void close() throws Exception {
        server.close().sync();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void thisProcessesGroupsAreTheOnesProcShows() throws Exception {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            c.read(ByteBuffer.allocate(1)); // until the server closes
        }
        String line = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Groups:")).findFirst().orElseThrow();
        int[] expected = Arrays.stream(line.substring(7).trim().split("\\s+")).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseUnsignedInt).sorted().toArray();
        assertArrayEquals(expected, sorted(seen.poll(30, TimeUnit.SECONDS)));
    }

    @Test
    void aPeerInFewOrManyGroupsIsSeenInAllOfThem() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root, to start a peer with chosen groups");
        assertArrayEquals(sorted(new int[] {4242, 4343, (int) 4_000_000_000L}), sorted(groupsOfPeerIn("4242,4343,4000000000")));
        assertArrayEquals(new int[0], groupsOfPeerIn("")); // known, and none
        // more than the first, small buffer holds: the kernel says ERANGE and is asked again
        int[] many = IntStream.rangeClosed(5001, 5300).toArray();
        assertArrayEquals(many, sorted(groupsOfPeerIn(String.join(",",
                IntStream.of(many).mapToObj(Integer::toString).toList()))));
    }

    private int[] groupsOfPeerIn(String groups) throws Exception {
        List<String> command = new ArrayList<>(List.of("setpriv",
                groups.isEmpty() ? "--clear-groups" : "--groups=" + groups, "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Connect.class.getName(), socket.toString()));
        Path log = dir.resolve("connect.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int[] got = seen.poll(30, TimeUnit.SECONDS);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        assertEquals(0, p.waitFor(), "setpriv " + command.get(1) + " ... Connect: " + Files.readString(log));
        assertArrayEquals(got, seen.isEmpty() ? got : null, "one connection, one answer");
        return got;
    }

    private static int[] sorted(int[] groups) {
        int[] copy = groups.clone();
        Arrays.sort(copy); // unsigned values above 2^31 sort first as negative ints: fine for equality
        return copy;
    }

    /** Records the groups of each peer that connects, then hangs up. */
    @ChannelHandler.Sharable
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        private final BlockingQueue<int[]> seen;

        Recorder(BlockingQueue<int[]> seen) {
            this.seen = seen;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            try {
                int[] groups = PeerGroups.of(ctx.channel());
                seen.add(groups == null ? new int[] {-42} : groups);
            } finally {
                ctx.close();
            }
        }
    }

    /** The peer: connects, waits for the server to close. */
    public static final class Connect {
        public static void main(String[] args) throws Exception {
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(args[0])))) {
                c.read(ByteBuffer.allocate(1));
            }
        }
    }
}
