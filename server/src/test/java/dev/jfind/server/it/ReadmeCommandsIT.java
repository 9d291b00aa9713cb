package dev.jfind.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command README.md shows is run, as written, against a real daemon on a home directory
 * built for them, so the README cannot drift from what the programs do. The commands are read
 * from README's fenced code blocks: a block with no language (or {@code sh}, {@code console})
 * holds commands, one a line; where lines start with {@code $ } only those are commands and the
 * rest is their output. {@code text} and {@code java} blocks are not run. A command is run by
 * default: the few that cannot run here are in {@link #NOT_RUN}, each with the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadmeCommandsIT {
    static final Path README = Launched.REPO.resolve("README.md");

    /** Commands (by how they start) that are not run, and why. Keep it short: each entry is untested documentation. */
    static final Map<String, String> NOT_RUN = new LinkedHashMap<>();

    static {
        NOT_RUN.put("sudo ", "changes the machine as root (install, systemctl, sysctl); InstallIT stages the install into a scratch root");
        NOT_RUN.put("echo fs.inotify.max_user_watches=", "writes /etc/sysctl.d through sudo");
        NOT_RUN.put("mvn ", "the build that this suite runs inside");
        NOT_RUN.put("jfind-client --follow", "never ends by itself; QueryFlagsIT follows with a deadline");
        NOT_RUN.put("jfindd --metrics 9464", "a fixed port another program on the machine may hold; MetricsTest scrapes port 0");
        NOT_RUN.put("curl -s localhost:9464", "reads the fixed-port daemon above");
        NOT_RUN.put("grpcurl ", "grpcurl is not packaged by Debian; StandardServicesIT checks reflection and health");
    }

    /** One command of README: its line number, its text, and the output README shows for it. */
    record Command(int line, String text, List<String> shownOutput) {
        String where() {
            return "README.md:" + line + ": " + text;
        }

        /** Ends with {@code &}: starts something in the background (the daemon). */
        boolean background() {
            return withoutComment().endsWith("&");
        }

        String withoutComment() {
            return text.replaceFirst("\\s+#[^'\"]*$", "").strip();
        }
    }

    private Path home;
    private Map<String, String> env;
    private final List<Process> started = new ArrayList<>();

    /** The commands of every fenced block of README.md that holds commands. */
    static List<Command> commands(List<String> readme) {
        List<Command> commands = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            Matcher fence = Pattern.compile("^```(\\w*)\\s*$").matcher(readme.get(i));
            if (!fence.matches()) {
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < readme.size() && !readme.get(end).startsWith("```")) {
                end++;
            }
            String lang = fence.group(1);
            if (lang.isEmpty() || lang.equals("sh") || lang.equals("console")) {
                List<String> block = readme.subList(start, end);
                boolean prompts = block.stream().anyMatch(l -> l.startsWith("$ "));
                for (int j = 0; j < block.size(); j++) {
                    String line = block.get(j);
                    if (line.isBlank() || (prompts && !line.startsWith("$ "))) {
                        continue;
                    }
                    List<String> output = new ArrayList<>();
                    for (int k = j + 1; prompts && k < block.size() && !block.get(k).startsWith("$ "); k++) {
                        output.add(block.get(k));
                    }
                    commands.add(new Command(start + j + 1, prompts ? line.substring(2) : line, output));
                }
            }
            i = end;
        }
        return commands;
    }

    static String notRunReason(Command c) {
        return NOT_RUN.entrySet().stream().filter(e -> c.text().startsWith(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    @BeforeAll
    void homeForTheCommands(@TempDir Path tmp) throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        // what README's examples look for, so each of them has something to find
        for (String file : List.of("Documents/Reports 2024/Quarterly report.pdf", "src/site/report-2024.html",
                "Documents/invoice-2024-03.pdf", "Documents/Invoice 2024.odt", "Documents/report-7.pdf",
                "Pictures/holiday.jpg", "Pictures/IMG_0001.JPG", "Pictures/IMG_0002.JPG", "src/patch.c.orig",
                "src/patch.c.rej", "logs/app.log", "logs/old.log", ".config/app/app.conf", "etc/other.conf",
                "etc/third.conf", ".bashrc")) {
            Files.createDirectories(home.resolve(file).getParent());
            Files.writeString(home.resolve(file), "x\n");
        }
        try (RandomAccessFile big = new RandomAccessFile(home.resolve("Documents/big-scan.pdf").toFile(), "rw")) {
            big.setLength(11L << 20); // sparse: size:>10M without writing 11 MiB
        }
        Path runtime = Files.createDirectories(tmp.resolve("run"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_STATE_HOME", home.resolve(".local/state").toString());
        env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        env.put("PATH", Launched.REPO.resolve("deploy/bin") + ":" + System.getenv("PATH"));
    }

    @AfterAll
    void stop() {
        started.forEach(Process::destroyForcibly);
    }

    /** Runs {@code script} with bash in the checkout, with the test's home. */
    private Launched.Result bash(String script) throws IOException, InterruptedException {
        List<String> command = List.of("bash", "-c", "cd '" + Launched.REPO + "' && unset JFIND_SOCKET && " + script);
        return Launched.run(command, env);
    }

    @Test
    void everyCommandInTheReadmeRunsAsWritten() throws Exception {
        List<Command> commands = commands(Files.readAllLines(README));
        assertTrue(commands.size() >= 15, "README's commands were found: " + commands);

        Set<String> skipUsed = new HashSet<>();
        List<Command> toRun = new ArrayList<>();
        for (Command c : commands) {
            String reason = notRunReason(c);
            if (reason == null) {
                toRun.add(c);
            } else {
                skipUsed.add(NOT_RUN.keySet().stream().filter(c.text()::startsWith).findFirst().orElseThrow());
                System.out.println("not run: " + c.where() + " (" + reason + ")");
            }
        }
        Set<String> stale = new HashSet<>(NOT_RUN.keySet());
        stale.removeAll(skipUsed);
        assertEquals(Set.of(), stale, "NOT_RUN entries that match no README command any more: remove them");

        // Background commands first: README starts the daemon the other commands talk to.
        for (Command c : toRun) {
            if (c.background()) {
                String line = c.withoutComment();
                ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                        "exec " + line.substring(0, line.length() - 1).strip())
                        .directory(Launched.REPO.toFile()).redirectErrorStream(true)
                        .redirectOutput(home.getParent().resolve("background-" + c.line() + ".log").toFile());
                pb.environment().putAll(env);
                pb.environment().remove("JFIND_SOCKET");
                started.add(pb.start());
            }
        }
        assertFalse(started.isEmpty(), "README shows how to start the daemon (a command ending with &)");
        Map<String, String> clientEnv = new HashMap<>(env);
        Launched.awaitReady(clientEnv);

        List<String> failures = new ArrayList<>();
        for (Command c : toRun) {
            if (c.background()) {
                continue;
            }
            Launched.Result r = bash(c.text());
            String got = "exit " + r.exit() + ", stdout:\n" + r.out() + "stderr:\n" + r.stderr();
            String program = c.text().split("\\s+")[0].replaceFirst(".*/", "");
            boolean errorExample = !c.shownOutput().isEmpty() && c.shownOutput().get(0).startsWith(program + ": ");
            if (errorExample) {
                // README shows what a mistake prints: it must print exactly that, with exit 2
                if (r.exit() != 2 || !r.stderr().strip().equals(String.join("\n", c.shownOutput()).strip())) {
                    failures.add(c.where() + "\n  README shows this error output:\n"
                            + String.join("\n", c.shownOutput()) + "\n  but it gave " + got);
                }
                continue;
            }
            if (r.exit() != 0) {
                failures.add(c.where() + "\n  expected exit 0 with output on a home made for it, got " + got);
            } else if (r.stdout().length == 0) {
                failures.add(c.where() + "\n  printed nothing: " + got);
            } else if (c.text().matches("^\\S*jfind-client [^|]*\\|.*")) {
                // a pipeline: one line out per path the search finds (not, say, one of them)
                String search = c.text().substring(0, c.text().indexOf('|')).strip();
                String counted = search.replaceFirst("^(\\S*jfind-client) ", "$1 -c ");
                Launched.Result count = bash(counted);
                long lines = r.out().lines().count();
                if (count.exit() != 0 || Long.parseLong(count.out().strip()) != lines) {
                    failures.add(c.where() + "\n  printed " + lines + " lines, but `" + counted + "` counts "
                            + count.out().strip() + count.stderr());
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " README command(s) do not work as written (run from the checkout with"
                    + " deploy/bin on PATH, HOME = a tree made for them):\n\n" + String.join("\n\n", failures));
        }
    }

    @Test
    void commandsAreReadFromTheFencedBlocksOnly() {
        List<Command> cs = commands(List.of("text", "```", "$ jfind-client x", "out", "$ jfind-client -q 'bad'",
                "jfind-client: query: oops", "```", "", "```text", "crawling now", "```", "```",
                "deploy/bin/jfindd &   # comment", "jfind-client y", "```"));
        assertEquals(List.of("jfind-client x", "jfind-client -q 'bad'", "deploy/bin/jfindd &   # comment",
                "jfind-client y"), cs.stream().map(Command::text).toList());
        assertEquals(List.of("jfind-client: query: oops"), cs.get(1).shownOutput());
        assertEquals(3, cs.get(0).line());
        assertTrue(cs.get(2).background());
        assertFalse(cs.get(3).background());
    }
}
