package dev.jfind.dist;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A section-1 man page in troff (the man macros) written from a command's picocli model:
 * NAME, SYNOPSIS, DESCRIPTION, OPTIONS, ARGUMENTS, COMMANDS (each subcommand with its own
 * options), EXIT STATUS, NOTES (the help footer, kept as laid out) and SEE ALSO. Stateless.
 */
final class ManPage {
    private ManPage() {}

    /**
     * @param version shown in the page's footer, e.g. "jfind 0.1.0"
     * @param seeAlso other commands' names, for SEE ALSO
     */
    static String troff(CommandLine command, String version, List<String> seeAlso) {
        CommandSpec spec = command.getCommandSpec();
        StringBuilder out = new StringBuilder();
        String name = spec.name();
        out.append(".\\\" Generated from the picocli definition of ").append(name)
                .append(" when jfind was built; do not edit.\n");
        out.append(".TH \"").append(escape(name.toUpperCase(Locale.ROOT))).append("\" \"1\" \"\" \"")
                .append(escape(version)).append("\" \"User Commands\"\n");
        out.append(".nh\n.ad l\n"); // no hyphenation, ragged right: paths and flags stay whole
        out.append(".SH NAME\n").append(escape(name)).append(" \\- ").append(escape(summary(spec))).append('\n');
        out.append(".SH SYNOPSIS\n");
        synopsis(out, spec);
        out.append(".SH DESCRIPTION\n");
        paragraphs(out, spec.usageMessage().description());
        options(out, spec, ".SH OPTIONS\n");
        positionals(out, spec, ".SH ARGUMENTS\n");
        Map<String, CommandLine> subcommands = spec.subcommands();
        if (!subcommands.isEmpty()) {
            out.append(".SH COMMANDS\n");
            for (CommandLine sub : subcommands.values()) {
                CommandSpec s = sub.getCommandSpec();
                out.append(".SS \"").append(escape(s.qualifiedName())).append("\"\n");
                synopsis(out, s);
                paragraphs(out, s.usageMessage().description());
                options(out, s, "");
                positionals(out, s, "");
            }
        }
        Map<String, String> exitCodes = spec.usageMessage().exitCodeList();
        if (!exitCodes.isEmpty()) {
            out.append(".SH \"EXIT STATUS\"\n");
            exitCodes.forEach((code, meaning) -> out.append(".TP\n").append(escape(code.strip())).append('\n')
                    .append(escape(meaning.strip())).append('\n'));
        }
        String[] footer = spec.usageMessage().footer();
        if (footer.length > 0 && !String.join("", footer).isBlank()) {
            out.append(".SH NOTES\n.nf\n");
            List<String> lines = new ArrayList<>(List.of(footer));
            while (!lines.isEmpty() && lines.get(0).isBlank()) {
                lines.remove(0);
            }
            lines.forEach(line -> out.append(line.isEmpty() ? "" : escape(line)).append('\n'));
            out.append(".fi\n");
        }
        if (!seeAlso.isEmpty()) {
            out.append(".SH \"SEE ALSO\"\n");
            for (int i = 0; i < seeAlso.size(); i++) {
                out.append(".BR ").append(escape(seeAlso.get(i))).append(" (1)")
                        .append(i < seeAlso.size() - 1 ? "," : "").append('\n');
            }
        }
        return out.toString();
    }

    /** The first sentence of the description: what NAME says (and apropos searches). */
    static String summary(CommandSpec spec) {
        String[] description = spec.usageMessage().description();
        String first = description.length > 0 ? description[0].strip() : spec.name();
        int end = first.indexOf(". ");
        String sentence = end > 0 ? first.substring(0, end) : first;
        return sentence.endsWith(".") ? sentence.substring(0, sentence.length() - 1) : sentence;
    }

    private static void synopsis(StringBuilder out, CommandSpec spec) {
        CommandLine.Help help = new CommandLine.Help(spec,
                new CommandLine.Help.ColorScheme.Builder(CommandLine.Help.Ansi.OFF).build());
        String text = help.synopsis(0).strip().replaceAll("\\s+", " ");
        String name = spec.qualifiedName();
        String rest = text.startsWith(name) ? text.substring(name.length()).strip() : text;
        out.append(".B ").append(escape(name)).append('\n');
        if (!rest.isEmpty()) {
            out.append(escape(rest)).append('\n');
        }
        out.append(".PP\n");
    }

    private static void options(StringBuilder out, CommandSpec spec, String heading) {
        List<OptionSpec> shown = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (shown.isEmpty()) {
            return;
        }
        out.append(heading);
        for (OptionSpec o : shown) {
            out.append(".TP\n");
            List<String> names = new ArrayList<>();
            for (String n : o.names()) {
                String separator = n.startsWith("--") ? "=" : " ";
                String label = o.arity().max() > 0 ? separator + "\\fI" + escape(o.paramLabel()) + "\\fR" : "";
                names.add("\\fB" + escape(n) + "\\fR" + label);
            }
            out.append(String.join(", ", names)).append('\n');
            lines(out, o.renderedDescription());
        }
    }

    private static void positionals(StringBuilder out, CommandSpec spec, String heading) {
        List<PositionalParamSpec> shown = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (shown.isEmpty()) {
            return;
        }
        out.append(heading);
        for (PositionalParamSpec p : shown) {
            out.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR")
                    .append(p.arity().max() > 1 ? "..." : "").append('\n');
            lines(out, p.renderedDescription());
        }
    }

    /** Description lines: each a paragraph, an empty line a break between paragraphs. */
    private static void paragraphs(StringBuilder out, String[] text) {
        for (String line : text) {
            out.append(line.isBlank() ? ".PP" : escape(line.strip())).append('\n');
        }
    }

    /** An option's description: its lines run on as one paragraph of the .TP item. */
    private static void lines(StringBuilder out, String[] text) {
        for (String line : text) {
            if (!line.isBlank()) {
                out.append(escape(line.strip())).append('\n');
            }
        }
    }

    /**
     * Text made safe for troff: a backslash printed as one, hyphens as ASCII hyphen-minus
     * (so options can be searched for and copied), and a line that would start with a
     * control character ('.' or ''') made text.
     */
    static String escape(String text) {
        String s = text.replace("\\", "\\e").replace("-", "\\-");
        if (s.startsWith(".") || s.startsWith("'")) {
            s = "\\&" + s;
        }
        return s;
    }
}
