package dev.jfind.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Build step ({@code mvn package}): writes the man page and the bash and zsh completions of
 * each command-line class into the build directory, where deploy/install.sh takes them:
 * {@code man/NAME.1}, {@code completion/bash/NAME}, {@code completion/zsh/_NAME}.
 *
 * <p>Arguments: the output directory, the project version, then the command classes.
 */
public final class GenerateDocs {
    private GenerateDocs() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: GenerateDocs OUT_DIR VERSION CLASS...");
        }
        List<String> classes = List.of(args).subList(2, args.length);
        List<Path> written = generate(Path.of(args[0]), "jfind " + args[1].replace("-SNAPSHOT", ""), classes);
        System.out.println("jfind-dist: wrote " + written.size() + " files: " + written);
    }

    /** Writes every file for {@code classes}; returns them. */
    static List<Path> generate(Path out, String version, List<String> classes) throws Exception {
        List<CommandLine> commands = new ArrayList<>();
        for (String c : classes) {
            commands.add(CliModels.of(c));
        }
        List<Path> written = new ArrayList<>();
        for (CommandLine command : commands) {
            String name = command.getCommandName();
            List<String> others = commands.stream().map(CommandLine::getCommandName).filter(n -> !n.equals(name))
                    .toList();
            written.add(write(out.resolve("man/" + name + ".1"), ManPage.troff(command, version, others)));
            written.add(write(out.resolve("completion/bash/" + name), Completions.bash(command)));
            written.add(write(out.resolve("completion/zsh/_" + name), Completions.zsh(command)));
        }
        return written;
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
