package dev.jfind.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The picocli-free path for plain searches must fill the command exactly as picocli does,
 * for every command line it accepts; everything else must be left to picocli.
 */
class PlainSearchTest {
    /** Command lines the fast path exists for: each must be taken by it. */
    private static final List<List<String>> PLAIN = List.of(
            List.of("quokka"),
            List.of("-i", "invoice", "2024"),
            List.of("--ignore-case", "x"),
            List.of("-0", ".jpg"),
            List.of("--null", "-c", ""),
            List.of("--count", "a b"),
            List.of("-l", "5", "x"),
            List.of("-n", "2", "x"),
            List.of("--limit", "0", "x", "-i"),
            List.of("--", "status"),
            List.of("x", "--", "-i", "--"),
            List.of("--socket", "/tmp/j.sock", "x"),
            List.of("--server", "127.0.0.1:7543", "x"),
            List.of("caf\u00e9", "\uFFFD"));

    /** Command lines that must go to picocli. */
    private static final List<List<String>> NOT_PLAIN = List.of(
            List.of(), List.of("-i"), List.of("--"), List.of("status"), List.of("x", "status"),
            List.of("status", "--json"), List.of("--help"), List.of("-h"), List.of("--version"), List.of("-i0", "x"),
            List.of("--limit=5", "x"), List.of("-l5", "x"), List.of("-l", "-1", "x"), List.of("-l", "x"),
            List.of("-i", "-i", "x"), List.of("-x", "x"), List.of("-", "x"), List.of("@args", "x"),
            List.of("--socket"), List.of("--socket", "--", "x"), List.of("x", "-l"));

    /** The words random command lines are made of. */
    private static final List<String> WORDS = List.of("x", "quokka", "", "a b", "-i", "--ignore-case", "-0", "--null",
            "-c", "--count", "-l", "-n", "--limit", "3", "-b", "-r", "007", "-1", "--", "-", "-x", "--socket", "/s.sock", "--server",
            "h:1", "status", "help", "@f", "-i0", "--limit=2", "-h", "--json", "\u00e9");

    @Test
    void knowsEverySubcommandPicocliKnows() {
        java.util.Set<String> names = new java.util.HashSet<>(new picocli.CommandLine(
                new JfindCli(java.util.Map.of(), new java.io.ByteArrayOutputStream(),
                        new java.io.PrintWriter(new java.io.StringWriter()), RawArgs.utf8(new String[0])))
                .getSubcommands().keySet());
        org.junit.jupiter.api.Assertions.assertEquals(names, PlainSearch.SUBCOMMANDS,
                "a subcommand the fast path does not know would be searched for as a pattern");
    }

    @Test
    void theCommonCommandLinesTakeTheFastPath() {
        for (List<String> args : PLAIN) {
            assertTrue(agreesWithPicocli(args.toArray(new String[0])), "fast path declined " + args);
        }
    }

    @Test
    void everythingElseIsLeftToPicocli() {
        for (List<String> args : NOT_PLAIN) {
            assertFalse(agreesWithPicocli(args.toArray(new String[0])), "fast path took " + args);
        }
    }

    @Test
    void randomCommandLinesEitherGoToPicocliOrParseAsPicocliParsesThem() {
        Random random = new Random(42);
        int taken = 0;
        for (int n = 0; n < 1_000; n++) {
            String[] args = new String[random.nextInt(6)];
            for (int i = 0; i < args.length; i++) {
                args[i] = new String(WORDS.get(random.nextInt(WORDS.size()))); // a distinct object, as from main
            }
            if (agreesWithPicocli(args)) {
                taken++;
            }
        }
        assertTrue(taken > 100, "the fast path took only " + taken + " of 1000");
    }

    @Test
    void theComparisonSeesEveryOption() {
        JfindCli parsed = command();
        new CommandLine(parsed).parseArgs("x");
        assertTrue(options(parsed).keySet().containsAll(List.of("connection.socket", "connection.server",
                "ignoreCase", "nul", "limit", "count", "patterns")), options(parsed).keySet().toString());
    }

    @Test
    void theSubcommandsAreThoseOfTheCommand() {
        CommandLine cli = new CommandLine(command());
        Set<String> names = new TreeSet<>(cli.getSubcommands().keySet());
        cli.getSubcommands().values().forEach(sub -> names.addAll(Arrays.asList(sub.getCommandSpec().aliases())));
        assertEquals(names, new TreeSet<>(PlainSearch.SUBCOMMANDS));
    }

    @Test
    void aFailedSearchIsReportedAsPicocliWouldReportIt() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        Map<String, String> env = Map.of("JFIND_SOCKET", "/nonexistent/jfind.sock");
        assertEquals(2, PlainSearch.run(new String[] {"x"}, RawArgs.utf8(new String[] {"x"}), env, out,
                new PrintWriter(err, true)));
        assertTrue(err.toString().contains("cannot reach jfindd at /nonexistent/jfind.sock"), err.toString());
        assertEquals(null, PlainSearch.run(new String[] {"--server", "nonsense", "x"}, RawArgs.utf8(new String[0]),
                env, out, new PrintWriter(err, true)), "a usage error call() finds goes to picocli");
    }

    private static JfindCli command() {
        return new JfindCli(Map.of(), new ByteArrayOutputStream(), new PrintWriter(new StringWriter()),
                RawArgs.utf8(new String[0]));
    }

    /**
     * Whether the fast path takes {@code args}; when it does, asserts that picocli parses
     * them as a search (no error, subcommand or help) into the same option values, and that
     * the patterns are the argument objects themselves.
     */
    private static boolean agreesWithPicocli(String[] args) {
        JfindCli fast = command();
        if (!PlainSearch.fill(fast, args)) {
            return false;
        }
        String what = Arrays.toString(args);
        JfindCli parsed = command();
        CommandLine.ParseResult result;
        try {
            result = new CommandLine(parsed).parseArgs(args.clone());
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError("fast path took " + what + ", which picocli refuses: " + e.getMessage());
        }
        assertFalse(result.hasSubcommand() || result.isUsageHelpRequested() || result.isVersionHelpRequested(), what);
        assertEquals(options(parsed), options(fast), what);
        for (String pattern : fast.patterns) {
            assertTrue(Arrays.stream(args).anyMatch(a -> a == pattern), "pattern not an argument object: " + what);
        }
        return true;
    }

    /**
     * Every field that parsing may set on {@code command} (every instance field but the final
     * ones its constructor gets), mixins flattened, by name. Not only the annotated fields: an
     * annotated setter method (like -b's) sets a plain one.
     */
    private static Map<String, Object> options(Object command) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field f : command.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers()) || f.isSynthetic()) {
                continue;
            }
            f.setAccessible(true);
            Object value;
            try {
                value = f.get(command);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
            if (f.isAnnotationPresent(CommandLine.Mixin.class)) {
                assertNotNull(value, f.getName());
                options(value).forEach((k, v) -> values.put(f.getName() + "." + k, v));
            } else {
                values.put(f.getName(), value);
            }
        }
        return values;
    }
}
