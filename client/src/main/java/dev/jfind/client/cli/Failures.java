package dev.jfind.client.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;

/** Turns a failed call into one line a person can act on. */
final class Failures {
    private Failures() {}

    static int report(StatusRuntimeException e, String target, PrintWriter err) {
        Status status = e.getStatus();
        switch (status.getCode()) {
            case UNAVAILABLE:
                err.println("jfind-client: cannot reach jfindd at " + target + cause(status)
                        + ". Start it with `deploy/bin/jfindd &` (or `systemctl start jfindd`),"
                        + " or point to its socket with --socket or JFIND_SOCKET.");
                break;
            case DEADLINE_EXCEEDED:
                err.println("jfind-client: jfindd at " + target + " did not answer in time; it may be overloaded.");
                break;
            case PERMISSION_DENIED:
            case FAILED_PRECONDITION:
            case INVALID_ARGUMENT:
                // the daemon's message says what is wrong and where (a query's caret line last)
                err.println("jfind-client: " + status.getDescription());
                break;
            default:
                err.println("jfind-client: " + (status.getDescription() != null ? status.getDescription()
                        : status.getCode().toString()) + " (" + status.getCode() + ")");
        }
        err.flush();
        return Exit.ERROR;
    }

    private static String cause(Status status) {
        Throwable c = status.getCause();
        while (c != null && c.getCause() != null) {
            c = c.getCause();
        }
        return c != null && c.getMessage() != null ? " (" + c.getMessage() + ")" : "";
    }
}
