package org.uga.imaging;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An {@link javax.imageio.stream.ImageInputStream} over ranged reads of a remote object, with an LRU cache of
 * fixed-size blocks. A TIFF reader seeks to the IFDs and to the tiles it needs, so only those blocks travel:
 * a slide is never downloaded whole. Runs of missing blocks needed by one read are fetched with one request.
 * Counts bytes transferred and requests made, so callers (and tests) can see what a read cost.
 */
public class RangeImageInputStream extends ImageInputStreamImpl {

    public static final int DEFAULT_BLOCK_SIZE = 64 * 1024;
    public static final int DEFAULT_CACHED_BLOCKS = 64;
    /** Upper bound on one coalesced request, so a huge read does not become one enormous GET. */
    private static final int MAX_BLOCKS_PER_REQUEST = 64;

    private final ByteRangeSource source;
    private final long size;
    private final int blockSize;
    private final Map<Long, byte[]> cache;
    private final AtomicLong bytesTransferred = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final int maxRun;

    public RangeImageInputStream(ByteRangeSource source, long size, int blockSize, int cachedBlocks) {
        this.source = Objects.requireNonNull(source, "source");
        if (size < 0) {
            throw new IllegalArgumentException("object size must be >= 0, got " + size);
        }
        if (blockSize < 512) {
            throw new IllegalArgumentException("block size must be >= 512 bytes, got " + blockSize);
        }
        if (cachedBlocks < 2) {
            throw new IllegalArgumentException("need at least 2 cached blocks, got " + cachedBlocks);
        }
        this.size = size;
        this.blockSize = blockSize;
        this.maxRun = Math.min(MAX_BLOCKS_PER_REQUEST, cachedBlocks);
        this.cache = new LinkedHashMap<>(cachedBlocks * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > cachedBlocks;
            }
        };
    }

    public RangeImageInputStream(ByteRangeSource source, long size) {
        this(source, size, DEFAULT_BLOCK_SIZE, DEFAULT_CACHED_BLOCKS);
    }

    /** Bytes fetched from the source so far (cache hits cost nothing). */
    public long bytesTransferred() {
        return bytesTransferred.get();
    }

    /** Ranged requests made so far. */
    public long requests() {
        return requests.get();
    }

    @Override
    public long length() {
        return size;
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        if (streamPos >= size) {
            return -1;
        }
        bitOffset = 0;
        byte[] block = block(streamPos / blockSize, streamPos / blockSize);
        int v = block[(int) (streamPos % blockSize)] & 0xff;
        streamPos++;
        return v;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (streamPos >= size) {
            return -1;
        }
        bitOffset = 0;
        int toRead = (int) Math.min(len, size - streamPos);
        long lastBlock = (streamPos + toRead - 1) / blockSize;
        int done = 0;
        while (done < toRead) {
            long blockIndex = streamPos / blockSize;
            byte[] block = block(blockIndex, lastBlock);
            int inBlock = (int) (streamPos % blockSize);
            int n = Math.min(toRead - done, block.length - inBlock);
            System.arraycopy(block, inBlock, b, off + done, n);
            done += n;
            streamPos += n;
        }
        return done;
    }

    /** The block, fetching it (and the following missing blocks up to {@code lastNeeded}) if absent. */
    private byte[] block(long index, long lastNeeded) throws IOException {
        byte[] cached = cache.get(index);
        if (cached != null) {
            return cached;
        }
        long last = index;
        while (last < lastNeeded && last - index + 1 < maxRun && !cache.containsKey(last + 1)) {
            last++;
        }
        long start = index * blockSize;
        long end = Math.min(size, (last + 1) * blockSize);
        byte[] data;
        try (InputStream in = source.open(start, end - start)) {
            data = in.readNBytes((int) (end - start));
        }
        if (data.length != end - start) {
            throw new EOFException("short ranged read at " + start + ": got " + data.length + " of " + (end - start) + " bytes");
        }
        requests.incrementAndGet();
        bytesTransferred.addAndGet(data.length);
        byte[] first = null;
        for (long i = index; i <= last; i++) {
            int from = (int) ((i - index) * blockSize);
            int to = (int) Math.min(data.length, from + (long) blockSize);
            byte[] block = java.util.Arrays.copyOfRange(data, from, to);
            cache.put(i, block);
            if (i == index) {
                first = block;
            }
        }
        return first;
    }

    @Override
    public void close() throws IOException {
        super.close();
        cache.clear();
    }
}
