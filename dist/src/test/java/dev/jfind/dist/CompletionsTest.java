package dev.jfind.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated completion scripts, run in real bash and zsh. */
class CompletionsTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void generate() throws Exception {
        GenerateDocs.generate(tmp, "jfind 9.9", ManPageTest.COMMANDS);
    }

    /** What bash offers for the words typed so far (the last one being completed). */
    private List<String> bash(String command, String... words) throws Exception {
        StringBuilder script = new StringBuilder(". '" + tmp.resolve("completion/bash/" + command) + "'\n");
        // the compopt builtin works only inside a completion readline started; it only
        // tunes how readline shows the matches
        script.append("compopt() { :; }\n");
        script.append("COMP_WORDS=(").append(command);
        for (String w : words) {
            script.append(" '").append(w).append('\'');
        }
        script.append(")\nCOMP_CWORD=").append(words.length).append('\n');
        script.append("COMP_LINE=\"${COMP_WORDS[*]}\"\n");
        script.append("_complete_").append(command).append("\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n");
        Commands.Result r = Commands.run("bash", "-c", script.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        return r.out().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void bashCompletesOptionsSubcommandsAndTheirOptions() throws Exception {
        assertEquals(List.of("--ignore-case"), bash("jfind-client", "--ig"));
        assertEquals(List.of("status"), bash("jfind-client", "st"));
        assertEquals(List.of("--json"), bash("jfind-client", "status", "--js"));
        assertEquals(List.of("--rescan-interval"), bash("jfindd", "--resc"));
        assertTrue(bash("jfindd", "--exclude-").containsAll(List.of("--exclude-path", "--exclude-name", "--exclude-fs")));
        assertTrue(bash("jfindd", "--").contains("--config"), "a flag added to Jfindd is completed without copying it");
    }

    @Test
    void bashCompletesAFileAfterAPathOption() throws Exception {
        Files.createFile(tmp.resolve("my-config.conf"));
        List<String> offered = bash("jfindd", "--config", tmp.resolve("my-con").toString());
        assertEquals(List.of(tmp.resolve("my-config.conf").toString()), offered);
    }

    /**
     * zsh, interactively in a pseudo-terminal: the _NAME file on $fpath is autoloaded by
     * compinit, and a TAB completes the word on the command line.
     */
    private String zshTab(String command, String typed) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("zsh-home"));
        String script = String.join("\n",
                "zmodload zsh/zpty",
                "zpty z env -i PATH=\"$PATH\" TERM=dumb HOME=" + home + " zsh -f -i",
                "zpty -w z \"PS1='> '; fpath=(" + tmp.resolve("completion/zsh") + " \\$fpath);"
                        + " autoload -U compinit; compinit -u -D\"",
                "zpty -w z 'print ready-'$((6*7))",
                "zpty -r -m z out '*ready-42*' || exit 3",
                "zpty -w -n z '" + command + " " + typed + "'$'\\t'",
                "zpty -w z \"\"$'\\C-a'\"print -r -- TYPED: \"",
                "zpty -r -m z out '*TYPED: *' || exit 4",
                "zpty -r -m z line $'*\\n*' || exit 5",
                "print -r -- \"$line\"",
                "zpty -d z");
        Commands.Result r = Commands.run(List.of("timeout", "60", "zsh", "-f", "-c", script), Map.of());
        assertEquals(0, r.exit(), r.out() + r.err());
        return r.out();
    }

    @Test
    void zshCompletesThroughItsFpathFile() throws Exception {
        assumeTrue(Commands.available("zsh"), "zsh is not installed");
        String client = zshTab("jfind-client", "--ig");
        assertTrue(client.contains(" --ignore-case"), client);
        assertFalse(client.contains("not found"), client);
        String daemon = zshTab("jfindd", "--rescan-i");
        assertTrue(daemon.contains(" --rescan-interval"), daemon);
    }
}
