package org.uga.imaging;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.stream.ImageInputStream;

/**
 * The few TIFF/BigTIFF directory fields needed to locate and decode tiles (or strips, treated as full-width
 * tiles). Parsed directly from the stream so that opening a slide reads only the IFDs and their offset
 * tables, never pixel data.
 */
final class TiffDirectory {

    static final int NEW_SUBFILE_TYPE = 254;
    static final int IMAGE_WIDTH = 256;
    static final int IMAGE_LENGTH = 257;
    static final int BITS_PER_SAMPLE = 258;
    static final int COMPRESSION = 259;
    static final int PHOTOMETRIC = 262;
    static final int IMAGE_DESCRIPTION = 270;
    static final int STRIP_OFFSETS = 273;
    static final int SAMPLES_PER_PIXEL = 277;
    static final int ROWS_PER_STRIP = 278;
    static final int STRIP_BYTE_COUNTS = 279;
    static final int PLANAR_CONFIGURATION = 284;
    static final int PREDICTOR = 317;
    static final int TILE_WIDTH = 322;
    static final int TILE_LENGTH = 323;
    static final int TILE_OFFSETS = 324;
    static final int TILE_BYTE_COUNTS = 325;
    static final int SAMPLE_FORMAT = 339;
    static final int JPEG_TABLES = 347;

    /** New-style JPEG (TIFF Technical Note 2): each tile/strip is a JPEG stream, tables maybe shared. */
    static final int COMPRESSION_JPEG = 7;
    static final int PHOTOMETRIC_YCBCR = 6;

    private static final Set<Integer> WANTED = Set.of(NEW_SUBFILE_TYPE, IMAGE_WIDTH, IMAGE_LENGTH, BITS_PER_SAMPLE,
            COMPRESSION, PHOTOMETRIC, STRIP_OFFSETS, SAMPLES_PER_PIXEL, ROWS_PER_STRIP, STRIP_BYTE_COUNTS,
            PLANAR_CONFIGURATION, PREDICTOR, TILE_WIDTH, TILE_LENGTH, TILE_OFFSETS, TILE_BYTE_COUNTS, SAMPLE_FORMAT);
    /** Fields kept as bytes (ASCII or UNDEFINED), each read up to {@link #MAX_BYTE_FIELD} bytes. */
    private static final Set<Integer> WANTED_BYTES = Set.of(IMAGE_DESCRIPTION, JPEG_TABLES);
    /** Descriptions beyond this are cut (Aperio's are a few hundred bytes); JPEG tables beyond it are refused. */
    static final int MAX_BYTE_FIELD = 64 * 1024;
    private static final int MAX_DIRECTORIES = 4096;
    private static final long MAX_VALUES = 50_000_000L;

    final int index;
    final ByteOrder order;
    private final Map<Integer, long[]> fields;
    private final Map<Integer, byte[]> byteFields;

    private TiffDirectory(int index, ByteOrder order, Map<Integer, long[]> fields, Map<Integer, byte[]> byteFields) {
        this.index = index;
        this.order = order;
        this.fields = fields;
        this.byteFields = byteFields;
    }

    /** True when the stream starts with a TIFF or BigTIFF header; leaves the position at 0. */
    static boolean isTiff(ImageInputStream in) throws IOException {
        in.seek(0);
        byte[] head = new byte[4];
        int n = in.read(head);
        in.seek(0);
        if (n < 4) {
            return false;
        }
        boolean le = head[0] == 'I' && head[1] == 'I' && (head[2] == 42 || head[2] == 43) && head[3] == 0;
        boolean be = head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43);
        return le || be;
    }

    /** All directories of the main IFD chain, in file order (ImageIO image indices). */
    static List<TiffDirectory> readAll(ImageInputStream in) throws IOException {
        in.seek(0);
        int b0 = in.read();
        ByteOrder order = b0 == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        in.setByteOrder(order);
        in.seek(2);
        int magic = in.readUnsignedShort();
        boolean big = magic == 43;
        long next;
        if (big) {
            int offsetSize = in.readUnsignedShort();
            in.readUnsignedShort();
            if (offsetSize != 8) {
                throw new IOException("BigTIFF with offset size " + offsetSize + " is not supported");
            }
            next = in.readLong();
        } else if (magic == 42) {
            next = in.readUnsignedInt();
        } else {
            throw new IOException("not a TIFF file (magic " + magic + ")");
        }
        List<TiffDirectory> dirs = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        while (next != 0) {
            if (!seen.add(next) || dirs.size() >= MAX_DIRECTORIES) {
                throw new IOException("TIFF directory chain loops or is too long at offset " + next);
            }
            if (next < 8 || next >= in.length() && in.length() >= 0) {
                throw new IOException("TIFF directory offset " + next + " lies outside the file");
            }
            in.seek(next);
            long count = big ? in.readLong() : in.readUnsignedShort();
            if (count > 10_000) {
                throw new IOException("TIFF directory at " + next + " claims " + count + " entries");
            }
            long entriesStart = in.getStreamPosition();
            int entrySize = big ? 20 : 12;
            Map<Integer, long[]> fields = new HashMap<>();
            Map<Integer, byte[]> byteFields = new HashMap<>();
            for (long e = 0; e < count; e++) {
                in.seek(entriesStart + e * entrySize);
                int tag = in.readUnsignedShort();
                int type = in.readUnsignedShort();
                long n = big ? in.readLong() : in.readUnsignedInt();
                if (WANTED_BYTES.contains(tag) && (type == 2 || type == 7 || type == 1) && n > 0) {
                    if (tag == JPEG_TABLES && n > MAX_BYTE_FIELD) {
                        throw new IOException("JPEGTables of TIFF image " + dirs.size() + " claims " + n + " bytes");
                    }
                    long valuePos = n > (big ? 8 : 4) ? (big ? in.readLong() : in.readUnsignedInt()) : in.getStreamPosition();
                    byte[] value = new byte[(int) Math.min(n, MAX_BYTE_FIELD)];
                    in.seek(valuePos);
                    in.readFully(value);
                    byteFields.put(tag, value);
                    continue;
                }
                if (!WANTED.contains(tag)) {
                    continue;
                }
                int size = typeSize(type);
                if (size == 0 || n > MAX_VALUES) {
                    continue;
                }
                long valuePos = in.getStreamPosition();
                if (n * size > (big ? 8 : 4)) {
                    valuePos = big ? in.readLong() : in.readUnsignedInt();
                }
                in.seek(valuePos);
                long[] values = new long[(int) n];
                for (int i = 0; i < n; i++) {
                    values[i] = switch (type) {
                        case 1, 7 -> in.readUnsignedByte();
                        case 3 -> in.readUnsignedShort();
                        case 4, 13 -> in.readUnsignedInt();
                        case 16, 18 -> in.readLong();
                        default -> 0;
                    };
                }
                fields.put(tag, values);
            }
            in.seek(entriesStart + count * entrySize);
            next = big ? in.readLong() : in.readUnsignedInt();
            dirs.add(new TiffDirectory(dirs.size(), order, fields, byteFields));
        }
        return dirs;
    }

    private static int typeSize(int type) {
        return switch (type) {
            case 1, 7 -> 1;
            case 3 -> 2;
            case 4, 13 -> 4;
            case 16, 18 -> 8;
            default -> 0;
        };
    }

    long get(int tag, long def) {
        long[] v = fields.get(tag);
        return v == null || v.length == 0 ? def : v[0];
    }

    long[] array(int tag) {
        return fields.get(tag);
    }

    int width() {
        return (int) get(IMAGE_WIDTH, 0);
    }

    int height() {
        return (int) get(IMAGE_LENGTH, 0);
    }

    boolean tiled() {
        return fields.containsKey(TILE_OFFSETS);
    }

    int tileWidth() {
        return tiled() ? (int) get(TILE_WIDTH, width()) : width();
    }

    int tileHeight() {
        if (tiled()) {
            return (int) get(TILE_LENGTH, height());
        }
        return (int) Math.min(height(), get(ROWS_PER_STRIP, height()));
    }

    long[] offsets() {
        return tiled() ? array(TILE_OFFSETS) : array(STRIP_OFFSETS);
    }

    long[] byteCounts() {
        return tiled() ? array(TILE_BYTE_COUNTS) : array(STRIP_BYTE_COUNTS);
    }

    int tilesAcross() {
        return (width() + tileWidth() - 1) / tileWidth();
    }

    int tilesDown() {
        return (height() + tileHeight() - 1) / tileHeight();
    }

    int samplesPerPixel() {
        return (int) get(SAMPLES_PER_PIXEL, 1);
    }

    int bitsPerSample() {
        return (int) get(BITS_PER_SAMPLE, 1);
    }

    int compression() {
        return (int) get(COMPRESSION, 1);
    }

    int predictor() {
        return (int) get(PREDICTOR, 1);
    }

    int photometric() {
        return (int) get(PHOTOMETRIC, -1);
    }

    int sampleFormat() {
        return (int) get(SAMPLE_FORMAT, 1);
    }

    boolean reducedResolution() {
        return (get(NEW_SUBFILE_TYPE, 0) & 1) != 0;
    }

    /** NewSubfileType bit 2: a transparency mask for another image, never a pyramid level. */
    boolean transparencyMask() {
        return (get(NEW_SUBFILE_TYPE, 0) & 4) != 0;
    }

    /** ImageDescription (ASCII, trailing NULs dropped), or null. */
    String description() {
        byte[] b = byteFields.get(IMAGE_DESCRIPTION);
        if (b == null) {
            return null;
        }
        int n = b.length;
        while (n > 0 && b[n - 1] == 0) {
            n--;
        }
        return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** JPEGTables: the DQT/DHT segments (SOI ... EOI) that abbreviated JPEG tiles of this image share, or null. */
    byte[] jpegTables() {
        return byteFields.get(JPEG_TABLES);
    }

    /**
     * True when {@link TiffTileDecoder} decodes this directory itself: chunky 8-bit gray/RGB(A) or float32
     * gray, uncompressed, LZW, Deflate or PackBits, and new-style JPEG (7) with 8-bit gray, RGB or YCbCr.
     * Anything else (old-style JPEG, 16-bit, planar) goes to ImageIO.
     */
    boolean decodable() {
        int c = compression();
        if (c == COMPRESSION_JPEG) {
            return jpegDecodable();
        }
        boolean codec = c == 1 || c == 5 || c == 8 || c == 32946 || c == 32773;
        boolean layout = get(PLANAR_CONFIGURATION, 1) == 1;
        int spp = samplesPerPixel();
        int bits = bitsPerSample();
        long[] allBits = array(BITS_PER_SAMPLE);
        if (allBits != null) {
            for (long b : allBits) {
                layout &= b == bits;
            }
        }
        boolean bytes = bits == 8 && sampleFormat() == 1 && (spp == 1 || spp == 3 || spp == 4)
                && (photometric() == 1 || photometric() == 2) && (predictor() == 1 || predictor() == 2);
        boolean floats = bits == 32 && sampleFormat() == 3 && spp == 1 && photometric() == 1 && predictor() == 1;
        return codec && layout && (bytes || floats) && tablesComplete() && width() > 0 && height() > 0;
    }

    private boolean jpegDecodable() {
        int spp = samplesPerPixel();
        int photometric = photometric();
        boolean colour = spp == 1 && photometric == 1
                || spp == 3 && (photometric == 2 || photometric == PHOTOMETRIC_YCBCR);
        return colour && bitsPerSample() == 8 && sampleFormat() == 1 && predictor() == 1
                && get(PLANAR_CONFIGURATION, 1) == 1 && tablesComplete() && width() > 0 && height() > 0;
    }

    private boolean tablesComplete() {
        long[] offsets = offsets();
        long[] counts = byteCounts();
        return offsets != null && counts != null && offsets.length >= (long) tilesAcross() * tilesDown()
                && counts.length == offsets.length;
    }
}
