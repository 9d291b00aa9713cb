package dev.jfind.server.it;

import dev.jfind.api.v1.SearchRequest;
import dev.jfind.api.v1.SearchResponse;
import dev.jfind.client.JfindClient;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Runs many searches over one connection, as whatever user starts it: MultiUserIT starts it
 * as each test user, so the daemon judges them by their real uid, at the cost of one JVM
 * per user instead of one per search. Reads length-delimited {@link SearchRequest}s from a
 * file and writes, for each, one length-delimited {@link SearchResponse} holding every entry
 * received and the last total_count.
 *
 * <p>Usage: {@code AccessProbe SOCKET REQUESTS_FILE} (responses on stdout).
 */
public final class AccessProbe {
    private AccessProbe() {}

    public static void main(String[] args) throws Exception {
        try (JfindClient client = JfindClient.connect(Path.of(args[0]));
                InputStream in = new BufferedInputStream(new FileInputStream(args[1]));
                OutputStream out = new BufferedOutputStream(System.out)) {
            SearchRequest request;
            while ((request = SearchRequest.parseDelimitedFrom(in)) != null) {
                SearchResponse.Builder all = SearchResponse.newBuilder();
                try (JfindClient.Results results = client.search(request)) {
                    SearchResponse batch;
                    while ((batch = results.nextBatch()) != null) {
                        all.addAllEntries(batch.getEntriesList()).setTotalCount(batch.getTotalCount());
                    }
                }
                all.build().writeDelimitedTo(out);
            }
        }
    }
}
