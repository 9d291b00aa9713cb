import com.google.protobuf.ByteString;
import dev.jfind.api.v1.SearchRequest;
import dev.jfind.api.v1.SearchResponse;
import dev.jfind.client.JfindClient;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * In-process query latency of jfindd over gRPC: one connection, the same search run again
 * and again, every result consumed (so the figure includes streaming all matches to the
 * client), warm-up runs first. Prints one line:
 *
 * <pre>pattern=P hits=N iterations=I median_ms=X p99_ms=Y min_ms=Z max_ms=W</pre>
 *
 * Run (Java 17, single-file source launch) from the repository root after a build:
 * <pre>
 * java -cp "client/target/jfind-client.jar:client/target/lib/*" bench/QueryLatency.java \
 *     --socket S --pattern P [--warmup 50] [--warmup-seconds 0] [--iterations 200] [--count-only] [--pause-ms 0]
 * </pre>
 *
 * {@code --pause-ms} waits that long before each measured search (bench/access.sh uses it
 * to let the daemon's per-user visibility cache expire between searches).
 *
 * Warm-up runs the search {@code --warmup} times and then keeps going until
 * {@code --warmup-seconds} have passed: both the daemon's and this JVM's JIT need a few
 * thousand calls of the hot code before the figures settle.
 */
public final class QueryLatency {
    public static void main(String[] args) throws Exception {
        Path socket = null;
        String pattern = null;
        int warmup = 50;
        double warmupSeconds = 0;
        int iterations = 200;
        boolean countOnly = false;
        long pauseMillis = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--socket" -> socket = Path.of(value(args, ++i));
                case "--pattern" -> pattern = value(args, ++i);
                case "--warmup" -> warmup = Integer.parseInt(value(args, ++i));
                case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(value(args, ++i));
                case "--iterations" -> iterations = Integer.parseInt(value(args, ++i));
                case "--count-only" -> countOnly = true;
                case "--pause-ms" -> pauseMillis = Long.parseLong(value(args, ++i));
                case "-h", "--help" -> {
                    System.out.println("usage: QueryLatency --socket S --pattern P [--warmup 50] [--warmup-seconds 0] [--iterations 200] [--count-only] [--pause-ms 0]");
                    return;
                }
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (socket == null || pattern == null) {
            usage("--socket and --pattern are required");
        }
        if (warmup < 0 || warmupSeconds < 0 || iterations < 1) {
            usage("--warmup and --warmup-seconds must be >= 0 and --iterations >= 1");
        }
        SearchRequest request = SearchRequest.newBuilder()
                .addPatterns(ByteString.copyFromUtf8(pattern))
                .setCountOnly(countOnly)
                .build();
        long[] nanos = new long[iterations];
        long hits = -1;
        try (JfindClient client = JfindClient.connect(socket)) {
            long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
            for (int i = 0; i < warmup || System.nanoTime() - warmupEnd < 0; i++) {
                run(client, request, countOnly);
            }
            for (int i = 0; i < iterations; i++) {
                Thread.sleep(pauseMillis); // e.g. longer than the daemon's visibility cache keeps a verdict
                long start = System.nanoTime();
                long n = run(client, request, countOnly);
                nanos[i] = System.nanoTime() - start;
                if (hits >= 0 && n != hits) {
                    System.err.println("QueryLatency: hit count changed between runs: " + hits + " then " + n);
                }
                hits = n;
            }
        }
        Arrays.sort(nanos);
        System.out.println(String.format(Locale.ROOT,
                "pattern=%s hits=%d iterations=%d median_ms=%.3f p99_ms=%.3f min_ms=%.3f max_ms=%.3f",
                pattern, hits, iterations, ms(percentile(nanos, 50)), ms(percentile(nanos, 99)),
                ms(nanos[0]), ms(nanos[nanos.length - 1])));
    }

    /** Runs the search to the end; returns the number of matches. */
    private static long run(JfindClient client, SearchRequest request, boolean countOnly) {
        long n = 0;
        try (JfindClient.Results results = client.search(request)) {
            SearchResponse batch;
            long total = 0;
            while ((batch = results.nextBatch()) != null) {
                n += batch.getEntriesCount();
                total = batch.getTotalCount();
            }
            return countOnly ? total : n;
        }
    }

    /** Nearest-rank percentile of sorted values. */
    private static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage("missing value after " + args[i - 1]);
        }
        return args[i];
    }

    private static void usage(String message) {
        System.err.println("QueryLatency: " + message);
        System.err.println("usage: QueryLatency --socket S --pattern P [--warmup 50] [--warmup-seconds 0] [--iterations 200] [--count-only] [--pause-ms 0]");
        System.exit(2);
    }
}
