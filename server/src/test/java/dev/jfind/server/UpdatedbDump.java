package dev.jfind.server;

import dev.jfind.server.config.ConfigLayers;
import dev.jfind.server.config.DaemonConfig;
import dev.jfind.server.crawl.CrawlStats;
import dev.jfind.server.crawl.Crawler;
import dev.jfind.server.crawl.Entry;
import dev.jfind.server.crawl.ListingSink;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Prints, NUL-separated, every path a crawl with the rules of a configuration file reports:
 * what the daemon would index. Run as its own process by {@link UpdatedbEqualityTest}, inside
 * the private mount namespace where updatedb.plocate runs, so both see the same mounts.
 */
public final class UpdatedbDump {
    public static void main(String[] args) throws Exception {
        Jfindd flags = new Jfindd(System.getenv(), new PrintWriter(System.err, true));
        new picocli.CommandLine(flags).parseArgs("--config", args[0]);
        DaemonConfig config = new ConfigLayers(flags.flags(), System.getenv()).resolve();
        List<byte[]> paths = Collections.synchronizedList(new ArrayList<>());
        ListingSink sink = new ListingSink() {
            @Override
            public void root(Entry root) {
                paths.add(root.path());
            }

            @Override
            public List<Entry> listed(Entry dir, List<Entry> children) {
                children.forEach(c -> paths.add(c.path()));
                return ListingSink.directories(children);
            }

            @Override
            public void notListed(Entry dir) {}
        };
        Crawler crawler = dev.jfind.server.update.CrawlPlan.of(config).crawler();
        if (!crawler.crawl(config.roots(), sink, new CrawlStats(), () -> false)) {
            System.exit(1);
        }
        try (OutputStream out = new BufferedOutputStream(System.out)) {
            for (byte[] p : paths) {
                out.write(p);
                out.write(0);
            }
        }
    }
}
