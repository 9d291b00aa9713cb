package dev.jfind.client.cli;

import dev.jfind.client.JfindClient;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jfind-client admin crawl|reload}: the daemon's administrative RPCs. */
@Command(name = "admin", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Administer the daemon: 'crawl' starts a full crawl now (after mounting a disk, say);"
                + " 'reload' makes it read its configuration file again, as SIGHUP does, and prints what changed.",
            "Allowed for root, the daemon's own user and members of its admin group (jfindd --admin-group)."})
final class AdminCommand implements Callable<Integer> {
    private static final long TIMEOUT_MILLIS = 30_000;

    /** What to ask. */
    enum Action { crawl, reload }

    @ParentCommand
    JfindCli parent;

    @Mixin
    ConnectionOptions connection;

    @Parameters(paramLabel = "ACTION", description = "crawl or reload")
    Action action;

    @Override
    public Integer call() {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(parent.out, StandardCharsets.UTF_8));
        try (JfindClient client = connection.connect(parent.connection, parent.env)) {
            try {
                if (action == Action.crawl) {
                    client.startCrawl(TIMEOUT_MILLIS);
                    out.println("jfindd is crawling; follow it with: jfind-client status --progress");
                } else {
                    client.reloadConfig(TIMEOUT_MILLIS).forEach(out::println);
                }
                out.flush();
                return Exit.FOUND;
            } catch (StatusRuntimeException e) {
                return Failures.report(e, client.target(), parent.err);
            }
        }
    }
}
