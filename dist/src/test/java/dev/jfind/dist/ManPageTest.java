package dev.jfind.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class ManPageTest {
    static final List<String> COMMANDS = List.of("dev.jfind.server.Jfindd", "dev.jfind.client.cli.JfindCli");

    @TempDir
    Path tmp;

    @Test
    void escapesWhatTroffWouldTakeForMarkup() {
        Map<String, String> cases = Map.of(
                "", "",
                "plain", "plain",
                "--rescan-interval", "\\-\\-rescan\\-interval",
                "a\\b", "a\\eb",
                ".hidden", "\\&.hidden",
                "'quoted", "\\&'quoted",
                "mid.dle's", "mid.dle's");
        cases.forEach((in, out) -> assertEquals(out, ManPage.escape(in), in));
    }

    @Test
    void everyOptionOfEveryCommandIsOnItsPage() throws Exception {
        GenerateDocs.generate(tmp, "jfind 9.9", COMMANDS);
        for (String cls : COMMANDS) {
            CommandLine command = CliModels.of(cls);
            String page = Files.readString(tmp.resolve("man/" + command.getCommandName() + ".1"));
            assertTrue(page.startsWith(".\\\" Generated"), page);
            assertTrue(page.contains(".TH \"" + ManPage.escape(command.getCommandName().toUpperCase()) + "\" \"1\" \"\" \"jfind 9.9\""),
                    page);
            List<CommandSpec> specs = new java.util.ArrayList<>(List.of(command.getCommandSpec()));
            command.getSubcommands().values().forEach(s -> specs.add(s.getCommandSpec()));
            for (CommandSpec spec : specs) {
                for (OptionSpec o : spec.options()) {
                    for (String name : o.names()) {
                        assertTrue(page.contains("\\fB" + ManPage.escape(name) + "\\fR"), cls + " " + name);
                    }
                }
            }
            for (String sub : command.getSubcommands().keySet()) {
                assertTrue(page.contains(".SS \"" + ManPage.escape(command.getCommandName() + " " + sub) + "\""), sub);
            }
        }
    }

    @Test
    void thePagesRenderWithoutWarningsAndReadAsAManPage() throws Exception {
        assumeTrue(Commands.available("groff"), "groff is not installed");
        GenerateDocs.generate(tmp, "jfind 9.9", COMMANDS);
        for (String name : List.of("jfindd", "jfind-client")) {
            Path page = tmp.resolve("man/" + name + ".1");
            Commands.Result check = Commands.run("groff", "-man", "-Tutf8", "-ww", "-z", page.toString());
            assertEquals(0, check.exit(), check.err());
            assertEquals("", check.err(), "troff warnings for " + name);
            Commands.Result text = Commands.run(List.of("groff", "-man", "-Tascii", "-P", "-cbou", page.toString()),
                    Map.of("MANWIDTH", "100"));
            assertEquals(0, text.exit(), text.err());
            for (String section : List.of("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "SEE ALSO")) {
                assertTrue(text.out().contains("\n" + section + "\n"), name + " has " + section + ":\n" + text.out());
            }
            assertTrue(text.out().contains(name + " - "), text.out());
        }
        String daemon = Commands.run("groff", "-man", "-Tascii", "-P", "-cbou",
                tmp.resolve("man/jfindd.1").toString()).out();
        assertTrue(daemon.contains("--rescan-interval=DURATION"), daemon);
        assertTrue(daemon.contains("--config=FILE"), daemon);
        assertTrue(daemon.contains("jfind-client(1)"), daemon);
        String client = Commands.run("groff", "-man", "-Tascii", "-P", "-cbou",
                tmp.resolve("man/jfind-client.1").toString()).out();
        assertTrue(client.contains("-l N,") && client.contains("--limit=N"),
                "a short option's value follows a space, a long one's an '=': " + client);
        assertTrue(client.contains("jfind-client status"), client);
    }
}
