package dev.jfind.server;

import dev.jfind.server.config.ConfigException;
import dev.jfind.server.config.ConfigLayers;
import dev.jfind.server.config.DaemonConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the configuration again (on SIGHUP or the admin RPC) and hands it to the running
 * daemon to apply. A file with an error, or roots that cannot be listed, are reported and
 * change nothing: the daemon goes on with what it has. Thread-safe: one reload at a time.
 */
final class ConfigReload {
    private final ConfigLayers layers;
    private final PrintWriter log;

    ConfigReload(ConfigLayers layers, PrintWriter log) {
        this.layers = layers;
        this.log = log;
    }

    /**
     * Reads the file again and gives it to {@code apply}; returns what changed (also logged).
     * A file that cannot be used changes nothing: IllegalStateException saying why.
     */
    synchronized List<String> readAndApply(Function<DaemonConfig, List<String>> apply) {
        log.println("jfindd: reloading " + layers.file());
        try {
            DaemonConfig next = layers.resolve();
            String badRoot = RootCheck.problem(next.roots());
            if (badRoot != null) {
                throw new ConfigException(badRoot + "; the roots in force are kept");
            }
            List<String> lines = apply.apply(next);
            for (String line : lines) {
                log.println("jfindd: reload: " + line);
            }
            return lines;
        } catch (ConfigException | IOException e) {
            log.println("jfindd: reload failed, keeping the configuration in force: " + e.getMessage());
            throw new IllegalStateException("reload failed, the configuration in force is kept: " + e.getMessage());
        }
    }
}
