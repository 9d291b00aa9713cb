package dev.jfind.server.it;

import dev.jfind.server.testing.Await;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the committed launchers in deploy/bin on the jars the build just made. */
final class Launched {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final Path JFINDD = REPO.resolve("deploy/bin/jfindd");
    static final Path CLIENT = REPO.resolve("deploy/bin/jfind-client");

    /** What a finished command did. */
    record Result(int exit, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private Launched() {}

    /** Starts the daemon; its output goes to {@code log}. */
    static Process daemon(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(JFINDD.toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Waits until the daemon behind {@code env}'s socket reports "ready"; returns its status --json. */
    static String awaitReady(Map<String, String> env) throws Exception {
        return Await.upTo(Duration.ofSeconds(120)).every(Duration.ofMillis(100)).until("the daemon to be ready",
                () -> client(env, "status", "--json"), r -> r.exit() == 0 && r.out().contains("\"state\":\"ready\""),
                r -> r.out() + r.stderr()).out();
    }

    /** Runs the client to completion (at most a minute). */
    static Result client(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(CLIENT.toString());
        command.addAll(List.of(args));
        return run(command, env);
    }

    /** Runs a shell command line, for arguments that must be raw bytes (printf '\377'). */
    static Result shell(Map<String, String> env, String script) throws IOException, InterruptedException {
        return run(List.of("/bin/sh", "-c", script), env);
    }

    /** Runs any command to completion (at most a minute), its stdin closed. */
    static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Path err = Files.createTempFile("jfind-it", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        String stderr = Files.readString(err);
        Files.delete(err);
        return new Result(p.exitValue(), out, stderr);
    }
}
