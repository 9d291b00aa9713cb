package dev.jfind.server;

import dev.jfind.server.config.ConfigLayers;
import dev.jfind.server.config.DaemonConfig;
import dev.jfind.server.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import sun.misc.Signal;

/**
 * Reads the configuration again and applies it to the running daemon: on SIGHUP (as
 * {@code systemctl reload} sends it), or when called. A file with an error is reported and
 * changes nothing: the daemon goes on with what it has.
 *
 * <p>The JDK has no public API for signals; {@code sun.misc.Signal} (module jdk.unsupported,
 * readable by every class-path program) is the supported way that remains. Installing it
 * replaces the JVM's own SIGHUP handling, which would otherwise shut the daemon down.
 *
 * <p>Thread-safe: reloads run one at a time on their own thread.
 */
final class Reloader {
    private final ConfigLayers layers;
    private final Daemon daemon;
    private final PrintWriter log;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jfind-reload");
        t.setDaemon(true);
        return t;
    });

    Reloader(ConfigLayers layers, Daemon daemon, PrintWriter log) {
        this.layers = layers;
        this.daemon = daemon;
        this.log = log;
    }

    /** Reloads on every SIGHUP from now on, and when the admin RPC asks. */
    void onHangup() {
        daemon.reloadWith(this::report);
        sun.misc.SignalHandler before = Signal.handle(new Signal("HUP"), signal -> thread.execute(this::reload));
        if (before == sun.misc.SignalHandler.SIG_IGN) {
            // the JVM installs nothing for a signal ignored at its start (nohup): say so
            log.println("jfindd: SIGHUP was ignored when jfindd started (nohup?), so it cannot reload on SIGHUP;"
                    + " reload with: jfind-client admin reload, or start jfindd with deploy/bin/jfindd");
        }
    }

    /** Reads the file again and applies it; returns whether the file could be used. */
    boolean reload() {
        try {
            report();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * Reads the file again and applies it; returns what changed (also logged). A file that
     * cannot be used changes nothing: IllegalStateException saying why.
     */
    synchronized List<String> report() {
        log.println("jfindd: reloading " + layers.file());
        try {
            DaemonConfig next = layers.resolve();
            String badRoot = RootCheck.problem(next.roots());
            if (badRoot != null) {
                throw new ConfigException(badRoot + "; the roots in force are kept");
            }
            List<String> lines = daemon.reload(next);
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
