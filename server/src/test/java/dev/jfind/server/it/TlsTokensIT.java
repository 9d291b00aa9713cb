package dev.jfind.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP with TLS and access tokens, on loopback: a caller with a token sees what its user may
 * see, one without is anonymous, a wrong token is refused, and a token file others can read
 * stops the daemon from starting.
 */
class TlsTokensIT {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path tmp;
    private final List<Process> daemons = new ArrayList<>();

    @AfterEach
    void stop() {
        daemons.forEach(Process::destroyForcibly);
    }

    private Path certificate() throws Exception {
        Launched.Result r = Launched.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", tmp.resolve("key.pem").toString(), "-out", tmp.resolve("cert.pem").toString(), "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"), Map.of());
        assumeTrue(r.exit() == 0, "needs openssl to make a certificate: " + r.stderr());
        return tmp.resolve("cert.pem");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process daemon(int port, Path tokens, String log) throws Exception {
        Process p = Launched.daemon(tmp.resolve(log), "--root", tmp.resolve("tree").toString(),
                "--state-dir", tmp.resolve("state").toString(), "--socket", tmp.resolve("run/jfind.sock").toString(),
                "--listen", "127.0.0.1:" + port, "--tls-cert", tmp.resolve("cert.pem").toString(),
                "--tls-key", tmp.resolve("key.pem").toString(), "--token-file", tokens.toString());
        daemons.add(p);
        return p;
    }

    @Test
    void tokensNameTheCallerOverTlsAndAWrongOneIsRefused() throws Exception {
        Path cert = certificate();
        Files.createDirectories(tmp.resolve("tree"));
        Files.createFile(tmp.resolve("tree/secret-report"));
        Path tokens = Files.writeString(tmp.resolve("tokens"), "# token user\n" + TOKEN + " root\n");
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
        int port = freePort();
        daemon(port, tokens, "jfindd.log");
        Launched.awaitReady(Map.of("JFIND_SOCKET", tmp.resolve("run/jfind.sock").toString()));
        String server = "127.0.0.1:" + port;
        Path mine = Files.writeString(tmp.resolve("my-token"), TOKEN + "\n");

        Launched.Result withToken = Launched.client(Map.of(), "--server", server, "--tls-ca", cert.toString(),
                "--token-file", mine.toString(), "secret-report");
        assertEquals(0, withToken.exit(), withToken.stderr());
        assertEquals(tmp.resolve("tree/secret-report") + "\n", withToken.out(), "root's token sees root's paths");

        Launched.Result fromEnv = Launched.client(Map.of("JFIND_TOKEN", TOKEN), "--server", server, "--tls-ca",
                cert.toString(), "secret-report");
        assertEquals(0, fromEnv.exit(), fromEnv.stderr());

        Launched.Result anonymous = Launched.client(Map.of(), "--server", server, "--tls-ca", cert.toString(),
                "secret-report");
        assertEquals(1, anonymous.exit(), "on loopback without a token: anonymous, and the temp tree is private: "
                + anonymous.out() + anonymous.stderr());

        Path wrong = Files.writeString(tmp.resolve("wrong-token"), "ffffffffffffffffffffffffffffffff\n");
        Launched.Result refused = Launched.client(Map.of(), "--server", server, "--tls-ca", cert.toString(),
                "--token-file", wrong.toString(), "secret-report");
        assertEquals(2, refused.exit());
        assertTrue(refused.stderr().contains("valid token"), refused.stderr());

        Launched.Result plaintext = Launched.client(Map.of(), "--server", server, "secret-report");
        assertEquals(2, plaintext.exit(), "a plaintext client gets no answer from a TLS listener");
    }

    @Test
    void aTokenFileOthersCanReadStopsTheStart() throws Exception {
        certificate();
        Files.createDirectories(tmp.resolve("tree"));
        Path tokens = Files.writeString(tmp.resolve("tokens"), TOKEN + " root\n");
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-r--r--"));
        Process p = daemon(freePort(), tokens, "refused.log");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "it exits instead of serving");
        assertTrue(p.exitValue() != 0);
        String log = Files.readString(tmp.resolve("refused.log"));
        assertTrue(log.contains("chmod 600"), log);
    }
}
