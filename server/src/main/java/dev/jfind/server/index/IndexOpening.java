package dev.jfind.server.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * Opens the index's files for {@link PathIndex}: a private directory, the write lock, every
 * file's checksum, the format (another format is rebuilt), and an index that cannot be read
 * moved aside for a new one. Hands the writer over; {@link PathIndex} owns it from then on.
 *
 * <p>Stateless.
 */
final class IndexOpening {
    private IndexOpening() {}

    /** The directory and the writer on it, both to be closed by their new owner. */
    record Opened(PrivateFilesDirectory directory, IndexWriter writer) {}

    /** See {@link PathIndex#open}. */
    static Opened open(Path dir) throws IOException {
        PrivateFilesDirectory directory = privateDirectory(dir);
        IndexWriter writer = null;
        try {
            writer = openWriter(directory, dir);
            verify(writer);
        } catch (IndexLockedException e) {
            directory.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            if (writer != null) {
                writer.rollback(); // releases the lock; closing would commit the damage
            }
            if (!IndexDamage.isDamage(e)) {
                directory.close();
                throw e;
            }
            Path aside = IndexDamage.moveAside(dir, directory, e);
            System.err.println("jfindd: the index in " + dir + " is damaged (" + WriteHealth.describe(e)
                    + "); moved it to " + aside + " and starting a new one");
            directory = privateDirectory(dir);
            writer = openWriter(directory, dir);
        }
        directory.narrowExisting(); // write.lock, made by the lock factory, not createOutput
        return new Opened(directory, writer);
    }

    /** {@code dir}, created if needed, mode 0700: the names in it are private. */
    private static PrivateFilesDirectory privateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return PrivateFilesDirectory.open(dir);
    }

    /**
     * Reads every file of the last commit and checks its checksum: a garbled segment would
     * otherwise show only when a search or a merge reaches the damaged bytes.
     */
    private static void verify(IndexWriter writer) throws IOException {
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                leaf.reader().checkIntegrity();
            }
        }
    }

    /**
     * A writer on {@code directory} (the index in {@code dir}, named in errors); an index of
     * another format is emptied, for the first crawl to fill.
     *
     * @throws IndexLockedException if another process has the index open for writing
     */
    static IndexWriter openWriter(PrivateFilesDirectory directory, Path dir) throws IOException {
        IndexWriterConfig config = new IndexWriterConfig()
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(64)
                .setCommitOnClose(true);
        IndexWriter writer;
        try {
            writer = new IndexWriter(directory, config);
        } catch (LockObtainFailedException e) {
            throw new IndexLockedException(dir, e);
        }
        try {
            String format = CommitData.format(directory);
            if (format != null && !format.equals(IndexFields.FORMAT_VERSION)) {
                System.err.println("jfindd: index format " + format + " is not " + IndexFields.FORMAT_VERSION
                        + "; rebuilding it");
                writer.deleteAll();
            }
        } catch (IOException | RuntimeException e) {
            writer.rollback(); // the write lock must not outlive a failed open
            throw e;
        }
        return writer;
    }
}
