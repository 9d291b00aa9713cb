package dev.jfind.server.rpc;

import java.nio.file.Path;

/**
 * How the TCP listener is secured: TLS with this certificate and key (PEM, the key in
 * PKCS#8), and callers named by the tokens in {@code tokenFile}. Any part may be null; a
 * listener on a non-loopback address needs all three.
 */
public record TcpSecurity(Path tlsCert, Path tlsKey, Path tokenFile) {
    public static final TcpSecurity NONE = new TcpSecurity(null, null, null);

    boolean tls() {
        return tlsCert != null && tlsKey != null;
    }

    /** Whether a listener on any address may be opened: TLS, and every caller named by a token. */
    boolean complete() {
        return tls() && tokenFile != null;
    }
}
