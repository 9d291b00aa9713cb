package dev.jfind.client.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/**
 * Runs the common command line, a plain search, without picocli. Building picocli's model
 * from the annotations (reflection, an annotation proxy class per annotation type, ~170
 * classes that the class-data-sharing archive cannot hold because picocli is Java 5
 * bytecode) costs the short-lived client about 120 ms of CPU, as much as the gRPC call.
 *
 * <p>A plain search is patterns with at most these flags, each once, written exactly so:
 * {@code -i --ignore-case -0 --null -c --count -l N -n N --limit N --socket PATH --server
 * HOST:PORT --}. It fills a {@link JfindCli} the way picocli would and runs the same
 * {@link JfindCli#call}, so searching, printing and errors are the command's own. Every
 * other command line (another flag, a subcommand, {@code --help}, a cluster like
 * {@code -i0}, {@code --limit=5}, an {@code @argument-file}) goes to picocli.
 * PlainSearchTest checks that each command line accepted here fills the command exactly
 * as picocli does, so a flag or default added to {@link JfindCli} cannot silently differ.
 */
final class PlainSearch {
    /** Names picocli takes as a subcommand wherever they appear before {@code --}. */
    static final Set<String> SUBCOMMANDS = Set.of("status", "admin");

    private PlainSearch() {}

    /**
     * Runs {@code args} if they are a plain search and returns the exit code, or returns
     * null without doing anything when picocli must handle them.
     */
    static Integer run(String[] args, RawArgs rawArgs, Map<String, String> env, OutputStream out, PrintWriter err) {
        JfindCli command = new JfindCli(env, out, err, rawArgs);
        if (!fill(command, args)) {
            return null;
        }
        try {
            return command.call();
        } catch (CommandLine.ParameterException e) {
            // a usage error found before the search started: picocli reports it, as every other
            return null;
        } catch (RuntimeException e) {
            err.println("jfind-client: " + e); // as JfindCli.run's handler of a failed command
            return Exit.ERROR;
        }
    }

    /** Sets {@code command}'s options and patterns from {@code args}; false if they are not a plain search. */
    static boolean fill(JfindCli command, String[] args) {
        ConnectionOptions connection = new ConnectionOptions();
        List<String> patterns = new ArrayList<>();
        Set<String> given = new HashSet<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("@")) {
                return false; // picocli reads arguments from that file, if it exists
            }
            if (optionsEnded || arg.isEmpty() || !arg.startsWith("-")) {
                if (!optionsEnded && SUBCOMMANDS.contains(arg)) {
                    return false;
                }
                patterns.add(arg); // the very String: RawArgs finds its bytes by identity
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String option = canonical(arg);
            if (option == null || !given.add(option)) {
                return false; // unknown here, or repeated (an error for picocli)
            }
            switch (option) {
                case "-i" -> command.ignoreCase = true;
                case "-0" -> command.nul = true;
                case "-c" -> command.count = true;
                default -> {
                    String value = i + 1 < args.length ? args[++i] : null;
                    if (value == null || value.isEmpty() || value.startsWith("-") || value.startsWith("@")
                            || SUBCOMMANDS.contains(value)) {
                        return false; // picocli refuses or reads these differently
                    }
                    switch (option) {
                        case "-l" -> {
                            if (!value.matches("[0-9]{1,18}")) {
                                return false;
                            }
                            command.limit = Long.parseLong(value);
                        }
                        case "--socket" -> connection.socket = Path.of(value);
                        default -> connection.server = value;
                    }
                }
            }
        }
        if (patterns.isEmpty()) {
            return false;
        }
        command.patterns = patterns;
        command.connection = connection;
        return true;
    }

    /** One name per option, or null for one a plain search does not have. */
    private static String canonical(String arg) {
        return switch (arg) {
            case "-i", "--ignore-case" -> "-i";
            case "-0", "--null" -> "-0";
            case "-c", "--count" -> "-c";
            case "-l", "-n", "--limit" -> "-l";
            case "--socket" -> "--socket";
            case "--server" -> "--server";
            default -> null;
        };
    }
}
