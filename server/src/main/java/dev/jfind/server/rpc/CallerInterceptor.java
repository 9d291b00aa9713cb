package dev.jfind.server.rpc;

import dev.jfind.server.access.Caller;
import dev.jfind.server.access.CallerView;
import dev.jfind.server.access.Visibility;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.function.Function;

/**
 * Puts what the caller may see into each call's {@link Context}, where the services find it
 * with {@link #currentView()}; a call whose caller is unknown is refused before it reaches
 * them. Where the caller comes from depends on the listener: the kernel's peer credentials on
 * the Unix socket, nobody in particular on loopback TCP.
 */
public final class CallerInterceptor implements ServerInterceptor {
    private static final Context.Key<CallerView> VIEW = Context.key("jfind.caller-view");

    private final Visibility visibility;
    private final Function<ServerCall<?, ?>, Caller> identify;

    private CallerInterceptor(Visibility visibility, Function<ServerCall<?, ?>, Caller> identify) {
        this.visibility = visibility;
        this.identify = identify;
    }

    /** For the Unix socket: the caller the kernel named when the connection was made. */
    static CallerInterceptor fromPeerCredentials(Visibility visibility) {
        return new CallerInterceptor(visibility, call -> call.getAttributes().get(UnixPeerCredentials.CALLER));
    }

    /** For TCP without credentials: every call is anonymous and sees what everyone may see. */
    static CallerInterceptor anonymous(Visibility visibility) {
        return new CallerInterceptor(visibility, call -> Caller.ANONYMOUS);
    }

    /** Every call made by {@code caller}: for services run in-process (tests, benchmarks). */
    public static CallerInterceptor fixed(Visibility visibility, Caller caller) {
        return new CallerInterceptor(visibility, call -> caller);
    }

    /** What the caller of the current call may see; null outside a call that went through an interceptor. */
    static CallerView currentView() {
        return VIEW.get();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Caller caller = identify.apply(call);
        if (caller == null) {
            call.close(Status.UNAUTHENTICATED.withDescription(
                    "jfindd could not learn from the kernel who is calling, so it answers nothing"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        Context context = Context.current().withValue(VIEW, visibility.of(caller));
        return Contexts.interceptCall(context, call, headers, next);
    }
}
