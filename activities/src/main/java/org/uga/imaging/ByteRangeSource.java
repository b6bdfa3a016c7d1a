package org.uga.imaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Something that serves byte ranges of one object: an S3 key (ranged GET), a local file, ... */
@FunctionalInterface
public interface ByteRangeSource {

    /** A stream of exactly {@code length} bytes starting at {@code offset}; the caller closes it. */
    InputStream open(long offset, long length) throws IOException;

    /** Ranges of a local file (tests, local slides). */
    static ByteRangeSource ofFile(Path file) {
        return (offset, length) -> {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            ch.position(offset);
            InputStream in = Channels.newInputStream(ch);
            return new java.io.FilterInputStream(in) {
                long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(b, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        };
    }
}
