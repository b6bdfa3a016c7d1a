package org.uga.store;

import java.io.IOException;
import java.io.InputStream;

/**
 * The stream {@link S3ObjectStore#get} returns: checks the object's recorded SHA-256 and length when the end is
 * reached, or on close (draining what the reader left, so a partial read cannot skip the check).
 */
final class VerifyingInputStream extends HashingInputStream {

    private final String key;
    private final String expectedSha256;
    private final long expectedLength;
    private boolean verified;
    private boolean closed;

    /**
     * @param expectedSha256 lower-case hex, or null when the object has none recorded (length is still checked)
     * @param expectedLength Content-Length, or -1 when unknown
     */
    VerifyingInputStream(String key, InputStream in, String expectedSha256, long expectedLength) {
        super(in);
        this.key = key;
        this.expectedSha256 = expectedSha256;
        this.expectedLength = expectedLength;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            verify();
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n < 0) {
            verify();
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!verified) {
                byte[] buf = new byte[64 * 1024];
                while (read(buf, 0, buf.length) >= 0) {
                    // draining: read() verifies at the end
                }
            }
        } finally {
            in.close();
        }
    }

    private void verify() {
        if (verified) {
            return;
        }
        verified = true;
        if (expectedLength >= 0 && count() != expectedLength) {
            throw new ChecksumMismatchException(key, expectedLength, count());
        }
        if (expectedSha256 != null) {
            String actual = sha256Hex();
            if (!actual.equalsIgnoreCase(expectedSha256)) {
                throw new ChecksumMismatchException(key, expectedSha256, actual);
            }
        }
    }
}
