package org.uga.imaging;

import org.uga.store.ObjectStore;

/**
 * A {@link RangeImageInputStream} over one object of the {@link ObjectStore}: every block miss is one HTTP range
 * GET ({@link ObjectStore#getRange}), so a slide is read tile by tile and never downloaded whole.
 */
public final class S3RangeImageInputStream extends RangeImageInputStream {

    private final String key;

    public S3RangeImageInputStream(ObjectStore store, String key, long size, int blockSize) {
        super((offset, length) -> store.getRange(key, offset, length), size, blockSize, DEFAULT_CACHED_BLOCKS);
        this.key = key;
    }

    /** Sizes the stream with a HEAD request ({@link ObjectStore#stat}). */
    public static S3RangeImageInputStream open(ObjectStore store, String key) {
        return new S3RangeImageInputStream(store, key, store.stat(key).size(), DEFAULT_BLOCK_SIZE);
    }

    public String key() {
        return key;
    }
}
