import com.google.protobuf.ByteString;
import dev.jfind.api.v1.SearchRequest;
import dev.jfind.api.v1.SearchResponse;
import dev.jfind.client.JfindClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Change-to-visible latency of jfindd's live updates, measured over gRPC from one warm JVM:
 *
 * <ul>
 *   <li>create {@code --count} files one after another at about {@code --rate} per second;
 *       for each, the time from just before the create(2) call until a search finds it;
 *   <li>delete them the same way, until a search no longer finds each;
 *   <li>a burst: {@code --burst} files created as fast as possible in 50 directories, and
 *       the time until a count finds all of them (then they are removed); meanwhile a
 *       selective search runs every 10 ms, and its latency is compared with a quiet index.
 * </ul>
 *
 * Prints lines {@code phase=... median_ms=... p99_ms=... max_ms=...} and
 * {@code burst_files=N burst_create_s=... burst_visible_s=...}.
 *
 * <pre>
 * java -cp "client/target/jfind-client.jar:client/target/lib/*" bench/LiveLatency.java \
 *     --socket S --dir DIR_INSIDE_THE_INDEXED_TREE [--count 1000] [--rate 100] [--burst 50000]
 * </pre>
 */
public final class LiveLatency {
    private static final long POLL_NANOS = 2_000_000;
    private static final long GIVE_UP_NANOS = 30_000_000_000L;
    /** A selective pattern for the query-latency probe: one file of bench/live.sh's seed tree. */
    private static final String PROBE = "seed/file-42";

    public static void main(String[] args) throws Exception {
        Path socket = null;
        Path dir = null;
        int count = 1000;
        double rate = 100;
        int burst = 50_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--socket" -> socket = Path.of(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--count" -> count = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--burst" -> burst = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (socket == null || dir == null) {
            throw new IllegalArgumentException("--socket and --dir are required");
        }
        Files.createDirectories(dir);
        try (JfindClient jfind = JfindClient.connect(socket)) {
            long spacing = (long) (1e9 / rate);
            String tag = "lat" + Long.toString(System.nanoTime(), 36) + "-";
            print("create", timeEach(jfind, dir, tag, count, spacing, /* create= */ true));
            print("delete", timeEach(jfind, dir, tag, count, spacing, /* create= */ false));
            if (burst > 0) {
                // a selective search before and while the burst is applied: queries must stay fast
                double[] quiet = new double[200];
                for (int i = 0; i < quiet.length; i++) {
                    long q0 = System.nanoTime();
                    count(jfind, PROBE);
                    quiet[i] = (System.nanoTime() - q0) / 1e6;
                }
                java.util.List<Double> during = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
                java.util.concurrent.atomic.AtomicBoolean burstDone = new java.util.concurrent.atomic.AtomicBoolean();
                Thread prober = new Thread(() -> {
                    while (!burstDone.get()) {
                        long q0 = System.nanoTime();
                        count(jfind, PROBE);
                        during.add((System.nanoTime() - q0) / 1e6);
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                String burstTag = "burst" + Long.toString(System.nanoTime(), 36);
                Path root = Files.createDirectories(dir.resolve(burstTag));
                long t0 = System.nanoTime();
                prober.start();
                for (int d = 0; d < 50; d++) {
                    Path sub = Files.createDirectories(root.resolve("d" + d));
                    for (int i = 0; i < burst / 50; i++) {
                        Files.createFile(sub.resolve("f" + i));
                    }
                }
                long created = System.nanoTime();
                long expected = 1 + 50 + (burst / 50) * 50L; // the directory, its 50 subdirectories, the files
                while (count(jfind, burstTag) < expected) {
                    if (System.nanoTime() - t0 > 10 * GIVE_UP_NANOS) {
                        throw new IllegalStateException("burst never became visible");
                    }
                    Thread.sleep(5);
                }
                long visible = System.nanoTime();
                burstDone.set(true);
                prober.join();
                print("query_quiet", quiet);
                print("query_during_burst", during.stream().mapToDouble(Double::doubleValue).toArray());
                System.out.printf(Locale.ROOT, "burst_files=%d burst_create_s=%.2f burst_visible_s=%.2f%n",
                        (burst / 50) * 50, (created - t0) / 1e9, (visible - t0) / 1e9);
                try (var walk = Files.walk(root)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    /**
     * Creates (or deletes) {@code count} files one after another, {@code spacing} apart, and
     * for each returns the milliseconds until searches see the change.
     */
    private static double[] timeEach(JfindClient jfind, Path dir, String tag, int count, long spacing, boolean create)
            throws Exception {
        double[] ms = new double[count];
        for (int i = 0; i < count; i++) {
            long next = System.nanoTime() + spacing;
            Path file = dir.resolve(tag + i + ".tmp");
            long t0 = System.nanoTime();
            if (create) {
                Files.createFile(file);
            } else {
                Files.delete(file);
            }
            ms[i] = waitUntil(jfind, file.getFileName().toString(), create, t0);
            sleepUntil(next);
        }
        return ms;
    }

    /** Milliseconds from t0 until the name is (or is no longer) found. */
    private static double waitUntil(JfindClient jfind, String name, boolean present, long t0) throws Exception {
        while ((count(jfind, name) > 0) != present) {
            if (System.nanoTime() - t0 > GIVE_UP_NANOS) {
                throw new IllegalStateException(name + (present ? " never appeared" : " never disappeared"));
            }
            sleepUntil(System.nanoTime() + POLL_NANOS);
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static long count(JfindClient jfind, String pattern) {
        try (JfindClient.Results results = jfind.search(SearchRequest.newBuilder()
                .addPatterns(ByteString.copyFromUtf8(pattern)).setCountOnly(true).build())) {
            SearchResponse last = null;
            for (SearchResponse r = results.nextBatch(); r != null; r = results.nextBatch()) {
                last = r;
            }
            return last == null ? 0 : last.getTotalCount();
        }
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    private static void print(String phase, double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "phase=%s n=%d median_ms=%.1f p99_ms=%.1f max_ms=%.1f%n", phase, sorted.length,
                sorted[sorted.length / 2], sorted[(int) Math.ceil(sorted.length * 0.99) - 1], sorted[sorted.length - 1]);
    }
}
