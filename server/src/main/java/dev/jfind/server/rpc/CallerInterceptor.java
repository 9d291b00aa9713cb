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
import java.util.function.BiFunction;
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
    private final BiFunction<ServerCall<?, ?>, Metadata, Caller> identify;

    private CallerInterceptor(Visibility visibility, Function<ServerCall<?, ?>, Caller> identify) {
        this(visibility, (call, headers) -> identify.apply(call));
    }

    private CallerInterceptor(Visibility visibility, BiFunction<ServerCall<?, ?>, Metadata, Caller> identify) {
        this.visibility = visibility;
        this.identify = identify;
    }

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /**
     * For TCP: a call carrying {@code authorization: Bearer TOKEN} is made by the user the
     * token file maps the token to; a call with no token is anonymous when {@code
     * anonymousAllowed} (loopback), else refused; an unknown token is refused.
     */
    static CallerInterceptor fromTokens(Visibility visibility, AccessTokens tokens, boolean anonymousAllowed) {
        return new CallerInterceptor(visibility, (call, headers) -> {
            String auth = headers.get(AUTHORIZATION);
            if (auth == null) {
                return anonymousAllowed ? Caller.ANONYMOUS : null;
            }
            return auth.startsWith("Bearer ") ? tokens.callerOf(auth.substring(7).trim()) : null;
        });
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
        Caller caller = identify.apply(call, headers);
        if (caller == null) {
            call.close(Failures.unidentified(headers.containsKey(AUTHORIZATION) || call.getAttributes()
                    .get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR) instanceof java.net.InetSocketAddress), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        Context context = Context.current().withValue(VIEW, visibility.of(caller));
        return Contexts.interceptCall(context, call, headers, next);
    }
}
