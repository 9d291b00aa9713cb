package dev.jfind.client;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Resolves the channel target {@link #target()} to a placeholder loopback address at once. The
 * channel's {@link UnixSocketFactory} ignores the address and connects to its socket file,
 * so a real lookup would be wasted work: the default resolver for "localhost" costs a
 * short-lived client some 20 ms (DNS resolver and JNDI classes, an address lookup, proxy
 * detection) before it can connect.
 */
final class UnixSocketResolver extends NameResolverProvider {
    static final String SCHEME = "jfind-unix";
    private static final String TARGET = SCHEME + ":///jfindd";
    /** What okhttp dials; never a real connection: the socket factory replaces it. */
    private static final InetSocketAddress PLACEHOLDER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);

    private static final UnixSocketResolver INSTANCE = new UnixSocketResolver();

    static {
        NameResolverRegistry.getDefaultRegistry().register(INSTANCE);
    }

    private UnixSocketResolver() {}

    /** The channel target for a {@link UnixSocketFactory} channel; resolvable once this class is loaded. */
    static String target() {
        return TARGET;
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return 5; // the scheme is ours alone, so the priority among providers never matters
    }

    @Override
    public String getDefaultScheme() {
        return SCHEME;
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
        return Set.of(InetSocketAddress.class);
    }

    @Override
    public NameResolver newNameResolver(URI target, NameResolver.Args args) {
        if (!SCHEME.equals(target.getScheme())) {
            return null;
        }
        return new NameResolver() {
            @Override
            public String getServiceAuthority() {
                return "jfindd";
            }

            @Override
            public void start(Listener2 listener) {
                listener.onResult(ResolutionResult.newBuilder()
                        .setAddresses(List.of(new EquivalentAddressGroup(PLACEHOLDER)))
                        .build());
            }

            @Override
            public void shutdown() {
                // nothing to release
            }
        };
    }
}
