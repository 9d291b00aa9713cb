package dev.jfind.server.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.jfind.server.crawl.Entry;
import dev.jfind.server.crawl.ListingSink;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchingSinkTest {
    @TempDir
    Path tmp;

    @Test
    void passesOnEveryMethodOfTheSink() {
        for (Method m : ListingSink.class.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers())) {
                assertEquals(WatchingSink.class, declaringOverride(m).getDeclaringClass(),
                        "WatchingSink must pass on " + m.getName() + ", or the wrapped sink loses it");
            }
        }
    }

    @Test
    void watchesBeforeTheWrappedSinkSeesTheDirectory() throws Exception {
        List<String> calls = new ArrayList<>();
        List<Entry> reused = List.of();
        ListingSink inner = new ListingSink() {
            @Override
            public void root(Entry root) {}

            @Override
            public void entering(Entry dir) {
                calls.add("entering");
            }

            @Override
            public List<Entry> reuse(Entry dir) {
                return reused;
            }

            @Override
            public List<Entry> listed(Entry dir, List<Entry> children) {
                return children;
            }

            @Override
            public void notListed(Entry dir) {}
        };
        try (DirectoryWatcher watcher = new DirectoryWatcher(Long.MAX_VALUE, 60_000)) {
            WatchingSink sink = new WatchingSink(inner, watcher);
            Entry dir = Entry.indexedDirectory(tmp.toString().getBytes(), tmp);
            sink.entering(dir);
            assertEquals(1, watcher.stats().watchedDirectories());
            assertEquals(List.of("entering"), calls);
            assertSame(reused, sink.reuse(dir));
        }
    }

    private static Method declaringOverride(Method m) {
        try {
            return WatchingSink.class.getMethod(m.getName(), m.getParameterTypes());
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }
}
