package dev.jfind.server;

import dev.jfind.server.concurrent.NamedThreads;
import java.io.PrintWriter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import sun.misc.Signal;

/**
 * Reloads the running daemon's configuration on SIGHUP (as {@code systemctl reload} sends it).
 *
 * <p>The JDK has no public API for signals; {@code sun.misc.Signal} (module jdk.unsupported,
 * readable by every class-path program) is the supported way that remains. Installing it
 * replaces the JVM's own SIGHUP handling, which would otherwise shut the daemon down.
 *
 * <p>Thread-safe: reloads run one at a time on their own thread, {@code jfind-reload}.
 */
final class Reloader {
    private Reloader() {}

    /** Reloads {@code daemon} on every SIGHUP from now on. */
    static void onHangup(Daemon daemon, PrintWriter log) {
        ExecutorService thread = Executors.newSingleThreadExecutor(NamedThreads.single("jfind-reload"));
        sun.misc.SignalHandler before = Signal.handle(new Signal("HUP"), signal -> thread.execute(() -> {
            try {
                daemon.reloadConfig();
            } catch (IllegalStateException e) {
                // logged by the reload; the daemon goes on with what it has
            }
        }));
        if (before == sun.misc.SignalHandler.SIG_IGN) {
            // the JVM installs nothing for a signal ignored at its start (nohup): say so
            log.println("jfindd: SIGHUP was ignored when jfindd started (nohup?), so it cannot reload on SIGHUP;"
                    + " reload with: jfind-client admin reload, or start jfindd with deploy/bin/jfindd");
        }
    }
}
