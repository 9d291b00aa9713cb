package dev.jfind.server.crawl;

import java.util.List;

/**
 * Receives what a crawl sees, one directory at a time. The crawl calls it from its worker
 * threads, concurrently, but never twice for the same directory in one crawl.
 */
public interface ListingSink {

    /** A crawl root itself, indexed as a path the way {@code find ROOT} lists it. */
    void root(Entry root);

    /** A crawl root does not exist (any more): nothing at or below it may stay indexed. */
    default void rootMissing(byte[] root) {}

    /**
     * {@code dir} is about to be listed. Called before the listing so that whoever watches
     * directories starts watching first: nothing created in between is missed.
     */
    default void entering(Entry dir) {}

    /**
     * Asked before listing {@code dir}: if the sink already holds a listing of it that is
     * still good (the directory's mtime has not changed since), it returns the child
     * directories to enter and the directory is not listed again; null means list it.
     */
    default List<Entry> reuse(Entry dir) {
        return null;
    }

    /**
     * {@code dir} was listed completely; {@code children} are all its entries that pass the
     * exclusion rules. Anything indexed under {@code dir} that is not among them is gone.
     *
     * @return the child directories the crawl must enter next (a full crawl enters all of
     *     them; an update enters only those it did not know)
     */
    List<Entry> listed(Entry dir, List<Entry> children);

    /**
     * {@code dir} is indexed, but nothing below it may be: it could not be read, it was
     * excluded, or it was already visited through another path.
     */
    void notListed(Entry dir);

    /** The child directories of {@code children}: what a full crawl enters. */
    static List<Entry> directories(List<Entry> children) {
        return children.stream().filter(Entry::isDirectory).toList();
    }
}
