package dev.jfind.server.it;

import dev.jfind.api.v1.GetStatusRequest;
import dev.jfind.api.v1.IndexState;
import dev.jfind.api.v1.JfindServiceGrpc;
import dev.jfind.server.testing.Await;
import dev.jfind.server.testing.Trees;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real daemon, started through deploy/bin/jfindd on a small tree in a temporary directory,
 * and a plain gRPC channel to its Unix socket: what any other program sees.
 */
final class ApiDaemon implements AutoCloseable {
    /** A file name that is not valid UTF-8 and contains "report". */
    static final byte[] INVALID_UTF8_REPORT = {'b', 'a', 'd', (byte) 0xff, (byte) 0xfe, '-', 'r', 'e', 'p', 'o', 'r',
        't', '.', 't', 'x', 't'};

    final Path root;
    final Path socket;
    final Process process;
    final ManagedChannel channel;

    private ApiDaemon(Path root, Path socket, Process process, ManagedChannel channel) {
        this.root = root;
        this.socket = socket;
        this.process = process;
        this.channel = channel;
    }

    /**
     * Builds a small tree under {@code tmp}, starts the daemon on it and returns once its first
     * crawl is complete (GetStatus says READY).
     */
    static ApiDaemon start(Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Files.writeString(Files.createDirectories(root.resolve("docs")).resolve("report-2024.txt"), "x");
        Files.createFile(root.resolve("docs/notes.txt"));
        Files.createFile(Files.createDirectories(root.resolve("with space")).resolve("Report final.pdf"));
        Files.createFile(Files.createDirectories(root.resolve("deep/a/b")).resolve("annual-report.csv"));
        Files.createFile(Trees.child(root, INVALID_UTF8_REPORT));
        Path socket = tmp.resolve("run/jfind.sock");
        Process process = Launched.daemon(tmp.resolve("jfindd.log"), "--root", root.toString(),
                "--state-dir", tmp.resolve("state").toString(), "--socket", socket.toString());
        // "unix://" + an absolute path: the target form every gRPC implementation accepts.
        ManagedChannel channel = Grpc.newChannelBuilder("unix://" + socket, InsecureChannelCredentials.create())
                .build();
        ApiDaemon daemon = new ApiDaemon(root, socket, process, channel);
        try {
            daemon.awaitReady(tmp.resolve("jfindd.log"));
        } catch (Exception | AssertionError e) {
            daemon.close();
            throw e;
        }
        return daemon;
    }

    private void awaitReady(Path log) throws Exception {
        Await.upTo(Duration.ofSeconds(60)).every(Duration.ofMillis(50)).until("jfindd to be ready", () -> {
            if (!process.isAlive()) {
                throw new AssertionError("jfindd exited " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                return JfindServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .getStatus(GetStatusRequest.getDefaultInstance()).getState().toString();
            } catch (StatusRuntimeException e) {
                return e.getStatus().toString();
            }
        }, state -> state.equals(IndexState.INDEX_STATE_READY.toString()), state -> state + "; log: " + readLog(log));
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** A shell word for {@code s}, for Launched.shell. */
    static String quote(Object s) {
        return "'" + s.toString().replace("'", "'\\''") + "'";
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        channel.shutdownNow();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
