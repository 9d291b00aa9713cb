package dev.jfind.server.rpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import dev.jfind.server.access.Caller;
import dev.jfind.server.match.Budget;
import dev.jfind.server.query.InvalidQueryException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * The one place that picks gRPC status codes, and the messages people read with them: each
 * way a call can fail is one method here, so a code is chosen once and the services only say
 * what went wrong. Messages say what to do next where there is something to do.
 *
 * <p>Thread-safe; stateless.
 */
final class Failures {
    private Failures() {}

    /**
     * A request field that is not valid: INVALID_ARGUMENT with a message for people and, for
     * programs, a google.rpc.BadRequest detail naming the request field at fault.
     */
    static StatusRuntimeException badRequest(String field, String message) {
        BadRequest detail = BadRequest.newBuilder()
                .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                        .setField(field)
                        .setDescription(message))
                .build();
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage(message)
                .addDetails(Any.pack(detail))
                .build());
    }

    /** A query that does not parse; its field is named below {@code fieldPrefix} ("search."). */
    static StatusRuntimeException invalidQuery(String fieldPrefix, InvalidQueryException e) {
        return badRequest(fieldPrefix + e.field(), e.getMessage());
    }

    /** A call that no interceptor vouched for: the daemon does not know what it may show. */
    static StatusRuntimeException unknownCaller() {
        return Status.UNAUTHENTICATED.withDescription("jfindd does not know who is calling, so it answers nothing")
                .asRuntimeException();
    }

    /**
     * A caller the interceptor could not identify: over TCP or with a token, the token is
     * wrong; on the Unix socket, the kernel did not say.
     */
    static Status unidentified(boolean byToken) {
        return Status.UNAUTHENTICATED.withDescription(byToken
                ? "jfindd does not know this caller: give a valid token (jfind-client --token-file)"
                : "jfindd could not learn from the kernel who is calling, so it answers nothing");
    }

    /** A caller who may not administer the daemon. */
    static StatusRuntimeException notAdministrator(Caller caller, int adminGroup) {
        return Status.PERMISSION_DENIED.withDescription("only root, the daemon's own user"
                        + (adminGroup >= 0 ? " and members of its admin group (gid " + adminGroup + ")" : "")
                        + " may administer jfindd" + (caller != null && caller.anonymous() ? "; TCP callers never may" : ""))
                .asRuntimeException();
    }

    /** An admin request the daemon cannot carry out in its present state (its message says why). */
    static StatusRuntimeException notNow(IllegalStateException e) {
        return Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
    }

    /** The search pool refused a search: it is shut down, or all its places are taken. */
    static StatusRuntimeException searchRefused(boolean shutDown) {
        return shutDown
                ? Status.UNAVAILABLE.withDescription("jfindd is shutting down").asRuntimeException()
                : Status.RESOURCE_EXHAUSTED.withDescription("jfindd is running as many searches as it"
                        + " allows at once; try again in a moment").asRuntimeException();
    }

    /** The follow pool refused a follow call: {@code max} are running. */
    static StatusRuntimeException tooManyFollows(int max) {
        return Status.RESOURCE_EXHAUSTED.withDescription("jfindd is serving as many follow calls as it"
                + " allows at once (" + max + "); end one and try again").asRuntimeException();
    }

    /** A sorted search without a limit matched more than {@code max} paths. */
    static StatusRuntimeException tooManyToSort(int max) {
        return Status.RESOURCE_EXHAUSTED.withDescription("more than " + max
                + " paths match: too many to sort; add a limit or narrow the search").asRuntimeException();
    }

    /** A search stopped by its work budget. */
    static StatusRuntimeException searchTooCostly(Budget.Exceeded e) {
        return Status.RESOURCE_EXHAUSTED.withDescription("the search did more work than the daemon allows"
                + " one search (" + e.budgetMillis() / 1000.0 + " s); make the pattern more selective"
                + " (a longer literal part) or add a limit").asRuntimeException();
    }

    /** A follow call's listing of the current matches stopped by its work budget. */
    static StatusRuntimeException followListingTooCostly() {
        return Status.RESOURCE_EXHAUSTED.withDescription("listing the current matches did more work than"
                + " the daemon allows one search; make the pattern more selective").asRuntimeException();
    }

    /** A follower that left more than {@code maxQueued} changes unread. */
    static StatusRuntimeException followerFellBehind(int maxQueued) {
        return Status.RESOURCE_EXHAUSTED.withDescription("more than " + maxQueued
                + " changes waited for this client to read them; follow again to catch up").asRuntimeException();
    }

    /** A call's thread interrupted: the daemon is stopping. */
    static StatusRuntimeException shuttingDown() {
        return Status.CANCELLED.withDescription("jfindd is shutting down").asRuntimeException();
    }

    /** Anything else: a fault of the daemon's, named by what failed ("search failed"). */
    static StatusRuntimeException internal(String what, Exception e) {
        return Status.INTERNAL.withDescription(what + ": " + e).asRuntimeException();
    }
}
