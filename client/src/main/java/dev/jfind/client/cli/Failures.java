package dev.jfind.client.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;

/** Turns a failed call into one line a person can act on. */
final class Failures {
    private Failures() {}

    static int report(StatusRuntimeException e, String target, PrintWriter err) {
        Status status = e.getStatus();
        String stranger = notJfindd(status);
        if (stranger != null) {
            err.println("jfind-client: what answers at " + target + " is not jfindd (" + stranger + ")."
                    + " Point to jfindd's socket with --socket or JFIND_SOCKET (the system service's is "
                    + SocketLocator.SYSTEM_SOCKET + "), or start jfindd: `deploy/bin/jfindd &`"
                    + " (or `systemctl start jfindd`); `jfindd --help` tells where it puts its socket.");
            err.flush();
            return Exit.ERROR;
        }
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

    /**
     * What shows that the peer is some other program, or null. jfindd answers every call of
     * jfind's API with its own codes and never INTERNAL for a bad frame; so: bytes that are not
     * HTTP/2 at all (grpc-okhttp fails its frame reader: "error in frame handler"), an HTTP
     * server that is not gRPC (grpc maps its HTTP status: "HTTP status code 404", "invalid
     * content-type"), a gRPC server without jfind's service (UNIMPLEMENTED, "Method not found").
     */
    static String notJfindd(Status status) {
        String description = status.getDescription() != null ? status.getDescription() : "";
        if (status.getCode() == Status.Code.UNIMPLEMENTED) {
            return "it does not offer jfind's API: " + firstLine(description)
                    + "; or it is a jfindd older than this client";
        }
        if (status.getCode() == Status.Code.INTERNAL && description.startsWith("error in frame handler")) {
            return "what it sends is not gRPC";
        }
        if (description.contains("HTTP status code") || description.contains("invalid content-type")) {
            return "it is an HTTP server, not gRPC: " + firstLine(description);
        }
        return null;
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    private static String cause(Status status) {
        Throwable c = status.getCause();
        while (c != null && c.getCause() != null) {
            c = c.getCause();
        }
        return c != null && c.getMessage() != null ? " (" + c.getMessage() + ")" : "";
    }
}
