package dev.jfind.server.rpc;

import java.util.List;

/** What the administrative RPCs may ask of the daemon; implemented by the daemon. */
public interface Administration {
    /**
     * Starts a crawl now, or right after the running one; with {@code full}, one that lists
     * every directory again instead of reusing the listings of unchanged ones.
     */
    void startCrawl(boolean full);

    /**
     * Reads the configuration again and applies it.
     *
     * @return one line per change applied or left for a restart
     * @throws IllegalStateException with a message for a person when the file cannot be used
     */
    List<String> reloadConfig();
}
