package org.uga.store;

import java.io.InputStream;

/** A deterministic pseudo-random byte stream of a given length (xorshift64), so big objects need no big arrays. */
final class GeneratedStream extends InputStream {

    private final long length;
    private long position;
    private long state;

    GeneratedStream(long length, long seed) {
        this.length = length;
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - position);
        for (int i = 0; i < n; i++) {
            // one xorshift step per 8 bytes would be faster, but byte-wise keeps the sequence independent of
            // how callers chunk their reads
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            b[off + i] = (byte) state;
        }
        position += n;
        return n;
    }
}
