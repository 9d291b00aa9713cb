package dev.jfind.server.rpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.jfind.api.v1.FileType;
import dev.jfind.api.v1.PathEntry;
import java.time.Instant;

/** Domain values as jfind.v1 messages, for every service and stream in this package. Stateless. */
final class ProtoValues {
    private ProtoValues() {}

    static PathEntry entry(byte[] path, dev.jfind.server.crawl.EntryType type, long size, long mtimeMillis) {
        return PathEntry.newBuilder()
                .setPath(ByteString.copyFrom(path))
                .setType(fileType(type))
                .setSize(size)
                .setModifyTime(timestamp(Instant.ofEpochMilli(mtimeMillis)))
                .build();
    }

    static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    static FileType fileType(dev.jfind.server.crawl.EntryType type) {
        switch (type) {
            case FILE:
                return FileType.FILE_TYPE_FILE;
            case DIRECTORY:
                return FileType.FILE_TYPE_DIRECTORY;
            case SYMLINK:
                return FileType.FILE_TYPE_SYMLINK;
            default:
                return FileType.FILE_TYPE_OTHER;
        }
    }
}
