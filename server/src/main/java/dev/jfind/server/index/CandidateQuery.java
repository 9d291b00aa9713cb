package dev.jfind.server.index;

import dev.jfind.server.match.Narrowing;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * A filter's {@link Narrowing} as a query over listing documents: a literal needs all its
 * trigrams, ALL_OF all parts, ANY_OF one part. Null when nothing narrows (a literal under
 * three bytes, a NOT, an attribute test): then every path is checked.
 *
 * <p>A narrowing with many alternatives (thousands of --any patterns, a long regex
 * alternation, an ext: list) would need more clauses than Lucene allows in one query
 * ({@link IndexSearcher#getMaxClauseCount()}): it is narrowed more coarsely instead, by one
 * trigram per literal (the rarest in the index) in a single set query, still sound.
 */
final class CandidateQuery {
    /** Trigram terms per query at most: more narrow little and each costs a lookup. */
    static final int MAX_TERMS = Trigrams.MAX_QUERY_TRIGRAMS * 3;
    /** Term clauses at most in the exact form; well under Lucene's limit of 1024 per query. */
    static final int MAX_CLAUSES = 256;

    private CandidateQuery() {}

    static Query of(Narrowing narrowing) {
        return of(narrowing, null);
    }

    /** @param reader where to find the rarest trigram when the query must be coarse; null: any trigram */
    static Query of(Narrowing narrowing, IndexReader reader) {
        Query q;
        if (clauses(narrowing) <= MAX_CLAUSES) {
            q = build(narrowing, new int[] {MAX_TERMS});
        } else {
            Set<Integer> grams = coarse(narrowing, new Frequencies(reader));
            q = grams == null || grams.isEmpty() ? null : termSet(grams);
        }
        return q == null ? null : new ConstantScoreQuery(q);
    }

    /** How many term clauses {@link #build} could make at most (its budget only cuts ALL_OFs). */
    private static long clauses(Narrowing n) {
        switch (n.kind()) {
            case LITERAL:
                return Trigrams.required(n.literal()).length;
            case ALL_OF:
            case ANY_OF:
                long sum = 0;
                for (Narrowing part : n.parts()) {
                    sum += clauses(part);
                }
                return sum + 1;
            default:
                return 0;
        }
    }

    /**
     * Trigrams such that every match contains at least one of them: a literal's rarest, the
     * cheapest set among an ALL_OF's parts, the union of an ANY_OF's. Null when none exists.
     */
    private static Set<Integer> coarse(Narrowing n, Frequencies frequency) {
        switch (n.kind()) {
            case LITERAL: {
                int best = -1;
                long bestFreq = Long.MAX_VALUE;
                for (int g : Trigrams.required(n.literal())) {
                    long freq = frequency.of(g);
                    if (freq < bestFreq) {
                        best = g;
                        bestFreq = freq;
                    }
                }
                return best < 0 ? null : Set.of(best);
            }
            case ALL_OF: {
                Set<Integer> best = null;
                long bestCost = Long.MAX_VALUE;
                for (Narrowing part : n.parts()) {
                    Set<Integer> grams = coarse(part, frequency);
                    if (grams != null) {
                        long cost = 0;
                        for (int g : grams) {
                            cost += frequency.of(g);
                        }
                        if (best == null || cost < bestCost) {
                            best = grams;
                            bestCost = cost;
                        }
                    }
                }
                return best;
            }
            case ANY_OF: {
                Set<Integer> all = new HashSet<>();
                for (Narrowing part : n.parts()) {
                    Set<Integer> grams = coarse(part, frequency);
                    if (grams == null) {
                        return null; // that branch can match anywhere
                    }
                    all.addAll(grams);
                }
                return all;
            }
            default:
                return null;
        }
    }

    /**
     * In how many listings each trigram occurs, for choosing the rarest. One terms enum per
     * segment, reused, and each trigram looked up once: thousands of patterns share trigrams,
     * and a fresh lookup per trigram (IndexReader.docFreq) cost seconds for 2,000 patterns.
     * Without a reader every trigram counts 1.
     */
    private static final class Frequencies {
        private final List<TermsEnum> segments = new ArrayList<>();
        private final Map<Integer, Long> known = new HashMap<>();
        private final BytesRef term = new BytesRef(new byte[Trigrams.LENGTH]);

        Frequencies(IndexReader reader) {
            if (reader == null) {
                return;
            }
            try {
                for (LeafReaderContext leaf : reader.leaves()) {
                    Terms terms = leaf.reader().terms(IndexFields.TRIGRAMS);
                    if (terms != null) {
                        segments.add(terms.iterator());
                    }
                }
            } catch (IOException e) {
                segments.clear(); // only a preference between sound choices
            }
        }

        long of(int gram) {
            if (segments.isEmpty()) {
                return 1;
            }
            return known.computeIfAbsent(gram, g -> {
                Trigrams.unpack(g, term.bytes);
                long sum = 0;
                try {
                    for (TermsEnum e : segments) {
                        if (e.seekExact(term)) {
                            sum += e.docFreq();
                        }
                    }
                } catch (IOException ex) {
                    return 1L;
                }
                return sum;
            });
        }
    }

    private static Query termSet(Set<Integer> grams) {
        List<BytesRef> terms = new ArrayList<>(grams.size());
        for (int g : grams) {
            terms.add(new BytesRef(bytes(g)));
        }
        return new TermInSetQuery(IndexFields.TRIGRAMS, terms);
    }

    private static byte[] bytes(int gram) {
        byte[] b = new byte[Trigrams.LENGTH];
        Trigrams.unpack(gram, b);
        return b;
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
