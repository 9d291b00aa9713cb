package dev.jfind.server.index;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tells live queries (Follow) of every path the index takes in or drops, as the writes
 * happen. Costs nothing while nobody listens: writers ask {@link #active()} before building
 * a change. Listeners are called on crawl and update threads, concurrently: they must be
 * quick and thread-safe.
 */
public final class ChangeFeed {
    private final CopyOnWriteArrayList<Consumer<PathChange>> listeners = new CopyOnWriteArrayList<>();

    public void add(Consumer<PathChange> listener) {
        listeners.add(listener);
    }

    public void remove(Consumer<PathChange> listener) {
        listeners.remove(listener);
    }

    boolean active() {
        return !listeners.isEmpty();
    }

    void publish(PathChange change) {
        for (Consumer<PathChange> l : listeners) {
            l.accept(change);
        }
    }
}
