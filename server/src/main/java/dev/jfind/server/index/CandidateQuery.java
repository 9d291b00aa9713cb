package dev.jfind.server.index;

import dev.jfind.server.match.Narrowing;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * A filter's {@link Narrowing} as a query over listing documents: a literal needs all its
 * trigrams, ALL_OF all parts, ANY_OF one part. Null when nothing narrows (a literal under
 * three bytes, a NOT, an attribute test): then every path is checked.
 */
final class CandidateQuery {
    /** Trigram terms per query at most: more narrow little and each costs a lookup. */
    static final int MAX_TERMS = Trigrams.MAX_QUERY_TRIGRAMS * 3;

    private CandidateQuery() {}

    static Query of(Narrowing narrowing) {
        Query q = build(narrowing, new int[] {MAX_TERMS});
        return q == null ? null : new ConstantScoreQuery(q);
    }

    /** @param budget trigram terms still allowed; an AND stops adding once it runs out */
    private static Query build(Narrowing n, int[] budget) {
        switch (n.kind()) {
            case LITERAL:
                return literal(n.literal(), budget);
            case ALL_OF: {
                BooleanQuery.Builder all = new BooleanQuery.Builder();
                int added = 0;
                for (Narrowing part : n.parts()) {
                    if (budget[0] <= 0) {
                        break; // enough to narrow; more terms cost more than they save
                    }
                    Query q = build(part, budget);
                    if (q != null) {
                        all.add(q, BooleanClause.Occur.FILTER);
                        added++;
                    }
                }
                return added == 0 ? null : all.build();
            }
            case ANY_OF: {
                List<Query> any = new ArrayList<>();
                for (Narrowing part : n.parts()) {
                    // every branch must narrow, whatever the budget: one that cannot lets anything match
                    Query q = build(part, new int[] {Math.max(budget[0], Trigrams.MAX_QUERY_TRIGRAMS)});
                    if (q == null) {
                        return null;
                    }
                    any.add(q);
                }
                budget[0] -= Trigrams.MAX_QUERY_TRIGRAMS;
                if (any.size() > BooleanQuery.getMaxClauseCount()) {
                    return null;
                }
                BooleanQuery.Builder b = new BooleanQuery.Builder();
                any.forEach(q -> b.add(q, BooleanClause.Occur.SHOULD));
                return b.build();
            }
            default:
                return null;
        }
    }

    private static Query literal(byte[] bytes, int[] budget) {
        TreeSet<Integer> grams = new TreeSet<>();
        for (int g : Trigrams.required(bytes)) {
            grams.add(g);
        }
        if (grams.isEmpty()) {
            return null; // too short to narrow
        }
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        for (int g : grams) {
            if (budget[0]-- <= 0) {
                break;
            }
            byte[] b = new byte[Trigrams.LENGTH];
            Trigrams.unpack(g, b);
            all.add(new TermQuery(new Term(IndexFields.TRIGRAMS, new BytesRef(b))), BooleanClause.Occur.FILTER);
        }
        return all.build();
    }
}
