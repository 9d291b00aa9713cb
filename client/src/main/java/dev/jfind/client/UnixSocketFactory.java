package dev.jfind.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import javax.net.SocketFactory;

/**
 * Gives grpc-okhttp, which only knows TCP, sockets that are really connections to a Unix
 * domain socket (the JDK's own, since 16): whatever host and port it asks for, the socket
 * connects to {@link #path}. This keeps the client on okhttp, which starts far faster than
 * netty in a short-lived JVM.
 */
final class UnixSocketFactory extends SocketFactory {
    private final Path path;

    UnixSocketFactory(Path path) {
        this.path = path;
    }

    @Override
    public Socket createSocket() throws IOException {
        return new UnixSocket(path);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return new UnixSocket(path);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return new UnixSocket(path);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return new UnixSocket(path);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return new UnixSocket(path);
    }

    /**
     * A connected {@link Socket} over a blocking {@link SocketChannel}. Its streams call the
     * channel directly: the JDK 17 Channels streams share one lock, so a blocked read would
     * block the writer; a SocketChannel itself allows one reader and one writer at a time.
     */
    private static final class UnixSocket extends Socket {
        private final SocketChannel channel;
        private final UnixDomainSocketAddress address;

        UnixSocket(Path path) throws IOException {
            this.address = UnixDomainSocketAddress.of(path);
            this.channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(address);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) {
            // already connected to the Unix socket
        }

        @Override
        public InputStream getInputStream() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) {
                        return 0;
                    }
                    int n = channel.read(ByteBuffer.wrap(b, off, len));
                    return n;
                }

                @Override
                public void close() throws IOException {
                    channel.close();
                }
            };
        }

        @Override
        public OutputStream getOutputStream() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                    while (buf.hasRemaining()) {
                        channel.write(buf);
                    }
                }

                @Override
                public void close() throws IOException {
                    channel.close();
                }
            };
        }

        @Override
        public boolean isConnected() {
            return channel.isConnected();
        }

        @Override
        public boolean isClosed() {
            return !channel.isOpen();
        }

        @Override
        public synchronized void close() throws IOException {
            channel.close();
        }

        @Override
        public void shutdownOutput() throws IOException {
            channel.shutdownOutput();
        }

        @Override
        public void shutdownInput() throws IOException {
            channel.shutdownInput();
        }

        @Override
        public SocketAddress getRemoteSocketAddress() {
            return address;
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return null;
        }

        @Override
        public void setTcpNoDelay(boolean on) {
            // no Nagle on a Unix socket
        }

        @Override
        public void setSoTimeout(int timeout) {
            // gRPC enforces its own deadlines
        }
    }
}
