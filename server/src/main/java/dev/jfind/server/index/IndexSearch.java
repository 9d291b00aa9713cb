package dev.jfind.server.index;

import dev.jfind.server.match.Budget;
import dev.jfind.server.match.PathFilter;
import java.io.IOException;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;

/**
 * One search over a point-in-time searcher that {@link PathIndex} acquired (and releases):
 * narrowing to candidate directories, then the exact check of every candidate path.
 *
 * <p>Stateless; each run uses its own candidate.
 */
final class IndexSearch {
    /**
     * With more than one candidate block per this many documents, one sequential pass over
     * every path is cheaper than visiting the candidate blocks one by one.
     */
    private static final int PATHS_PER_CANDIDATE_BLOCK = 16;

    private IndexSearch() {}

    /** See {@link PathIndex#search(PathFilter, Budget, HitConsumer)}. */
    static void run(IndexSearcher searcher, PathFilter filter, Budget budget, HitConsumer consumer) throws IOException {
        IndexedCandidate candidate = new IndexedCandidate();
        candidate.budget(budget);
        IndexedDocs.Visitor check = doc -> {
            budget.check();
            if (!candidate.on(doc) || !filter.test(candidate)) {
                return true;
            }
            return consumer.accept(new Hit(candidate.path(), candidate.type(), candidate.size(),
                    candidate.mtimeMillis()));
        };
        Query listings = CandidateQuery.of(filter.narrowing(), searcher.getIndexReader());
        int maxListings = searcher.getIndexReader().maxDoc() / PATHS_PER_CANDIDATE_BLOCK;
        if (listings == null || !IndexedDocs.forEachListed(searcher, listings, maxListings, check)) {
            // too short to narrow, or too many candidates: one pass over every path is cheaper
            IndexedDocs.forEach(searcher, IndexFields.allPaths(), check);
        }
    }
}
