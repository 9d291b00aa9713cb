package dev.jfind.client.cli;

import dev.jfind.client.JfindClient;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jfind-client admin crawl|reload}: the daemon's administrative RPCs. */
@Command(name = "admin", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Administer the daemon: 'crawl' starts a crawl of every root now (after mounting a disk,"
                + " say); 'crawl --full' one that lists every directory again; 'reload' makes it read its"
                + " configuration file again, as SIGHUP does, and prints what changed.",
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

    @Option(names = "--full", description = "With crawl: list every directory again instead of reusing the"
            + " listings of directories whose mtime has not changed. As slow as a first crawl (searches are"
            + " answered meanwhile); for when searches miss paths that a normal crawl does not bring back.")
    boolean full;

    @Override
    public Integer call() {
        if (full && action != Action.crawl) {
            parent.err.println("jfind-client: --full goes with 'admin crawl' only; try: jfind-client admin crawl --full");
            return Exit.ERROR;
        }
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(parent.out, StandardCharsets.UTF_8));
        try (JfindClient client = connection.connect(parent.connection, parent.env)) {
            try {
                if (action == Action.crawl) {
                    client.startCrawl(full, TIMEOUT_MILLIS);
                    out.println("jfindd is crawling" + (full ? ", listing every directory again" : "")
                            + "; follow it with: jfind-client status --progress");
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
