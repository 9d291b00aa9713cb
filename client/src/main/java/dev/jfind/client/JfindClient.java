package dev.jfind.client;

import dev.jfind.api.v1.FollowRequest;
import dev.jfind.api.v1.FollowResponse;
import dev.jfind.api.v1.GetStatusRequest;
import dev.jfind.api.v1.GetStatusResponse;
import dev.jfind.api.v1.JfindAdminServiceGrpc;
import dev.jfind.api.v1.JfindServiceGrpc;
import dev.jfind.api.v1.ReloadConfigRequest;
import dev.jfind.api.v1.StartCrawlRequest;
import dev.jfind.api.v1.PathEntry;
import dev.jfind.api.v1.SearchRequest;
import dev.jfind.api.v1.SearchResponse;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.okhttp.OkHttpChannelBuilder;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;

/**
 * A small Java client for jfindd. Connect by Unix socket or TCP address, or hand it a
 * {@link Channel} of your own (in-process in tests, or a channel a program has configured
 * itself); search (results stream in as the daemon finds them; closing the stream cancels the
 * search on the daemon), ask for status. Thread-safe; one instance can serve many calls.
 * Close it when done.
 *
 * <pre>{@code
 * try (JfindClient jfind = JfindClient.connect(Path.of("/run/user/1000/jfind/jfind.sock"));
 *      JfindClient.Results results = jfind.search(SearchRequest.newBuilder()
 *              .addPatterns(ByteString.copyFromUtf8("report")).build())) {
 *     results.forEachRemaining(e -> System.out.println(e.getPath().toStringUtf8()));
 * }
 * }</pre>
 */
public final class JfindClient implements AutoCloseable {
    private final Channel channel;
    /** The channel this client made and must shut down; null when the caller owns it. */
    private final ManagedChannel owned;
    /** The threads of {@link #owned}; null when the caller owns the channel. */
    private final ClientThreads threads;
    private final String target;

    private JfindClient(ManagedChannel channel, ClientThreads threads, String target) {
        this.channel = channel;
        this.owned = channel;
        this.threads = threads;
        this.target = target;
    }

    /**
     * A client that makes its calls on {@code channel}, which the caller keeps owning:
     * {@link #close} leaves it open, and shutting it down is the caller's job.
     */
    public JfindClient(Channel channel) {
        this.channel = channel;
        this.owned = null;
        this.threads = null;
        this.target = channel.authority();
    }

    /** A client for the daemon listening on the Unix socket {@code socket}. */
    public static JfindClient connect(Path socket) {
        ClientThreads threads = new ClientThreads();
        ManagedChannel channel = withThreads(OkHttpChannelBuilder.forTarget(UnixSocketResolver.target()), threads)
                .socketFactory(new UnixSocketFactory(socket))
                .usePlaintext()
                .build();
        return new JfindClient(channel, threads, socket.toString());
    }

    /** A client for the daemon listening on TCP {@code host:port} (plaintext). */
    public static JfindClient connect(String host, int port) {
        ClientThreads threads = new ClientThreads();
        ManagedChannel channel = withThreads(OkHttpChannelBuilder.forAddress(host, port), threads)
                .usePlaintext()
                .build();
        return new JfindClient(channel, threads, host + ":" + port);
    }

    /**
     * Connects over TCP with TLS, trusting the certificates in the PEM file {@code
     * trustedCertificates} (the daemon's certificate or its CA), and, if {@code token} is not
     * null, presenting it so the daemon answers as the user the token stands for.
     */
    public static JfindClient connect(String host, int port, Path trustedCertificates, String token) {
        ClientThreads threads = new ClientThreads();
        OkHttpChannelBuilder builder = withThreads(OkHttpChannelBuilder.forAddress(host, port), threads);
        if (trustedCertificates != null) {
            builder.sslSocketFactory(TrustedCertificates.socketFactory(trustedCertificates));
        } else {
            builder.usePlaintext();
        }
        if (token != null) {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            builder.intercept(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        return new JfindClient(builder.build(), threads, host + ":" + port);
    }

    private static OkHttpChannelBuilder withThreads(OkHttpChannelBuilder builder, ClientThreads threads) {
        return builder.executor(threads.work).transportExecutor(threads.work).scheduledExecutorService(threads.timers);
    }

    /** Where this client connects, for messages. */
    public String target() {
        return target;
    }

    /** The daemon's status; waits at most {@code timeoutMillis}. */
    public GetStatusResponse status(long timeoutMillis) {
        return JfindServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
                .getStatus(GetStatusRequest.getDefaultInstance());
    }

    /**
     * Asks the daemon to start a full crawl now (administrators only: root, the daemon's
     * user, its admin group; others get PERMISSION_DENIED).
     */
    public void startCrawl(long timeoutMillis) {
        startCrawl(/* full= */ false, timeoutMillis);
    }

    /**
     * {@link #startCrawl(long)}; with {@code full}, a crawl that lists every directory again
     * instead of reusing the listings of unchanged ones.
     */
    public void startCrawl(boolean full, long timeoutMillis) {
        JfindAdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
                .startCrawl(StartCrawlRequest.newBuilder().setFull(full).build());
    }

    /** Asks the daemon to read its configuration file again (administrators only); returns what changed. */
    public java.util.List<String> reloadConfig(long timeoutMillis) {
        return JfindAdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
                .reloadConfig(ReloadConfigRequest.getDefaultInstance()).getChangesList();
    }

    /** Starts a search. The caller must close the result (try-with-resources). */
    public Results search(SearchRequest request) {
        Context.CancellableContext context = Context.current().withCancellation();
        return new Results(inContext(context, stub -> stub.search(request)), context);
    }

    /**
     * Starts following a search: the current matches, then changes as they happen, until
     * closed. The caller must close the result (try-with-resources); closing cancels the
     * call on the daemon.
     */
    public Follow follow(FollowRequest request) {
        Context.CancellableContext context = Context.current().withCancellation();
        return new Follow(inContext(context, stub -> stub.follow(request)), context);
    }

    /** Starts a streaming call inside {@code context}, so cancelling the context ends the call. */
    private <T> Iterator<T> inContext(Context.CancellableContext context,
            java.util.function.Function<JfindServiceGrpc.JfindServiceBlockingStub, Iterator<T>> start) {
        Context previous = context.attach();
        try {
            return start.apply(JfindServiceGrpc.newBlockingStub(channel));
        } finally {
            context.detach(previous);
        }
    }

    /**
     * Tries to connect again at once on the next call, instead of after the channel's own
     * back-off (which grows to minutes): for a caller that waits for a restarted daemon.
     */
    public void reconnectNow() {
        if (channel instanceof ManagedChannel managed) {
            managed.resetConnectBackoff();
        }
    }

    /** Ends this client's calls and its own channel; a channel the caller gave stays open. */
    @Override
    public void close() {
        if (owned == null) {
            return;
        }
        owned.shutdownNow();
        try {
            owned.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            threads.close();
        }
    }

    /**
     * A live search: batches of events ({@link FollowResponse}) as the daemon sends them;
     * {@link #nextBatch} blocks until the next one. Throws
     * {@link io.grpc.StatusRuntimeException} if the call fails. Not thread-safe.
     */
    public static final class Follow implements AutoCloseable {
        private final Iterator<FollowResponse> batches;
        private final Context.CancellableContext context;

        private Follow(Iterator<FollowResponse> batches, Context.CancellableContext context) {
            this.batches = batches;
            this.context = context;
        }

        /** The next batch, or null if the daemon ended the call. */
        public FollowResponse nextBatch() {
            return batches.hasNext() ? batches.next() : null;
        }

        /** Ends the call on the daemon. */
        @Override
        public void close() {
            context.cancel(null);
        }
    }

    /**
     * The results of one search, as batches ({@link #nextBatch}) or one entry at a time
     * ({@link #next}); don't mix the two. Blocks while the daemon is still searching.
     * Throws {@link io.grpc.StatusRuntimeException} if the search fails. Not thread-safe.
     */
    public static final class Results implements Iterator<PathEntry>, AutoCloseable {
        private final Iterator<SearchResponse> batches;
        private final Context.CancellableContext context;
        private Iterator<PathEntry> current = java.util.Collections.emptyIterator();
        private long totalCount;
        private boolean indexIncomplete;

        private Results(Iterator<SearchResponse> batches, Context.CancellableContext context) {
            this.batches = batches;
            this.context = context;
        }

        /** The next batch, or null at the end. */
        public SearchResponse nextBatch() {
            if (!batches.hasNext()) {
                return null;
            }
            SearchResponse batch = batches.next();
            totalCount = batch.getTotalCount();
            indexIncomplete |= batch.getIndexIncomplete();
            return batch;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext()) {
                SearchResponse batch = nextBatch();
                if (batch == null) {
                    return false;
                }
                current = batch.getEntriesList().iterator();
            }
            return true;
        }

        @Override
        public PathEntry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }

        /** Matches counted by the daemon so far (all of them once the results are exhausted). */
        public long totalCount() {
            return totalCount;
        }

        /** True if the daemon's first crawl was still running: results may be incomplete. */
        public boolean indexIncomplete() {
            return indexIncomplete;
        }

        /** Cancels the search on the daemon if it is still running. */
        @Override
        public void close() {
            context.cancel(null);
        }
    }
}
