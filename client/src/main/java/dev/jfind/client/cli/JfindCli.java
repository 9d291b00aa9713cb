package dev.jfind.client.cli;

import com.google.protobuf.ByteString;
import dev.jfind.api.v1.FollowRequest;
import dev.jfind.api.v1.PathEntry;
import dev.jfind.api.v1.PatternSyntax;
import dev.jfind.api.v1.SortKey;
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
        subcommands = {StatusCommand.class, AdminCommand.class},
        description = {
            "Print every indexed path that matches each PATTERN, one per line, as the daemon finds them,"
                    + " like locate. A PATTERN is a substring of the path (byte for byte, case-sensitive"
                    + " unless -i); one holding an unescaped *, ? or [ is a glob that must match the whole"
                    + " path, as in locate. The daemon jfindd must be running.",
            "",
            "Exit status: 0 if something matched, 1 if nothing did, 2 on an error."},
        footer = {"",
            "Structured queries (-q): name:, path:, ext:, type:f|d|l|o, size:, mtime:, depth:, joined by AND, OR,"
                    + " NOT and parentheses; size and mtime take >, >=, <, <= and [a TO b]. See README.",
            "",
            "The daemon's socket: --socket, else $JFIND_SOCKET, else the first that exists of",
            "$XDG_RUNTIME_DIR/jfind/jfind.sock, ~/.local/state/jfind/jfind.sock, /run/jfind/jfind.sock.",
            "",
            "Examples:",
            "  jfind-client report.pdf                 paths containing report.pdf",
            "  jfind-client -i invoice 2024            paths containing both, ignoring case",
            "  jfind-client '*.jpg'                    paths ending in .jpg (a glob matches the whole path)",
            "  jfind-client -b -r '^IMG_[0-9]+\\.JPG$'  names matching a regex",
            "  jfind-client -q 'ext:pdf AND size:>10M AND mtime:>30d'   big PDFs changed within 30 days",
            "  jfind-client --sort size --reverse -l 10 -q type:f       the 10 largest files",
            "  jfind-client --follow .log              print matches, then new ones as they appear",
            "  jfind-client -0 .jpg | xargs -0 ls -l",
            "  jfind-client status --json",
            "",
            "To search for the word 'status', write: jfind-client -- status"})
public final class JfindCli implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-i", "--ignore-case"}, description = "Ignore case (Unicode-aware).")
    boolean ignoreCase;

    @Option(names = {"-b", "--basename"}, description = "Match only the last component of each path (the name); print whole paths.")
    void basename(boolean on) {
        basename = on;
    }

    @Option(names = {"-w", "--wholename"}, description = "Match the whole path (the default; undoes an earlier -b).")
    void wholename(boolean on) {
        basename = !on;
    }

    boolean basename;

    @Option(names = {"-r", "--regex"}, description = "Read each PATTERN as a Java regular expression, found anywhere in the path.")
    boolean regex;

    @Option(names = {"--any"}, description = "Print paths matching any PATTERN, instead of all of them.")
    boolean any;

    @Option(names = {"-q", "--query"}, paramLabel = "QUERY",
            description = "A structured query (fields name, path, ext, type, size, mtime, depth), ANDed with the PATTERNs.")
    String query;

    @Option(names = {"-e", "--existing"}, description = "Print only paths that still exist (checked with lstat; links not followed).")
    boolean existing;

    @Option(names = {"-c", "--count"}, description = "Print only the number of matching paths.")
    boolean count;

    @Option(names = {"-l", "-n", "--limit"}, paramLabel = "N", description = "Stop after N results.")
    long limit;

    @Option(names = {"--sort"}, paramLabel = "KEY",
            description = "Sort by path, name, size or mtime (the daemon then gathers all matches first)."
                    + " Default: index order, the paths of one directory together.")
    SortChoice sort;

    @Option(names = {"--reverse"}, description = "Reverse the --sort order (largest, newest, Z first).")
    boolean reverse;

    @Option(names = {"-0", "--null"}, description = "End each path with NUL instead of newline (for xargs -0).")
    boolean nul;

    @Option(names = {"--json"}, description = "One JSON object per line: path, type, size, mtime (see README for paths that are not UTF-8).")
    boolean json;

    @Option(names = {"--long"}, description = "Lines of type (f d l o), size, mtime and path.")
    boolean longFormat;

    @Option(names = {"-N", "--literal"}, description = "On a terminal too, print names raw instead of quoting control characters.")
    boolean literal;

    @Option(names = {"-f", "--follow"}, description = "Print the matches, then keep printing paths that start to match as files appear, until interrupted."
            + " If the daemon goes away, say so and follow again once it is back, without repeating a line.")
    boolean follow;

    @Option(names = {"--events"}, description = "With --follow: mark each line '= ' (matched at start), '+ ' (appeared) or '- ' (went away), and report removals too.")
    boolean events;

    @Option(names = {"--no-reconnect"}, description = "With --follow: end (exit status 2) when the daemon goes away,"
            + " instead of following again once it is back.")
    boolean noReconnect;

    @Parameters(paramLabel = "PATTERN", arity = "0..*",
            description = "What to look for; a path must match every PATTERN (or any, with --any). An empty one matches all.")
    List<String> patterns = new ArrayList<>();

    /** --sort keys, as the user types them. */
    enum SortChoice { path, name, size, mtime }

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
        Integer plain = PlainSearch.run(args, rawArgs, env, out, err); // most runs: no picocli start-up cost
        if (plain != null) {
            return plain;
        }
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
        if (patterns.isEmpty() && query == null) {
            throw usage("no PATTERN or -q QUERY to search for (an empty PATTERN, '', matches every path)");
        }
        if (limit < 0) {
            throw usage("-l/--limit must be 0 or more, not " + limit);
        }
        if (json && longFormat) {
            throw usage("--json and --long are two output formats; pick one");
        }
        if (events && !follow) {
            throw usage("--events goes with --follow");
        }
        if (noReconnect && !follow) {
            throw usage("--no-reconnect goes with --follow");
        }
        if (follow && (count || sort != null)) {
            throw usage("--follow prints paths as they come: it does not go with --count or --sort");
        }
        if (reverse && sort == null) {
            throw usage("--reverse needs --sort KEY");
        }
        SearchRequest request = request();
        PathOutput output = new PathOutput(out, json ? PathOutput.Format.JSON : longFormat ? PathOutput.Format.LONG
                : PathOutput.Format.LINES, nul, !literal && TerminalQuoting.stdoutIsTerminal());
        try (JfindClient client = connection.connect(null, env)) {
            try {
                if (follow) {
                    return new FollowPrinter(output, err, !noReconnect).run(client, FollowRequest.newBuilder()
                            .setSearch(request).setIncludeRemovals(events).build(), events);
                }
                try (JfindClient.Results results = client.search(request)) {
                    long printed = count ? printCount(results) : printPaths(results, output);
                    return printed > 0 ? Exit.FOUND : Exit.NOT_FOUND;
                }
            } catch (StatusRuntimeException e) {
                return Failures.report(e, client.target(), err);
            } catch (IOException e) {
                return Exit.FOUND; // stdout closed (`| head`): stop quietly; closing cancels the search
            }
        }
    }

    private SearchRequest request() {
        SearchRequest.Builder request = SearchRequest.newBuilder()
                .setIgnoreCase(ignoreCase)
                .setLimit(limit)
                .setCountOnly(count)
                .setSyntax(regex ? PatternSyntax.PATTERN_SYNTAX_REGEX : PatternSyntax.PATTERN_SYNTAX_LOCATE)
                .setBasename(basename)
                .setMatchAny(any)
                .setExistingOnly(existing)
                .setReverse(reverse);
        if (query != null) {
            request.setQuery(query);
        }
        if (sort != null) {
            request.setSort(SortKey.valueOf("SORT_KEY_" + sort.name().toUpperCase(java.util.Locale.ROOT)));
        }
        for (String p : patterns) {
            request.addPatterns(ByteString.copyFrom(rawArgs.bytesOf(p)));
        }
        return request.build();
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(new CommandLine(this), message);
    }

    private long printPaths(JfindClient.Results results, PathOutput output) throws IOException {
        long printed = 0;
        boolean warned = false;
        for (SearchResponse batch = results.nextBatch(); batch != null; batch = results.nextBatch()) {
            if (batch.getIndexIncomplete() && !warned) {
                warnIncomplete();
                warned = true;
            }
            for (PathEntry entry : batch.getEntriesList()) {
                output.write(entry, null);
                printed++;
            }
            output.flush(); // print as results arrive
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
