package dev.jfind.server;

import java.io.PrintWriter;
import sun.misc.Signal;

/**
 * Says in the log which signal stops the daemon, then stops it as the JVM would (shutdown
 * hooks, exit status 128 + the signal's number): "stopping" and, from the hook, "stopped"
 * tell a clean stop from a crash. A signal ignored when the JVM started stays ignored (the JVM
 * refuses to handle it); the launcher resets SIGTERM and SIGHUP so that does not happen.
 */
final class StopSignals {
    private StopSignals() {}

    static void install(PrintWriter log) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal signal = new Signal(name);
            try {
                Signal.handle(signal, s -> {
                    log.println("jfindd: SIG" + s.getName() + " received: stopping");
                    System.exit(128 + s.getNumber());
                });
            } catch (IllegalArgumentException e) {
                // the JVM keeps this one (-Xrs): its own handling still runs the shutdown hook
            }
        }
    }
}
