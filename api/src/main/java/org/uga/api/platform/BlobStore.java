package org.uga.api.platform;

import java.nio.file.Path;
import java.util.Optional;

/** The object-store operations the API needs; missing keys are empty results, not exceptions. */
public interface BlobStore {

    void put(String key, byte[] data, String contentType);

    /** Streams a file into the store (large uploads never sit in memory). */
    void putFile(String key, Path file, String contentType);

    Optional<byte[]> getIfExists(String key);

    /** Up to {@code length} bytes from {@code offset}; empty when the key does not exist. */
    Optional<byte[]> getRange(String key, long offset, int length);

    boolean exists(String key);

    Optional<Long> size(String key);

    void delete(String key);
}
