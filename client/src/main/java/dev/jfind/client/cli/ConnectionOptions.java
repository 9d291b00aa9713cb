package dev.jfind.client.cli;

import dev.jfind.client.JfindClient;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** --socket / --server, shared by every command. */
final class ConnectionOptions {
    @Option(names = "--socket", paramLabel = "PATH",
            description = "The daemon's Unix socket. Default: $JFIND_SOCKET, else the first that exists of"
                    + " $XDG_RUNTIME_DIR/jfind/jfind.sock, ~/.local/state/jfind/jfind.sock, /run/jfind/jfind.sock.")
    Path socket;

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "Connect over TCP instead (the daemon must run with --listen).")
    String server;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "With --server: use TLS, trusting the certificates in this PEM file (the daemon's, or its CA).")
    Path tlsCa;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "With --server: present the access token in this file (its first line); else $JFIND_TOKEN if set.")
    Path tokenFile;

    /** Where to connect: these options if given, else {@code fallback}'s, else the defaults. */
    JfindClient connect(ConnectionOptions fallback, Map<String, String> env) {
        Path sock = socket != null ? socket : fallback != null ? fallback.socket : null;
        String srv = server != null ? server : fallback != null ? fallback.server : null;
        if (sock != null && srv != null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--socket and --server exclude each other");
        }
        if (srv != null) {
            int colon = srv.lastIndexOf(':');
            int port = -1;
            try {
                port = Integer.parseInt(srv.substring(colon + 1));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                // reported below
            }
            if (colon <= 0 || port < 1 || port > 65535) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--server needs HOST:PORT, e.g. 127.0.0.1:7543, not '" + srv + "'");
            }
            String host = srv.substring(0, colon).replace("[", "").replace("]", "");
            Path ca = tlsCa != null ? tlsCa : fallback != null ? fallback.tlsCa : null;
            Path tokens = tokenFile != null ? tokenFile : fallback != null ? fallback.tokenFile : null;
            String token = tokens != null ? firstLine(tokens) : env.get("JFIND_TOKEN");
            if (ca == null && token == null) {
                return JfindClient.connect(host, port);
            }
            return JfindClient.connect(host, port, ca, token);
        }
        return JfindClient.connect(sock != null ? sock : SocketLocator.locate(env));
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(new CommandLine(this), message);
    }

    private String firstLine(Path file) {
        try {
            String line = java.nio.file.Files.readAllLines(file).stream().findFirst().orElse("").trim();
            if (line.isEmpty()) {
                throw usage("--token-file " + file + " is empty");
            }
            return line;
        } catch (java.io.IOException e) {
            throw usage("cannot read --token-file " + file + ": " + e.getMessage());
        }
    }
}
