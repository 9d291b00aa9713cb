package dev.jfind.server.rpc;

import dev.jfind.server.access.Caller;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The tokens that let a TCP caller act as a user: a file of lines {@code TOKEN USER} (a name
 * or uid; '#' starts a comment). The file must be mode 0600 or stricter, since it holds
 * secrets; each user's uid and groups are looked up once with id(1). Tokens are compared by
 * their SHA-256 in constant time. Immutable.
 */
public final class AccessTokens {
    private final Map<String, Caller> byDigest;

    private AccessTokens(Map<String, Caller> byDigest) {
        this.byDigest = byDigest;
    }

    /** Reads {@code file}; throws IOException naming the file and line for anything wrong. */
    public static AccessTokens read(Path file) throws IOException {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        for (PosixFilePermission p : mode) {
            if (!p.name().startsWith("OWNER")) {
                throw new IOException(file + " holds access tokens but is readable or writable by others (mode "
                        + java.nio.file.attribute.PosixFilePermissions.toString(mode) + "); chmod 600 " + file);
            }
        }
        Map<String, Caller> tokens = new HashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceAll("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 2 || f[0].length() < 16) {
                throw new IOException(file + ":" + (i + 1) + ": expected 'TOKEN USER' with a token of 16 characters"
                        + " or more (e.g. from: openssl rand -hex 32)");
            }
            tokens.put(digest(f[0]), userCaller(f[1], file, i + 1));
        }
        return new AccessTokens(Map.copyOf(tokens));
    }

    /** The caller a token stands for, or null for an unknown token. */
    Caller callerOf(String token) {
        String d = digest(token);
        Caller found = null;
        for (Map.Entry<String, Caller> e : byDigest.entrySet()) {
            if (MessageDigest.isEqual(e.getKey().getBytes(StandardCharsets.US_ASCII), d.getBytes(StandardCharsets.US_ASCII))) {
                found = e.getValue();
            }
        }
        return found;
    }

    private static Caller userCaller(String user, Path file, int line) throws IOException {
        try {
            int uid = Integer.parseInt(id(user, "-u"));
            int gid = Integer.parseInt(id(user, "-g"));
            List<Integer> groups = new ArrayList<>();
            for (String g : id(user, "-G").split("\\s+")) {
                groups.add(Integer.valueOf(g));
            }
            return Caller.user(uid, gid, groups.stream().mapToInt(Integer::intValue).toArray());
        } catch (IOException | NumberFormatException e) {
            throw new IOException(file + ":" + line + ": no user '" + user + "' (" + e.getMessage() + ")");
        }
    }

    private static String id(String user, String what) throws IOException {
        Process p = new ProcessBuilder("id", what, user).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return out;
    }

    private static String digest(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
