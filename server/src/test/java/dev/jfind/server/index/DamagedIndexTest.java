package dev.jfind.server.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfind.server.crawl.CrawlStats;
import dev.jfind.server.crawl.Crawler;
import dev.jfind.server.crawl.Exclusions;
import dev.jfind.server.testing.Trees;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged index (a segment file truncated or garbled, as a bad disk or a careless copy
 * leaves it) is found at start, moved aside and rebuilt by the next crawl: every file of a
 * real index is damaged in turn, both ways.
 */
class DamagedIndexTest {
    @TempDir
    Path tmp;
    private Path root;
    private Path pristine;

    @BeforeEach
    void buildAnIndex() throws Exception {
        root = Files.createDirectories(tmp.resolve("tree"));
        Trees.awkward(root, 300, 20);
        pristine = tmp.resolve("pristine");
        try (PathIndex index = PathIndex.open(pristine)) {
            crawl(index);
        }
    }

    private void crawl(PathIndex index) throws Exception {
        PathIndex.CrawlSession session = index.startCrawl();
        boolean complete = new Crawler(Exclusions.virtualOnly(), 2)
                .crawl(List.of(root), session.sink(), new CrawlStats(), () -> false);
        index.finishCrawl(session, Instant.now(), complete);
    }

    private List<Path> indexFiles() throws IOException {
        try (Stream<Path> files = Files.list(pristine)) {
            return files.filter(f -> !f.getFileName().toString().equals("write.lock")).sorted().toList();
        }
    }

    @Test
    void aTruncatedFileIsMovedAsideAndRebuilt() throws Exception {
        List<Path> files = indexFiles();
        assertTrue(files.size() >= 3, "a real index has a commit point, segment info and data: " + files);
        for (Path file : files) {
            Path copy = copyOfPristine("truncated-" + file.getFileName());
            try (RandomAccessFile f = new RandomAccessFile(copy.resolve("index").resolve(file.getFileName()).toFile(), "rw")) {
                f.setLength(f.length() / 2);
            }
            assertRebuilt(copy, "truncated " + file.getFileName());
        }
    }

    @Test
    void aGarbledFileIsMovedAsideAndRebuilt() throws Exception {
        for (Path file : indexFiles()) {
            Path copy = copyOfPristine("garbled-" + file.getFileName());
            try (RandomAccessFile f = new RandomAccessFile(copy.resolve("index").resolve(file.getFileName()).toFile(), "rw")) {
                // flip bytes in the middle, leaving the header and footer as they were
                long middle = f.length() / 2;
                f.seek(middle);
                int b = f.read();
                f.seek(middle);
                f.write(b ^ 0x5a);
            }
            assertRebuilt(copy, "garbled " + file.getFileName());
        }
    }

    @Test
    void onlyTheLatestDamagedCopyIsKept() throws Exception {
        Path copy = copyOfPristine("twice");
        for (int i = 0; i < 2; i++) {
            Path segments = segmentsFile(copy.resolve("index"));
            Files.write(segments, new byte[] {1, 2, 3});
            try (PathIndex index = PathIndex.open(copy.resolve("index"))) {
                crawl(index);
            }
        }
        assertEquals(1, aside(copy).size(), "a disk that keeps damaging the index cannot fill up with copies");
    }

    private void assertRebuilt(Path copy, String what) throws Exception {
        try (PathIndex index = PathIndex.open(copy.resolve("index"))) {
            IndexFacts facts = index.facts();
            assertEquals(0, facts.paths(), what + ": a new, empty index");
            assertFalse(facts.firstCrawlComplete(), what);
            crawl(index);
            assertEquals(Trees.find(root), PathIndexTest.search(index, false, new byte[0]), what + ": rebuilt");
        }
        assertEquals(1, aside(copy).size(), what + ": the damaged index is kept aside");
        try (PathIndex again = PathIndex.open(copy.resolve("index"))) {
            assertEquals(Trees.find(root).size(), again.facts().paths(), what + ": the rebuilt index opens as it is");
        }
        assertEquals(1, aside(copy).size(), what + ": a sound index is never moved");
    }

    private Path copyOfPristine(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name).resolve("index"));
        for (Path f : indexFiles()) {
            Files.copy(f, dir.resolve(f.getFileName()));
        }
        return dir.getParent();
    }

    private static Path segmentsFile(Path index) throws IOException {
        try (Stream<Path> files = Files.list(index)) {
            return files.filter(f -> f.getFileName().toString().startsWith("segments_")).findFirst().orElseThrow();
        }
    }

    private static List<Path> aside(Path stateDir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(stateDir)) {
            files.filter(f -> f.getFileName().toString().startsWith("index" + IndexDamage.ASIDE_INFIX)).forEach(out::add);
        }
        return out;
    }
}
