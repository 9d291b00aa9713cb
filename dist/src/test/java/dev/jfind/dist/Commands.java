package dev.jfind.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs external programs for the tests, with a deadline. */
final class Commands {
    private Commands() {}

    record Result(int exit, String out, String err) {}

    static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Path out = Files.createTempFile("jfind-dist", ".out");
        Path err = Files.createTempFile("jfind-dist", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    static Result run(String... command) throws IOException, InterruptedException {
        return run(List.of(command), Map.of());
    }

    /** Whether {@code program} is on the PATH. */
    static boolean available(String program) {
        try {
            return run("sh", "-c", "command -v " + program).exit() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
