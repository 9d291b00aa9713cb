package dev.jfind.server.testing;

import dev.jfind.server.index.PathIndex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What an index holds, for comparing with {@link Trees#find}. */
public final class Indexed {
    private Indexed() {}

    /** Every path in {@code index} as searches see it now. */
    public static Set<ByteBuffer> all(PathIndex index) throws IOException {
        Set<ByteBuffer> paths = new HashSet<>();
        index.search(Filters.substrings(List.of(), false), hit -> {
            paths.add(ByteBuffer.wrap(hit.path()));
            return true;
        });
        return paths;
    }
}
