package dev.jfind.server.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * How the TCP listener is secured: TLS with this certificate and key (PEM, the key in
 * PKCS#8), and callers named by the tokens in {@code tokenFile}. Any part may be null; a
 * listener on a non-loopback address needs all three. Immutable.
 */
public record TcpSecurity(Path tlsCert, Path tlsKey, Path tokenFile) {
    public static final TcpSecurity NONE = new TcpSecurity(null, null, null);

    public boolean tls() {
        return tlsCert != null && tlsKey != null;
    }

    /** Whether a listener on any address may be opened: TLS, and every caller named by a token. */
    public boolean complete() {
        return tls() && tokenFile != null;
    }

    /** Whether {@code listen} is a loopback address, where only this machine's programs reach it. */
    public static boolean loopback(InetSocketAddress listen) {
        return listen.getAddress() != null && listen.getAddress().isLoopbackAddress();
    }

    /**
     * Why TCP may not be served on {@code listen} with this security, or null when it may (or
     * {@code listen} is null: no TCP). The rule: TCP beyond loopback needs TLS and tokens.
     */
    public String refusal(InetSocketAddress listen) {
        if (listen == null || loopback(listen) || complete()) {
            return null;
        }
        return "--listen " + listen.getHostString() + ":" + listen.getPort()
                + " is not a loopback address; jfindd serves TCP beyond loopback only with TLS and"
                + " tokens (--tls-cert, --tls-key, --token-file), since otherwise callers are not authenticated";
    }
}
