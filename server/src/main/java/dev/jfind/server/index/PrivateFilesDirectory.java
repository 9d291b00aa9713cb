package dev.jfind.server.index;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;

/**
 * A Lucene directory whose files only their owner may read (mode 0600), whatever the
 * process's umask: the index holds every path name the daemon can see. The JVM cannot set its
 * umask, so each file is narrowed as Lucene creates it (inside a directory that is already
 * 0700, so nobody else can open it in between). Thread-safe, as Lucene's directories are.
 */
final class PrivateFilesDirectory extends FilterDirectory {
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;

    private PrivateFilesDirectory(FSDirectory in) {
        super(in);
        this.dir = in.getDirectory();
    }

    /** Opens {@code dir} and narrows the files already in it (an index written before this rule). */
    static PrivateFilesDirectory open(Path dir) throws IOException {
        PrivateFilesDirectory directory = new PrivateFilesDirectory(FSDirectory.open(dir));
        directory.narrowExisting();
        return directory;
    }

    /** Narrows every file now in the directory: also those Lucene makes outside createOutput (write.lock). */
    void narrowExisting() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(file, FILE_MODE);
                }
            }
        }
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
        IndexOutput out = super.createOutput(name, context);
        narrow(out);
        return out;
    }

    @Override
    public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
        IndexOutput out = super.createTempOutput(prefix, suffix, context);
        narrow(out);
        return out;
    }

    private void narrow(IndexOutput out) throws IOException {
        try {
            Files.setPosixFilePermissions(dir.resolve(out.getName()), FILE_MODE);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }
}
