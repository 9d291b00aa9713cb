package dev.jfind.server.index;

import dev.jfind.server.crawl.EntryType;

/**
 * One search result.
 *
 * @param path exact path bytes (owned by the receiver)
 */
public record Hit(byte[] path, EntryType type, long size, long mtimeMillis) {}
