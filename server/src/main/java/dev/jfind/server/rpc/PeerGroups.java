package dev.jfind.server.rpc;

import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.unix.UnixChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The supplementary groups of a Unix socket peer, from the kernel: {@code SO_PEERGROUPS}
 * (Linux 4.13+), the groups the peer had when it connected, taken at the same moment as
 * SO_PEERCRED's uid and gid. Unlike {@code /proc/PID/status} it needs no view of the peer's
 * process, so it works under the unit's {@code ProtectProc=invisible}, and no pid can be
 * reused in between.
 *
 * <p>Netty has no accessor for it, but its {@link Socket#getRawOpt} makes the getsockopt
 * call. That method does not return the length the kernel wrote, so the buffer is first
 * filled with gid 4294967295, which the kernel never puts in a group list (it is
 * {@code (gid_t) -1}, refused by setgroups): the list ends at the first such value.
 */
final class PeerGroups {
    private static final int SOL_SOCKET = 1;
    private static final int SO_PEERGROUPS = 59;
    /** Enough for almost everyone; a peer in more groups is asked again with room for all. */
    private static final int USUAL = 64;
    /** NGROUPS_MAX: no process has more supplementary groups. */
    private static final int MOST = 65536;
    private static final int NONE = -1;

    private PeerGroups() {}

    /** The peer's supplementary groups (maybe none), or null if the kernel would not say. */
    static int[] of(Channel channel) {
        if (!(channel instanceof UnixChannel unix) || !(unix.fd() instanceof Socket socket)) {
            return null;
        }
        int[] groups = read(socket, USUAL);
        return groups != null ? groups : read(socket, MOST); // the kernel refuses a buffer too small (ERANGE)
    }

    private static int[] read(Socket socket, int room) {
        byte[] bytes = new byte[room * Integer.BYTES];
        Arrays.fill(bytes, (byte) 0xff);
        try {
            socket.getRawOpt(SOL_SOCKET, SO_PEERGROUPS, ByteBuffer.wrap(bytes));
        } catch (java.io.IOException | RuntimeException e) {
            return null; // ERANGE, or a kernel older than 4.13 (ENOPROTOOPT)
        }
        ByteBuffer gids = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        int n = 0;
        while (n < room && gids.getInt(n * Integer.BYTES) != NONE) {
            n++;
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = gids.getInt(i * Integer.BYTES);
        }
        return out;
    }
}
