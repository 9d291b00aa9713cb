package dev.jfind.client.cli;

import com.google.protobuf.ByteString;
import dev.jfind.api.v1.PathEntry;
import dev.jfind.api.v1.SearchRequest;
import dev.jfind.api.v1.SearchResponse;
import dev.jfind.client.JfindClient;
import io.grpc.StatusRuntimeException;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jfind-client PATTERN...}: prints every indexed path that contains all patterns, as
 * the daemon streams them. Paths are written as the raw bytes they are on disk.
 */
@Command(name = "jfind-client", mixinStandardHelpOptions = true, version = "jfind-client 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        subcommands = {StatusCommand.class},
        description = {
            "Print every indexed path that contains each PATTERN (as plain bytes, case-sensitive unless -i),"
                    + " one per line, like locate. The daemon jfindd must be running.",
            "",
            "Exit status: 0 if something matched, 1 if nothing did, 2 on an error."},
        footer = {"",
            "The daemon's socket: --socket, else $JFIND_SOCKET, else the first that exists of",
            "$XDG_RUNTIME_DIR/jfind/jfind.sock, ~/.local/state/jfind/jfind.sock, /run/jfind/jfind.sock.",
            "",
            "Examples:",
            "  jfind-client report.pdf            paths containing report.pdf",
            "  jfind-client -i invoice 2024       paths containing both, ignoring case",
            "  jfind-client -0 .jpg | xargs -0 ls -l",
            "  jfind-client status --json",
            "",
            "To search for the word 'status', write: jfind-client -- status"})
public final class JfindCli implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-i", "--ignore-case"}, description = "Ignore case (Unicode-aware).")
    boolean ignoreCase;

    @Option(names = {"-0", "--null"}, description = "End each path with NUL instead of newline (for xargs -0).")
    boolean nul;

    @Option(names = {"-l", "--limit"}, paramLabel = "N", description = "Stop after N results.")
    long limit;

    @Option(names = {"-c", "--count"}, description = "Print only the number of matching paths.")
    boolean count;

    @Parameters(paramLabel = "PATTERN", arity = "0..*",
            description = "Substring to look for; a path must contain every PATTERN. An empty one matches all.")
    List<String> patterns = new ArrayList<>();

    final Map<String, String> env;
    final OutputStream out;
    final PrintWriter err;
    private final RawArgs rawArgs;

    JfindCli(Map<String, String> env, OutputStream out, PrintWriter err, RawArgs rawArgs) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.rawArgs = rawArgs;
    }

    public static void main(String[] args) {
        OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        PrintWriter stderr = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(args, RawArgs.ofProcess(args), System.getenv(), stdout, stderr);
        try {
            stdout.flush();
        } catch (IOException e) {
            // the reader went away (e.g. `| head`): nothing left to tell it
        }
        System.exit(code);
    }

    /** Runs one command line; returns the exit code. Tests call this directly. */
    static int run(String[] args, RawArgs rawArgs, Map<String, String> env, OutputStream out, PrintWriter err) {
        CommandLine cli = new CommandLine(new JfindCli(env, out, err, rawArgs));
        PrintWriter text = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        cli.setOut(text);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CommandLine.ParameterException) {
                throw (CommandLine.ParameterException) e;
            }
            err.println("jfind-client: " + e);
            return Exit.ERROR;
        });
        cli.setParameterExceptionHandler((e, args2) -> {
            err.println("jfind-client: " + e.getMessage());
            err.println("Try 'jfind-client --help' for the options.");
            err.flush();
            return Exit.ERROR;
        });
        int code = cli.execute(args);
        text.flush();
        return code;
    }

    /** {@link #run(String[], RawArgs, Map, OutputStream, PrintWriter)} with arguments taken as UTF-8. */
    public static int run(String[] args, Map<String, String> env, OutputStream out, PrintWriter err) {
        return run(args, RawArgs.utf8(args), env, out, err);
    }

    @Override
    public Integer call() {
        if (patterns.isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "no PATTERN to search for (an empty one, '', matches every path)");
        }
        if (limit < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "-l/--limit must be 0 or more, not " + limit);
        }
        SearchRequest.Builder request = SearchRequest.newBuilder()
                .setIgnoreCase(ignoreCase)
                .setLimit(limit)
                .setCountOnly(count);
        for (String p : patterns) {
            request.addPatterns(ByteString.copyFrom(rawArgs.bytesOf(p)));
        }
        try (JfindClient client = connection.connect(null, env);
                JfindClient.Results results = client.search(request.build())) {
            try {
                long printed = count ? printCount(results) : printPaths(results);
                return printed > 0 ? Exit.FOUND : Exit.NOT_FOUND;
            } catch (StatusRuntimeException e) {
                return Failures.report(e, client.target(), err);
            } catch (IOException e) {
                return Exit.FOUND; // stdout closed (`| head`): stop quietly; closing cancels the search
            }
        }
    }

    private long printPaths(JfindClient.Results results) throws IOException {
        byte separator = nul ? (byte) 0 : (byte) '\n';
        long printed = 0;
        boolean warned = false;
        for (SearchResponse batch = results.nextBatch(); batch != null; batch = results.nextBatch()) {
            if (batch.getIndexIncomplete() && !warned) {
                warnIncomplete();
                warned = true;
            }
            for (PathEntry entry : batch.getEntriesList()) {
                entry.getPath().writeTo(out);
                out.write(separator);
                printed++;
            }
            out.flush(); // print as results arrive
        }
        return printed;
    }

    private long printCount(JfindClient.Results results) throws IOException {
        while (results.nextBatch() != null) {
            // only the last total matters
        }
        if (results.indexIncomplete()) {
            warnIncomplete();
        }
        out.write((results.totalCount() + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return results.totalCount();
    }

    private void warnIncomplete() {
        err.println("jfind-client: the daemon's first crawl is still running; results may be incomplete");
        err.flush();
    }
}
