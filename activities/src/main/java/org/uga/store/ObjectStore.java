package org.uga.store;

import java.io.InputStream;
import java.util.List;

/**
 * UGA's object storage: slides, tiles, masks, uncertainty maps, checkpoints and JSON records in one bucket, keyed
 * as {@link ObjectKeys} lays out.
 *
 * <p>Integrity: every write records the object's SHA-256 in user metadata ({@code x-amz-meta-sha256}); full reads
 * ({@link #get}, {@link #getBytes}, {@link #getJson}) verify it and throw {@link ChecksumMismatchException} when the
 * stored bytes no longer match. Writes are idempotent: repeating one (an activity retry) leaves the same object.
 *
 * <p>Errors: every failure is a {@link StoreException} (unchecked); a missing key is a {@link NotFoundException};
 * a bad key is an {@link IllegalArgumentException}.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * Streams {@code in} to {@code key} without holding the whole object in memory (at most one upload part), and
     * records its SHA-256. The object appears under {@code key} only once complete.
     *
     * @param size bytes that {@code in} will deliver, or {@code -1} when unknown (multipart upload). A stream that
     *             delivers a different number of bytes than a given size fails the write.
     * @param contentType MIME type, e.g. {@code image/png}; null means {@code application/octet-stream}
     */
    ObjectInfo put(String key, InputStream in, long size, String contentType);

    ObjectInfo putBytes(String key, byte[] data, String contentType);

    /**
     * Stores {@code data} at {@code <prefix>/sha256/<hex of its SHA-256>} and returns that key. If an intact copy
     * is already there nothing is written.
     */
    String putContentAddressed(String prefix, byte[] data, String contentType);

    /** Serialises {@code value} with Jackson (java.time as ISO-8601) as {@code application/json}. */
    ObjectInfo putJson(String key, Object value);

    /** Reads a JSON object written by {@link #putJson}; properties unknown to {@code type} are ignored. */
    <T> T getJson(String key, Class<T> type);

    /**
     * Opens the object for streaming. The SHA-256 is checked when the stream reaches its end or is closed (closing
     * early drains the rest so that the check still happens); a mismatch throws {@link ChecksumMismatchException}.
     * Objects without a recorded SHA-256 (written by other tools) are checked for length only.
     */
    InputStream get(String key);

    /** The whole object, verified. Only for objects that fit in memory (tiles, masks, JSON, checkpoints). */
    byte[] getBytes(String key);

    /** {@code length} bytes from {@code offset} (an HTTP range read). Not verified: the checksum covers the whole. */
    InputStream getRange(String key, long offset, long length);

    ObjectInfo stat(String key);

    boolean exists(String key);

    /**
     * Every object whose key starts with {@code prefix} (recursively), in key order. {@code sha256} and
     * {@code contentType} are null in the results: S3 listings carry no metadata; use {@link #stat} for them.
     */
    List<ObjectInfo> list(String prefix);

    /** Removes the object; removing a missing key is not an error. */
    void delete(String key);

    /** Creates the bucket when it does not exist yet. */
    void ensureBucket();

    /** Releases the HTTP client. */
    @Override
    void close();
}
