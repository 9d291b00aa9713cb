import com.google.protobuf.ByteString;
import dev.jfind.api.v1.SearchRequest;
import dev.jfind.api.v1.SearchResponse;
import dev.jfind.client.JfindClient;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load on a running jfindd, from one JVM: {@code --clients} connections each streaming
 * searches of {@code --results} paths (the empty pattern, with a limit) again and again,
 * {@code --stalled} connections that take the first batch of a search of everything and
 * then stop reading (flow control must hold the daemon back, not its heap), and a selective
 * search every 10 ms whose latency is recorded; meanwhile a burst of {@code --burst} files
 * is created in {@code --burst-dir} (50 directories) as fast as possible. Runs until the
 * burst is searchable and every streaming client finished at least {@code --rounds} streams,
 * then for {@code --hold} more seconds with the stalled readers still holding their streams
 * (the caller samples the daemon's memory then; this program prints "holding" on stderr).
 * Prints one JSON line.
 *
 * <pre>
 * java -cp "client/target/jfind-client.jar:client/target/lib/*" bench/LoadTest.java \
 *     --socket S --burst-dir DIR [--clients 32] [--results 200000] [--stalled 8] [--burst 50000] \
 *     [--rounds 1] [--selective quokka] [--hold 10]
 * </pre>
 */
public final class LoadTest {
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new ConcurrentHashMap<>(Map.of("--clients", "32", "--results", "200000",
                "--stalled", "8", "--burst", "50000", "--rounds", "1", "--selective", "quokka", "--hold", "10"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        Path socket = Path.of(opt.get("--socket"));
        Path burstDir = Path.of(opt.get("--burst-dir"));
        int clients = Integer.parseInt(opt.get("--clients"));
        long results = Long.parseLong(opt.get("--results"));
        int stalled = Integer.parseInt(opt.get("--stalled"));
        int burst = Integer.parseInt(opt.get("--burst"));
        int rounds = Integer.parseInt(opt.get("--rounds"));
        int holdSeconds = Integer.parseInt(opt.get("--hold"));
        String selective = opt.get("--selective");

        AtomicBoolean done = new AtomicBoolean();
        AtomicLong streamed = new AtomicLong();
        AtomicLong streams = new AtomicLong();
        AtomicLong shortStreams = new AtomicLong();
        Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
        List<Long> selectiveNanos = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch allRounds = new CountDownLatch(clients);
        List<Thread> threads = new ArrayList<>();
        List<JfindClient> connections = Collections.synchronizedList(new ArrayList<>());

        // Stalled readers: one batch, then nothing; they keep their call open until the end.
        List<JfindClient.Results> held = new ArrayList<>();
        for (int i = 0; i < stalled; i++) {
            JfindClient c = JfindClient.connect(socket);
            connections.add(c);
            JfindClient.Results r = c.search(SearchRequest.newBuilder().addPatterns(ByteString.EMPTY).build());
            r.nextBatch();
            held.add(r);
        }

        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(() -> {
                JfindClient c = JfindClient.connect(socket);
                connections.add(c);
                SearchRequest everything = SearchRequest.newBuilder().addPatterns(ByteString.EMPTY).setLimit(results).build();
                int mine = 0;
                while (!done.get()) {
                    long n = 0;
                    try (JfindClient.Results r = c.search(everything)) {
                        for (SearchResponse b = r.nextBatch(); b != null; b = r.nextBatch()) {
                            n += b.getEntriesCount();
                        }
                    } catch (StatusRuntimeException e) {
                        errors.computeIfAbsent(e.getStatus().getCode().name(), k -> new AtomicLong()).incrementAndGet();
                    }
                    streamed.addAndGet(n);
                    streams.incrementAndGet();
                    if (n < results) {
                        shortStreams.incrementAndGet();
                    }
                    if (++mine == rounds) {
                        allRounds.countDown();
                    }
                }
            }, "stream-" + i);
            threads.add(t);
        }

        Thread probe = new Thread(() -> {
            JfindClient c = JfindClient.connect(socket);
            connections.add(c);
            SearchRequest request = SearchRequest.newBuilder().addPatterns(ByteString.copyFromUtf8(selective)).build();
            while (!done.get()) {
                long start = System.nanoTime();
                try (JfindClient.Results r = c.search(request)) {
                    while (r.nextBatch() != null) {
                        // consume every hit
                    }
                    selectiveNanos.add(System.nanoTime() - start);
                } catch (StatusRuntimeException e) {
                    errors.computeIfAbsent("selective " + e.getStatus().getCode().name(), k -> new AtomicLong())
                            .incrementAndGet();
                }
                sleepMillis(10);
            }
        }, "selective");
        threads.add(probe);
        long started = System.nanoTime();
        threads.forEach(Thread::start);

        long burstStart = System.nanoTime();
        for (int d = 0; d < 50; d++) {
            Files.createDirectories(burstDir.resolve("burst-" + d));
        }
        for (int i = 0; i < burst; i++) {
            Files.createFile(burstDir.resolve("burst-" + (i % 50)).resolve("loadburst-" + i));
        }
        double burstWriteSeconds = (System.nanoTime() - burstStart) / 1e9;
        double burstVisibleSeconds = -1;
        try (JfindClient c = JfindClient.connect(socket)) {
            SearchRequest count = SearchRequest.newBuilder().addPatterns(ByteString.copyFromUtf8("loadburst-"))
                    .setCountOnly(true).build();
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (System.nanoTime() < deadline) {
                long n;
                try (JfindClient.Results r = c.search(count)) {
                    while (r.nextBatch() != null) {
                        // the last batch carries the count
                    }
                    n = r.totalCount();
                }
                if (n == burst) {
                    burstVisibleSeconds = (System.nanoTime() - burstStart) / 1e9;
                    break;
                }
                sleepMillis(50);
            }
        }
        allRounds.await();
        System.err.println("LoadTest: holding " + stalled + " stalled readers for " + holdSeconds + " s");
        sleepMillis(holdSeconds * 1000L);
        done.set(true);
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        held.forEach(JfindClient.Results::close);
        connections.forEach(JfindClient::close);

        long[] lat = selectiveNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        StringBuilder errs = new StringBuilder("{");
        errors.forEach((k, v) -> errs.append(errs.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v.get()));
        errs.append('}');
        System.out.println(String.format(Locale.ROOT,
                "{\"clients\":%d,\"stalled\":%d,\"streams\":%d,\"short_streams\":%d,\"paths_streamed\":%d,"
                        + "\"seconds\":%.1f,\"burst\":%d,\"burst_write_s\":%.2f,\"burst_visible_s\":%.2f,"
                        + "\"selective_queries\":%d,\"selective_p50_ms\":%.2f,\"selective_p99_ms\":%.2f,"
                        + "\"selective_max_ms\":%.2f,\"errors\":%s}",
                clients, stalled, streams.get(), shortStreams.get(), streamed.get(), seconds, burst, burstWriteSeconds,
                burstVisibleSeconds, lat.length, ms(percentile(lat, 50)), ms(percentile(lat, 99)),
                ms(lat.length == 0 ? 0 : lat[lat.length - 1]), errs));
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
