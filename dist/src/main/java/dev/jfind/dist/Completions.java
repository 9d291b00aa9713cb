package dev.jfind.dist;

import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Shell completion scripts for a command. Bash's is picocli's generated script; zsh's runs
 * that same script through zsh's bash-completion emulation (bashcompinit), wrapped as a zsh
 * completion function file ({@code _NAME} on {@code $fpath}). Stateless.
 */
final class Completions {
    private Completions() {}

    /** For /usr/share/bash-completion/completions/NAME. */
    static String bash(CommandLine command) {
        return AutoComplete.bash(command.getCommandName(), command);
    }

    /**
     * For a directory on zsh's {@code $fpath}, as {@code _NAME}. zsh autoloads the file as the
     * completion function the first time NAME is completed: the script then registers the
     * bash-style function for later completions, and the last line completes this first one.
     */
    static String zsh(CommandLine command) {
        String name = command.getCommandName();
        return "#compdef " + name + "\n"
                + "# zsh completion for " + name + ": the bash completion below, run through zsh's\n"
                + "# bashcompinit. Generated from the command's definition when jfind was built.\n"
                + "autoload -U +X bashcompinit && bashcompinit\n"
                // The script tunes bash's behaviour with compopt, which zsh lacks; its own
                // alias for it comes too late for a file zsh parses whole as one function.
                + "(( $+functions[compopt] )) || compopt() { return 0; }\n"
                + bash(command)
                + "\n_bash_complete -F _complete_" + name + " -o default\n";
    }
}
