package dev.jfind.server.index;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;

/**
 * What each commit records beside the documents, in its user data: the index format, the
 * roots the paths were crawled from, and the last complete crawl. Read at open (and after a
 * writer is replaced); written with every commit.
 *
 * <p>Stateless.
 */
final class CommitData {
    private static final String KEY_FORMAT = "jfind.format";
    private static final String KEY_CRAWL_END = "jfind.last_crawl_end_ms";
    private static final String KEY_CRAWL_MILLIS = "jfind.last_crawl_duration_ms";
    private static final String KEY_ROOTS = "jfind.roots";

    private CommitData() {}

    /**
     * What the last commit recorded; each part null if it recorded none (or there is no
     * commit). The crawl is only taken from a commit of this format.
     *
     * @param roots as {@link #rootsKey}
     */
    record Recorded(String format, String roots, Instant lastCrawlEnd, Duration lastCrawlDuration) {}

    static Recorded read(Directory directory) throws IOException {
        Map<String, String> data = userData(directory);
        String format = data.get(KEY_FORMAT);
        if (data.containsKey(KEY_CRAWL_END) && IndexFields.FORMAT_VERSION.equals(format)) {
            return new Recorded(format, data.get(KEY_ROOTS), Instant.ofEpochMilli(Long.parseLong(data.get(KEY_CRAWL_END))),
                    Duration.ofMillis(Long.parseLong(data.get(KEY_CRAWL_MILLIS))));
        }
        return new Recorded(format, data.get(KEY_ROOTS), null, null);
    }

    /** The format of the last commit, or null if it recorded none (or there is no commit). */
    static String format(Directory directory) throws IOException {
        return userData(directory).get(KEY_FORMAT);
    }

    private static Map<String, String> userData(Directory directory) throws IOException {
        if (!DirectoryReader.indexExists(directory)) {
            return Map.of();
        }
        try (DirectoryReader reader = DirectoryReader.open(directory)) {
            return reader.getIndexCommit().getUserData();
        }
    }

    /** The user data of a commit of this format; {@code roots} and the crawl may be null. */
    static Map<String, String> of(String roots, Instant lastCrawlEnd, Duration lastCrawlDuration) {
        Map<String, String> data = new HashMap<>();
        data.put(KEY_FORMAT, IndexFields.FORMAT_VERSION);
        if (roots != null) {
            data.put(KEY_ROOTS, roots);
        }
        if (lastCrawlEnd != null) {
            data.put(KEY_CRAWL_END, Long.toString(lastCrawlEnd.toEpochMilli()));
            data.put(KEY_CRAWL_MILLIS, Long.toString(lastCrawlDuration.toMillis()));
        }
        return data;
    }

    /** {@code roots} as recorded: the same set of roots gives the same key, in any order. */
    static String rootsKey(List<byte[]> roots) {
        return roots.stream().map(r -> Base64.getEncoder().encodeToString(r)).sorted()
                .collect(Collectors.joining(","));
    }
}
