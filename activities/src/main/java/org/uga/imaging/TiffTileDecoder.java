package org.uga.imaging;

import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes single TIFF tiles (or strips) to raw chunky samples: reads exactly the tile's bytes from the stream
 * and undoes LZW / Deflate / PackBits and horizontal differencing, or decodes JPEG ({@link JpegTiles}).
 * Only what a region needs is ever read.
 */
final class TiffTileDecoder {

    private final Inflater inflater = new Inflater();
    private final JpegTiles jpeg = new JpegTiles();

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
        try {
            in.readFully(data);
        } catch (java.io.EOFException e) {
            throw new IOException(where(dir, tileIndex) + ": its " + count + " bytes at offset " + offset
                    + " run past the end of the file", e);
        }
        if (dir.compression() == TiffDirectory.COMPRESSION_JPEG) {
            jpeg.decode(dir, tileIndex, data, out);
            return out;
        }
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

    /** "tile 7 (column 2, row 1) of TIFF image 0" (or "strip ..."), for error messages. */
    static String where(TiffDirectory dir, int tileIndex) {
        if (!dir.tiled()) {
            return "strip " + tileIndex + " of TIFF image " + dir.index;
        }
        int across = dir.tilesAcross();
        return "tile " + tileIndex + " (column " + tileIndex % across + ", row " + tileIndex / across
                + ") of TIFF image " + dir.index;
    }

    /** Releases the JPEG reader and the inflater. */
    void close() {
        jpeg.close();
        inflater.end();
    }

    /**
     * New-style JPEG tiles (TIFF Technical Note 2, as Aperio SVS writes them). A tile is a JPEG stream that
     * is abbreviated when the directory has JPEGTables: the shared DQT/DHT segments are spliced in front of
     * the tile's own segments, giving one interchange stream for the JDK's libjpeg-based reader.
     *
     * <p>Samples are read as a raster, i.e. without the JPEG reader's colour guessing (JFIF/Adobe markers,
     * component ids), and converted here by the TIFF's PhotometricInterpretation, as libtiff does: YCbCr (6)
     * with libjpeg's integer YCbCr-to-RGB arithmetic, RGB (2, Aperio's "RGB in JPEG", usually with an Adobe
     * transform-0 marker) and gray (1) as stored. libjpeg's warnings (premature end of data, corrupt entropy
     * data) would otherwise give a silently gray or partial tile, so they are errors.
     */
    private static final class JpegTiles {

        private static final int[] CR_R = new int[256];
        private static final int[] CB_B = new int[256];
        private static final int[] CR_G = new int[256];
        private static final int[] CB_G = new int[256];

        static {
            // jdcolor.c (IJG libjpeg 6b, which the JDK bundles): 16-bit fixed point, rounding as there, so a tile
            // decodes to the same RGB as the JDK reader's own conversion of the same stream.
            int half = 1 << 15;
            for (int i = 0; i < 256; i++) {
                int x = i - 128;
                CR_R[i] = (fix(1.40200) * x + half) >> 16;
                CB_B[i] = (fix(1.77200) * x + half) >> 16;
                CR_G[i] = -fix(0.71414) * x;
                CB_G[i] = -fix(0.34414) * x + half;
            }
        }

        private static int fix(double v) {
            return (int) (v * 65536 + 0.5);
        }

        private ImageReader reader;
        private final List<String> warnings = new ArrayList<>();

        void decode(TiffDirectory dir, int tileIndex, byte[] data, byte[] out) throws IOException {
            if (data.length < 4 || (data[0] & 0xff) != 0xFF || (data[1] & 0xff) != 0xD8) {
                throw new IOException(where(dir, tileIndex) + ": not a JPEG stream (no SOI marker; starts with "
                        + hex(data, 4) + ")");
            }
            byte[] stream = withTables(dir, tileIndex, data);
            Raster raster = read(dir, tileIndex, stream);
            int tw = dir.tileWidth();
            int rows = dir.tiled() ? dir.tileHeight() : Math.min(dir.tileHeight(), dir.height() - tileIndex * dir.tileHeight());
            int spp = dir.samplesPerPixel();
            if (raster.getNumBands() != spp) {
                throw new IOException(where(dir, tileIndex) + ": JPEG has " + raster.getNumBands()
                        + " components, the TIFF says " + spp + " samples per pixel");
            }
            if (raster.getWidth() < tw || raster.getHeight() < rows) {
                throw new IOException(where(dir, tileIndex) + ": JPEG is " + raster.getWidth() + "x" + raster.getHeight()
                        + ", the tile is " + tw + "x" + rows);
            }
            boolean ycc = spp == 3 && dir.photometric() == TiffDirectory.PHOTOMETRIC_YCBCR;
            int[] row = new int[tw * spp];
            for (int y = 0; y < rows; y++) {
                raster.getPixels(raster.getMinX(), raster.getMinY() + y, tw, 1, row);
                int o = y * tw * spp;
                if (ycc) {
                    for (int i = 0; i < row.length; i += 3) {
                        int luma = row[i];
                        int cb = row[i + 1];
                        int cr = row[i + 2];
                        out[o + i] = clamp(luma + CR_R[cr]);
                        out[o + i + 1] = clamp(luma + ((CB_G[cb] + CR_G[cr]) >> 16));
                        out[o + i + 2] = clamp(luma + CB_B[cb]);
                    }
                } else {
                    for (int i = 0; i < row.length; i++) {
                        out[o + i] = (byte) row[i];
                    }
                }
            }
        }

        private static byte clamp(int v) {
            return (byte) (v < 0 ? 0 : Math.min(v, 255));
        }

        /** Tables (SOI, DQT/DHT..., without their EOI) followed by the tile without its SOI. */
        private static byte[] withTables(TiffDirectory dir, int tileIndex, byte[] tile) throws IOException {
            byte[] tables = dir.jpegTables();
            if (tables == null) {
                return tile;
            }
            if (tables.length < 4 || (tables[0] & 0xff) != 0xFF || (tables[1] & 0xff) != 0xD8) {
                throw new IOException("JPEGTables of TIFF image " + dir.index + " do not start with an SOI marker ("
                        + hex(tables, 4) + "), needed for " + where(dir, tileIndex));
            }
            int end = tables.length;
            if ((tables[end - 2] & 0xff) == 0xFF && (tables[end - 1] & 0xff) == 0xD9) {
                end -= 2;
            }
            byte[] stream = new byte[end + tile.length - 2];
            System.arraycopy(tables, 0, stream, 0, end);
            System.arraycopy(tile, 2, stream, end, tile.length - 2);
            return stream;
        }

        private Raster read(TiffDirectory dir, int tileIndex, byte[] stream) throws IOException {
            ImageReader r = reader();
            warnings.clear();
            try (ImageInputStream iis = new MemoryCacheImageInputStream(new ByteArrayInputStream(stream))) {
                r.setInput(iis, true, true);
                Raster raster = r.readRaster(0, null);
                r.setInput(null);
                if (!warnings.isEmpty()) {
                    throw new IOException(where(dir, tileIndex) + ": corrupt JPEG data: " + String.join("; ", warnings));
                }
                return raster;
            } catch (IOException | RuntimeException e) {
                // A reader that failed half-way is not reused.
                close();
                if (e instanceof IOException io && io.getMessage() != null && io.getMessage().startsWith(where(dir, tileIndex))) {
                    throw io;
                }
                throw new IOException(where(dir, tileIndex) + ": corrupt JPEG data: " + e.getMessage(), e);
            }
        }

        private ImageReader reader() throws IOException {
            if (reader == null) {
                // The JDK's own reader: readRaster gives the stored components, untouched by colour handling.
                ImageReader chosen = Images.preferredReader(ImageIO.getImageReadersByFormatName("jpeg"), "com.sun.imageio");
                if (chosen == null) {
                    throw new IOException("no JPEG ImageReader available");
                }
                chosen.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                reader = chosen;
            }
            return reader;
        }

        void close() {
            if (reader != null) {
                reader.dispose();
                reader = null;
            }
        }

        private static String hex(byte[] b, int n) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Math.min(n, b.length); i++) {
                sb.append(i == 0 ? "" : " ").append(String.format("%02X", b[i] & 0xff));
            }
            return sb.toString();
        }
    }
}
