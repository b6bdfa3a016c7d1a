package org.uga.imaging;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * TIFF-flavoured LZW (TIFF 6.0 section 13): MSB-first codes, 9 to 12 bits, Clear = 256, EOI = 257, and the
 * "early change" of code width that libtiff and every TIFF reader expect.
 */
final class TiffLzwEncoder {

    private static final int CLEAR = 256;
    private static final int EOI = 257;
    private static final int FIRST = 258;
    private static final int TABLE_FULL = 4094;

    /** Open-addressing hash from (prefix << 8 | byte) to code; sized well above 4096 entries. */
    private final int[] keys = new int[1 << 14];
    private final short[] codes = new short[1 << 14];

    private ByteArrayOutputStream out;
    private long bitBuffer;
    private int bitCount;
    private int nextCode;
    private int width;

    byte[] encode(byte[] data, int length) {
        out = new ByteArrayOutputStream(Math.max(64, length / 2));
        bitBuffer = 0;
        bitCount = 0;
        reset();
        emit(CLEAR);
        if (length > 0) {
            int prefix = data[0] & 0xff;
            for (int i = 1; i < length; i++) {
                int b = data[i] & 0xff;
                int key = (prefix << 8) | b;
                int code = lookup(key);
                if (code >= 0) {
                    prefix = code;
                    continue;
                }
                emit(prefix);
                add(key);
                prefix = b;
            }
            emit(prefix);
            // The decoder adds one more entry after the last code, so the EOI width must follow it.
            nextCode++;
            adjustWidth();
        }
        emit(EOI);
        if (bitCount > 0) {
            out.write((int) (bitBuffer << (8 - bitCount)) & 0xff);
        }
        return out.toByteArray();
    }

    private void add(int key) {
        insert(key, nextCode);
        nextCode++;
        if (nextCode == TABLE_FULL) {
            emit(CLEAR);
            reset();
        } else {
            adjustWidth();
        }
    }

    private void adjustWidth() {
        if (nextCode == 512) {
            width = 10;
        } else if (nextCode == 1024) {
            width = 11;
        } else if (nextCode == 2048) {
            width = 12;
        }
    }

    private void reset() {
        Arrays.fill(keys, -1);
        nextCode = FIRST;
        width = 9;
    }

    private int slot(int key) {
        return (key * 0x9E3779B1 >>> 18) & (keys.length - 1);
    }

    private int lookup(int key) {
        int s = slot(key);
        while (keys[s] != -1) {
            if (keys[s] == key) {
                return codes[s];
            }
            s = (s + 1) & (keys.length - 1);
        }
        return -1;
    }

    private void insert(int key, int code) {
        int s = slot(key);
        while (keys[s] != -1) {
            s = (s + 1) & (keys.length - 1);
        }
        keys[s] = key;
        codes[s] = (short) code;
    }

    private void emit(int code) {
        bitBuffer = (bitBuffer << width) | code;
        bitCount += width;
        while (bitCount >= 8) {
            out.write((int) (bitBuffer >>> (bitCount - 8)) & 0xff);
            bitCount -= 8;
        }
        bitBuffer &= (1L << bitCount) - 1;
    }
}
