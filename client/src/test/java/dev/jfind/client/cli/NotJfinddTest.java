package dev.jfind.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A socket where some other program answers: the client says it is not jfindd, and exits 2. */
class NotJfinddTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final StringWriter err = new StringWriter();

    @Test
    void anHttp1ServerIsNotJfindd() throws Exception {
        assertNotJfindd("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }

    @Test
    void aServerSendingGarbageIsNotJfindd() throws Exception {
        assertNotJfindd("SSH-2.0-OpenSSH_9.2\r\n\u0000\u0001\u0002 garbage \u00ff\u00fe");
    }

    @Test
    void aGrpcServerWithoutJfindsServiceIsNotJfindd() throws Exception {
        Path socket = tmp.resolve("other-grpc.sock");
        EventLoopGroup loops = new EpollEventLoopGroup(1);
        Server other = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(loops).workerEventLoopGroup(loops)
                .build().start(); // no service at all: every method is UNIMPLEMENTED
        try {
            for (List<String> args : commands(socket)) {
                String said = run(args);
                assertTrue(said.contains("not jfindd") && said.contains("does not offer jfind's API"), args + ": " + said);
            }
        } finally {
            other.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Every command, on a socket where a server answers {@code reply} to whatever it is sent, then hangs up. */
    private void assertNotJfindd(String reply) throws Exception {
        Path socket = tmp.resolve("other.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread answering = new Thread(() -> answer(server, reply), "other-service");
            answering.setDaemon(true);
            answering.start();
            for (List<String> args : commands(socket)) {
                String said = run(args);
                assertTrue(said.contains("what answers at " + socket + " is not jfindd"), args + ": " + said);
                assertTrue(said.contains("--socket") && said.contains("jfindd"), said);
                assertFalse(said.contains("INTERNAL"), said);
            }
        }
    }

    private static void answer(ServerSocketChannel server, String reply) {
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                c.read(ByteBuffer.allocate(4096));
                c.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.ISO_8859_1)));
            } catch (IOException e) {
                // closed by the test, or the client hung up first
            }
        }
    }

    private static List<List<String>> commands(Path socket) {
        String s = socket.toString();
        return List.of(List.of("--socket", s, "x"), List.of("--socket", s, "--follow", "x"),
                List.of("status", "--socket", s), List.of("admin", "--socket", s, "crawl"));
    }

    /** Runs the client; asserts exit 2 and returns what it said on stderr. */
    private String run(List<String> args) {
        err.getBuffer().setLength(0);
        int code = JfindCli.run(args.toArray(String[]::new), Map.of(), out, new PrintWriter(err, true));
        assertEquals(2, code, args + ": " + err);
        return err.toString();
    }
}
