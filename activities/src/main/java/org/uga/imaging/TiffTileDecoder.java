package org.uga.imaging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes single TIFF tiles (or strips) to raw chunky samples: reads exactly the tile's bytes from the stream
 * and undoes LZW / Deflate / PackBits and horizontal differencing. Only what a region needs is ever read.
 */
final class TiffTileDecoder {

    private final Inflater inflater = new Inflater();

    /** Raw samples of one tile, {@code tileWidth * tileHeight * spp * bytesPerSample} bytes in file byte order. */
    byte[] decode(TiffDirectory dir, int tileIndex, ImageInputStream in) throws IOException {
        int spp = dir.samplesPerPixel();
        int bytesPerSample = dir.bitsPerSample() / 8;
        int rowBytes = dir.tileWidth() * spp * bytesPerSample;
        byte[] out = new byte[rowBytes * dir.tileHeight()];
        long offset = dir.offsets()[tileIndex];
        long count = dir.byteCounts()[tileIndex];
        if (count > Integer.MAX_VALUE - 16 || count < 0) {
            throw new IOException("tile " + tileIndex + " of image " + dir.index + " claims " + count + " bytes");
        }
        if (count == 0) {
            return out; // sparse tile: TIFF allows absent tiles, read as zeros
        }
        byte[] data = new byte[(int) count];
        in.seek(offset);
        in.readFully(data);
        switch (dir.compression()) {
            case 1 -> System.arraycopy(data, 0, out, 0, Math.min(data.length, out.length));
            case 5 -> lzw(data, out);
            case 8, 32946 -> inflate(data, out, dir, tileIndex);
            case 32773 -> packBits(data, out);
            default -> throw new IOException("compression " + dir.compression() + " not handled here");
        }
        if (dir.predictor() == 2) {
            for (int r = 0; r < dir.tileHeight(); r++) {
                int base = r * rowBytes;
                for (int i = spp; i < rowBytes; i++) {
                    out[base + i] += out[base + i - spp];
                }
            }
        }
        return out;
    }

    private void inflate(byte[] data, byte[] out, TiffDirectory dir, int tileIndex) throws IOException {
        inflater.reset();
        inflater.setInput(data);
        try {
            int n = 0;
            while (n < out.length && !inflater.finished()) {
                int k = inflater.inflate(out, n, out.length - n);
                if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += k;
            }
        } catch (DataFormatException e) {
            throw new IOException("corrupt Deflate data in tile " + tileIndex + " of image " + dir.index, e);
        }
    }

    private static void packBits(byte[] data, byte[] out) {
        int i = 0;
        int o = 0;
        while (i < data.length && o < out.length) {
            int n = data[i++];
            if (n >= 0) {
                int len = Math.min(n + 1, Math.min(out.length - o, data.length - i));
                System.arraycopy(data, i, out, o, len);
                i += n + 1;
                o += len;
            } else if (n != -128 && i < data.length) {
                int len = Math.min(1 - n, out.length - o);
                java.util.Arrays.fill(out, o, o + len, data[i++]);
                o += len;
            }
        }
    }

    /** TIFF LZW (MSB-first, 9-12 bit codes, early change). Output beyond {@code out} is dropped. */
    static void lzw(byte[] data, byte[] out) throws IOException {
        int[] prefix = new int[4096];
        byte[] suffix = new byte[4096];
        byte[] first = new byte[4096];
        int[] length = new int[4096];
        for (int i = 0; i < 256; i++) {
            suffix[i] = (byte) i;
            first[i] = (byte) i;
            length[i] = 1;
            prefix[i] = -1;
        }
        int next = 258;
        int width = 9;
        int old = -1;
        int o = 0;
        long bits = 0;
        int bitCount = 0;
        int pos = 0;
        while (true) {
            while (bitCount < width && pos < data.length) {
                bits = (bits << 8) | (data[pos++] & 0xff);
                bitCount += 8;
            }
            if (bitCount < width) {
                break; // ran out without EOI: tolerate, as libtiff does
            }
            int code = (int) ((bits >>> (bitCount - width)) & ((1 << width) - 1));
            bitCount -= width;
            if (code == 257) {
                break;
            }
            if (code == 256) {
                next = 258;
                width = 9;
                old = -1;
                continue;
            }
            if (old == -1) {
                if (code > 255) {
                    throw new IOException("corrupt LZW data: code " + code + " right after a clear code");
                }
                o = emit(code, prefix, suffix, length, out, o);
                old = code;
                continue;
            }
            int entry;
            if (code < next) {
                o = emit(code, prefix, suffix, length, out, o);
                entry = addEntry(next, old, first[code], prefix, suffix, first, length);
            } else if (code == next) {
                entry = addEntry(next, old, first[old], prefix, suffix, first, length);
                o = emit(code, prefix, suffix, length, out, o);
            } else {
                throw new IOException("corrupt LZW data: code " + code + " beyond table size " + next);
            }
            next = entry + 1;
            if (next >= (1 << width) - 1 && width < 12) {
                width++;
            }
            old = code;
            if (next >= 4096) {
                throw new IOException("corrupt LZW data: table overflow without clear code");
            }
        }
    }

    private static int addEntry(int next, int old, byte firstOfNew, int[] prefix, byte[] suffix, byte[] first, int[] length) {
        prefix[next] = old;
        suffix[next] = firstOfNew;
        first[next] = first[old];
        length[next] = length[old] + 1;
        return next;
    }

    private static int emit(int code, int[] prefix, byte[] suffix, int[] length, byte[] out, int o) {
        int len = length[code];
        int end = o + len;
        int c = code;
        for (int p = end - 1; p >= o; p--) {
            if (p < out.length) {
                out[p] = suffix[c];
            }
            c = prefix[c];
        }
        return end;
    }

    /** Reads a float from raw tile bytes in the file's byte order. */
    static float floatAt(byte[] raw, int sampleIndex, java.nio.ByteOrder order) {
        return ByteBuffer.wrap(raw, sampleIndex * 4, 4).order(order).getFloat();
    }
}
