package dev.jfind.server.index;

/** Receives search results one by one, on the searching thread. */
@FunctionalInterface
public interface HitConsumer {
    /** @return false to stop the search (limit reached, call cancelled) */
    boolean accept(Hit hit);
}
