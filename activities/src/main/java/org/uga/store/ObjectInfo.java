package org.uga.store;

import java.time.Instant;

/**
 * What the store knows about one object.
 *
 * @param key          the object key
 * @param size         bytes
 * @param sha256       lower-case hex SHA-256 recorded at write time ({@code x-amz-meta-sha256}); null for objects
 *                     written by other tools, and in {@link ObjectStore#list} results (S3 listings carry no metadata)
 * @param contentType  MIME type; null in {@link ObjectStore#list} results
 * @param lastModified when the object was last written
 */
public record ObjectInfo(String key, long size, String sha256, String contentType, Instant lastModified) {
}
