package org.uga.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Writes TIFFs shaped like Aperio SVS files, by hand (header, IFDs, tile data), from given RGB pixels:
 *
 * <ul>
 *   <li>IFD 0: level 0, tiled, Compression 7 (JPEG), ImageDescription "Aperio Image Library ...|AppMag = 40|...
 *       |MPP = 0.25|...";</li>
 *   <li>IFD 1: a stripped JPEG thumbnail with level 0's aspect ratio (so only "untiled" tells it is no level);</li>
 *   <li>IFD 2..: the reduced levels, tiled JPEG (box-averaged from level 0);</li>
 *   <li>then a label (uncompressed RGB, NewSubfileType 1) and a macro photo (JPEG, NewSubfileType 9), stripped,
 *       or (option) tiled with sizes that are reductions of level 0, so only their Aperio description ("label
 *       ..." / "macro ...") tells them apart from levels.</li>
 * </ul>
 *
 * <p>Tiles are encoded by the JDK's JPEG writer at the given quality. {@link Colour#YCBCR}: Photometric 6, the
 * writer's 2x2 chroma subsampling (4:2:0), JFIF APP0 removed (TIFF Technical Note 2 says not to store it);
 * {@link Colour#RGB}: Photometric 2 with an Adobe APP14 transform-0 marker in each tile and no subsampling, as
 * Aperio's "JPEG/RGB" files are. With shared tables the quantisation and Huffman tables (identical for all tiles
 * of one quality) are cut out of every tile into the JPEGTables tag, leaving abbreviated tile streams (SOI, APP14,
 * SOF, SOS, entropy data, EOI), as libtiff writes them. Classic TIFF or BigTIFF, little-endian.
 */
final class AperioStyleTiffFixture {

    /** YCbCr 4:2:0 (Photometric 6), RGB with Adobe APP14 (Photometric 2), or one gray component (the green channel). */
    enum Colour { YCBCR, RGB, GRAY }

    /** Ways to spoil one tile of a level, to test that a reader reports it. */
    enum DamageKind {
        /** The tile's byte count covers only its first half (no EOI, entropy data cut). */
        TRUNCATE,
        /** The tile's bytes are all zero (no SOI). */
        ZERO,
        /** The tile's offset points past the end of the file. */
        OFFSET_PAST_END
    }

    record Damage(int level, int tileIndex, DamageKind kind) {
    }

    record Options(boolean bigTiff, boolean sharedTables, Colour colour, int tileSize, float quality,
                   double micronsPerPixel, int appMag, boolean associatedTiled, Damage damage) {

        static Options of(boolean bigTiff, boolean sharedTables, Colour colour) {
            return new Options(bigTiff, sharedTables, colour, 240, 0.9f, 0.25, 40, false, null);
        }

        Options withTileSize(int size) {
            return new Options(bigTiff, sharedTables, colour, size, quality, micronsPerPixel, appMag, associatedTiled, damage);
        }

        Options withAssociatedTiled() {
            return new Options(bigTiff, sharedTables, colour, tileSize, quality, micronsPerPixel, appMag, true, damage);
        }

        Options withDamage(Damage d) {
            return new Options(bigTiff, sharedTables, colour, tileSize, quality, micronsPerPixel, appMag, associatedTiled, d);
        }

        @Override
        public String toString() {
            return (bigTiff ? "BigTIFF" : "TIFF") + "/" + colour + "/" + (sharedTables ? "JPEGTables" : "complete tiles");
        }
    }

    /**
     * One pyramid level as written: its IFD, size, source pixels (interleaved RGB), the complete JPEG of each tile
     * as the JDK writer produced it (before tables were cut out: an independent reference decode), and where each
     * tile's bytes lie in the file.
     */
    record Level(int ifd, int width, int height, int downsample, byte[] rgb, List<byte[]> referenceJpegs,
                 long[] offsets, long[] byteCounts) {
    }

    record Written(Path file, List<Level> levels, int thumbnailIfd, int labelIfd, int macroIfd, int ifdCount) {
    }

    private AperioStyleTiffFixture() {
    }

    /** Writes level 0 = {@code rgb} and one reduced level per further entry of {@code downsamples}. */
    static Written write(Path file, byte[] rgb, int width, int height, int[] downsamples, Options o) throws IOException {
        if (downsamples.length == 0 || downsamples[0] != 1) {
            throw new IllegalArgumentException("downsamples must start with 1 (level 0), got " + Arrays.toString(downsamples));
        }
        TiffOut out = new TiffOut(o.bigTiff());
        List<Level> levels = new ArrayList<>();
        String header = "Aperio Image Library v12.0.15 \r\n" + width + "x" + height + " [0,0 " + width + "x" + height
                + "] (" + o.tileSize() + "x" + o.tileSize() + ") JPEG/" + (o.colour() == Colour.RGB ? "RGB" : "YCC")
                + " Q=" + Math.round(o.quality() * 100);
        String level0Description = header + "|AppMag = " + o.appMag() + "|StripeWidth = 2040|ScanScope ID = UGA-FIXTURE"
                + "|Filename = fixture|Date = 12/01/26|Time = 10:00:00|User = 00000000-0000-0000-0000-000000000000"
                + "|MPP = " + o.micronsPerPixel() + "|Left = 25.691574|Top = 23.449873|OriginalWidth = " + width
                + "|OriginalHeight = " + height;
        levels.add(writeTiledLevel(out, 0, rgb, width, height, 1, level0Description, 0, o));

        int thumbW = Math.max(1, width / 5);
        int thumbH = Math.max(1, (int) Math.round((double) height * thumbW / width));
        byte[] thumb = resize(rgb, width, height, thumbW, thumbH);
        int thumbnailIfd = out.ifdCount();
        writeStrippedJpeg(out, thumb, thumbW, thumbH, 16, header + " -> " + thumbW + "x" + thumbH + " - ", 0, o);

        for (int i = 1; i < downsamples.length; i++) {
            int d = downsamples[i];
            int lw = (width + d - 1) / d;
            int lh = (height + d - 1) / d;
            levels.add(writeTiledLevel(out, i, boxAverage(rgb, width, height, d), lw, lh, d,
                    header + " -> " + lw + "x" + lh + " JPEG/RGB Q=" + Math.round(o.quality() * 100), 0, o));
        }

        String aperio = "Aperio Image Library v12.0.15 \r\n";
        int labelIfd = out.ifdCount();
        int macroIfd;
        if (o.associatedTiled()) {
            // Sizes that pass as reductions of level 0 (same aspect ratio, tiled): only the description differs.
            int lw = (width + 7) / 8;
            int lh = (height + 7) / 8;
            byte[] label = resize(rgb, width, height, lw, lh);
            writeTiledLevel(out, -1, label, lw, lh, 8, aperio + "label " + lw + "x" + lh, 1, o);
            macroIfd = out.ifdCount();
            int mw = (width + 15) / 16;
            int mh = (height + 15) / 16;
            writeTiledLevel(out, -1, resize(rgb, width, height, mw, mh), mw, mh, 16, aperio + "macro " + mw + "x" + mh, 9, o);
        } else {
            int lw = 120;
            int lh = 100;
            writeStrippedRaw(out, resize(rgb, width, height, lw, lh), lw, lh, aperio + "label " + lw + "x" + lh, 1);
            macroIfd = out.ifdCount();
            int mw = 300;
            int mh = 100;
            writeStrippedJpeg(out, resize(rgb, width, height, mw, mh), mw, mh, mh, aperio + "macro " + mw + "x" + mh, 9, o);
        }
        Files.write(file, out.bytes());
        return new Written(file, levels, thumbnailIfd, labelIfd, macroIfd, out.ifdCount());
    }

    /** A single stripped JPEG image (strips of {@code rowsPerStrip} rows, the last one shorter). */
    static Level writeStripped(Path file, byte[] rgb, int width, int height, int rowsPerStrip, Options o) throws IOException {
        TiffOut out = new TiffOut(o.bigTiff());
        Level level = writeStrippedJpeg(out, rgb, width, height, rowsPerStrip, "stripped JPEG", 0, o);
        Files.write(file, out.bytes());
        return level;
    }

    // --- images -------------------------------------------------------------------------------------------------

    private static Level writeTiledLevel(TiffOut out, int levelIndex, byte[] rgb, int width, int height, int downsample,
                                         String description, int subfileType, Options o) throws IOException {
        int ts = o.tileSize();
        int across = (width + ts - 1) / ts;
        int down = (height + ts - 1) / ts;
        List<byte[]> reference = new ArrayList<>();
        List<byte[]> stored = new ArrayList<>();
        byte[] tables = null;
        for (int ty = 0; ty < down; ty++) {
            for (int tx = 0; tx < across; tx++) {
                byte[] jpeg = encode(paddedTile(rgb, width, height, tx * ts, ty * ts, ts, ts, o.colour()), o);
                reference.add(jpeg);
                Split split = split(jpeg, o.sharedTables());
                if (o.sharedTables()) {
                    if (tables == null) {
                        tables = split.tables();
                    } else if (!Arrays.equals(tables, split.tables())) {
                        throw new IllegalStateException("JPEG writer used different tables for tile " + tx + "," + ty);
                    }
                }
                stored.add(split.tile());
            }
        }
        int ifd = out.ifdCount();
        long[][] placed = out.writeChunks(stored, o.damage() != null && o.damage().level() == levelIndex ? o.damage() : null);
        List<Entry> e = imageEntries(width, height, description, subfileType, o.colour(), tables);
        e.add(Entry.longs(TiffDirectory.TILE_WIDTH, ts));
        e.add(Entry.longs(TiffDirectory.TILE_LENGTH, ts));
        e.add(out.offsets(TiffDirectory.TILE_OFFSETS, placed[0]));
        e.add(out.offsets(TiffDirectory.TILE_BYTE_COUNTS, placed[1]));
        out.writeIfd(e);
        return new Level(ifd, width, height, downsample, rgb, reference, placed[0], placed[1]);
    }

    private static Level writeStrippedJpeg(TiffOut out, byte[] rgb, int width, int height, int rowsPerStrip,
                                           String description, int subfileType, Options o) throws IOException {
        List<byte[]> reference = new ArrayList<>();
        List<byte[]> stored = new ArrayList<>();
        byte[] tables = null;
        for (int y = 0; y < height; y += rowsPerStrip) {
            int rows = Math.min(rowsPerStrip, height - y);
            byte[] jpeg = encode(paddedTile(rgb, width, height, 0, y, width, rows, o.colour()), o);
            reference.add(jpeg);
            Split split = split(jpeg, o.sharedTables());
            tables = split.tables() == null ? tables : split.tables();
            stored.add(split.tile());
        }
        int ifd = out.ifdCount();
        long[][] placed = out.writeChunks(stored, null);
        List<Entry> e = imageEntries(width, height, description, subfileType, o.colour(), tables);
        e.add(out.offsets(TiffDirectory.STRIP_OFFSETS, placed[0]));
        e.add(Entry.longs(TiffDirectory.ROWS_PER_STRIP, rowsPerStrip));
        e.add(out.offsets(TiffDirectory.STRIP_BYTE_COUNTS, placed[1]));
        out.writeIfd(e);
        return new Level(ifd, width, height, 1, rgb, reference, placed[0], placed[1]);
    }

    private static void writeStrippedRaw(TiffOut out, byte[] rgb, int width, int height, String description,
                                         int subfileType) throws IOException {
        long[][] placed = out.writeChunks(List.of(rgb), null);
        List<Entry> e = new ArrayList<>();
        e.add(Entry.longs(TiffDirectory.NEW_SUBFILE_TYPE, subfileType));
        e.add(Entry.longs(TiffDirectory.IMAGE_WIDTH, width));
        e.add(Entry.longs(TiffDirectory.IMAGE_LENGTH, height));
        e.add(Entry.shorts(TiffDirectory.BITS_PER_SAMPLE, 8, 8, 8));
        e.add(Entry.shorts(TiffDirectory.COMPRESSION, 1));
        e.add(Entry.shorts(TiffDirectory.PHOTOMETRIC, 2));
        e.add(Entry.ascii(TiffDirectory.IMAGE_DESCRIPTION, description));
        e.add(Entry.shorts(TiffDirectory.SAMPLES_PER_PIXEL, 3));
        e.add(Entry.shorts(TiffDirectory.PLANAR_CONFIGURATION, 1));
        e.add(out.offsets(TiffDirectory.STRIP_OFFSETS, placed[0]));
        e.add(Entry.longs(TiffDirectory.ROWS_PER_STRIP, height));
        e.add(out.offsets(TiffDirectory.STRIP_BYTE_COUNTS, placed[1]));
        out.writeIfd(e);
    }

    private static List<Entry> imageEntries(int width, int height, String description, int subfileType, Colour colour,
                                            byte[] tables) {
        List<Entry> e = new ArrayList<>();
        e.add(Entry.longs(TiffDirectory.NEW_SUBFILE_TYPE, subfileType));
        e.add(Entry.longs(TiffDirectory.IMAGE_WIDTH, width));
        e.add(Entry.longs(TiffDirectory.IMAGE_LENGTH, height));
        boolean gray = colour == Colour.GRAY;
        e.add(gray ? Entry.shorts(TiffDirectory.BITS_PER_SAMPLE, 8) : Entry.shorts(TiffDirectory.BITS_PER_SAMPLE, 8, 8, 8));
        e.add(Entry.shorts(TiffDirectory.COMPRESSION, TiffDirectory.COMPRESSION_JPEG));
        e.add(Entry.shorts(TiffDirectory.PHOTOMETRIC, switch (colour) {
            case RGB -> 2;
            case YCBCR -> TiffDirectory.PHOTOMETRIC_YCBCR;
            case GRAY -> 1;
        }));
        e.add(Entry.ascii(TiffDirectory.IMAGE_DESCRIPTION, description));
        e.add(Entry.shorts(TiffDirectory.SAMPLES_PER_PIXEL, gray ? 1 : 3));
        e.add(Entry.shorts(TiffDirectory.PLANAR_CONFIGURATION, 1));
        if (tables != null) {
            e.add(new Entry(TiffDirectory.JPEG_TABLES, TiffOut.UNDEFINED, tables.length, tables));
        }
        if (colour == Colour.YCBCR) {
            e.add(Entry.shorts(530, 2, 2)); // YCbCrSubSampling: what the JDK writer's default 4:2:0 is
        }
        return e;
    }

    // --- JPEG ---------------------------------------------------------------------------------------------------

    /** One complete JPEG (with tables) of the image, as the JDK writer makes it; JFIF APP0 kept (reference). */
    static byte[] encode(BufferedImage image, Options o) throws IOException {
        ImageWriter writer = jdkJpegWriter();
        try {
            JPEGImageWriteParam param = new JPEGImageWriteParam(null);
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(o.quality());
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            if (o.colour() == Colour.RGB) {
                // Adobe APP14 transform 0 = components stored as RGB; no JFIF; no subsampling.
                String format = "javax_imageio_jpeg_image_1.0";
                Element tree = (Element) metadata.getAsTree(format);
                Node variety = tree.getElementsByTagName("JPEGvariety").item(0);
                while (variety.hasChildNodes()) {
                    variety.removeChild(variety.getFirstChild());
                }
                Element sequence = (Element) tree.getElementsByTagName("markerSequence").item(0);
                IIOMetadataNode adobe = new IIOMetadataNode("app14Adobe");
                adobe.setAttribute("transform", "0");
                sequence.insertBefore(adobe, sequence.getFirstChild());
                NodeList components = tree.getElementsByTagName("componentSpec");
                for (int i = 0; i < components.getLength(); i++) {
                    ((Element) components.item(i)).setAttribute("HsamplingFactor", "1");
                    ((Element) components.item(i)).setAttribute("VsamplingFactor", "1");
                }
                metadata.setFromTree(format, tree);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(ios);
                writer.write(null, new IIOImage(image, null, metadata), param);
            }
            return bytes.toByteArray();
        } finally {
            writer.dispose();
        }
    }

    /** The JDK's JPEG writer (not a plugin that may also be on the class path). */
    static ImageWriter jdkJpegWriter() {
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio")) {
                return w;
            }
            w.dispose();
        }
        throw new IllegalStateException("the JDK JPEG writer is not available");
    }

    /** A tile's stored stream and (shared mode) the tables cut out of it. */
    record Split(byte[] tile, byte[] tables) {
    }

    /**
     * Walks the marker segments up to SOS: JFIF APP0 is dropped; in shared mode DQT and DHT go to the tables
     * stream (SOI, tables, EOI) and the tile keeps the rest (SOI, APP14, SOF, SOS, entropy data, EOI).
     */
    static Split split(byte[] jpeg, boolean sharedTables) {
        if ((jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != 0xD8) {
            throw new IllegalArgumentException("not a JPEG stream");
        }
        ByteArrayOutputStream tile = new ByteArrayOutputStream();
        ByteArrayOutputStream tables = new ByteArrayOutputStream();
        tile.write(0xFF);
        tile.write(0xD8);
        tables.write(0xFF);
        tables.write(0xD8);
        int p = 2;
        while (true) {
            if ((jpeg[p] & 0xff) != 0xFF) {
                throw new IllegalStateException("expected a marker at byte " + p);
            }
            int marker = jpeg[p + 1] & 0xff;
            if (marker == 0xDA) {
                tile.write(jpeg, p, jpeg.length - p); // SOS, entropy-coded data and EOI
                break;
            }
            int length = ((jpeg[p + 2] & 0xff) << 8) | (jpeg[p + 3] & 0xff);
            boolean table = marker == 0xDB || marker == 0xC4;
            if (marker == 0xE0) {
                // JFIF: not stored in TIFF tiles
            } else if (table && sharedTables) {
                tables.write(jpeg, p, 2 + length);
            } else {
                tile.write(jpeg, p, 2 + length);
            }
            p += 2 + length;
        }
        tables.write(0xFF);
        tables.write(0xD9);
        return new Split(tile.toByteArray(), sharedTables ? tables.toByteArray() : null);
    }

    // --- pixels -------------------------------------------------------------------------------------------------

    /**
     * A {@code w x h} BGR image (gray: the green channel) of the region at (x0, y0), edge pixels repeated where it
     * passes the image.
     */
    static BufferedImage paddedTile(byte[] rgb, int width, int height, int x0, int y0, int w, int h, Colour colour) {
        boolean gray = colour == Colour.GRAY;
        BufferedImage img = new BufferedImage(w, h, gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        byte[] pixels = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            int sy = Math.min(y0 + y, height - 1);
            for (int x = 0; x < w; x++) {
                int sx = Math.min(x0 + x, width - 1);
                int s = (sy * width + sx) * 3;
                if (gray) {
                    pixels[y * w + x] = rgb[s + 1];
                    continue;
                }
                int d = (y * w + x) * 3;
                pixels[d] = rgb[s + 2];
                pixels[d + 1] = rgb[s + 1];
                pixels[d + 2] = rgb[s];
            }
        }
        return img;
    }

    /** Mean of each {@code d x d} block (fewer pixels at the right/bottom edge), rounded half up. */
    static byte[] boxAverage(byte[] rgb, int width, int height, int d) {
        int w = (width + d - 1) / d;
        int h = (height + d - 1) / d;
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] sum = new int[3];
                int n = 0;
                for (int yy = y * d; yy < Math.min(height, (y + 1) * d); yy++) {
                    for (int xx = x * d; xx < Math.min(width, (x + 1) * d); xx++) {
                        for (int c = 0; c < 3; c++) {
                            sum[c] += rgb[(yy * width + xx) * 3 + c] & 0xff;
                        }
                        n++;
                    }
                }
                for (int c = 0; c < 3; c++) {
                    out[(y * w + x) * 3 + c] = (byte) ((2 * sum[c] + n) / (2 * n));
                }
            }
        }
        return out;
    }

    /** Nearest-neighbour resize (thumbnails, label and macro stand-ins). */
    static byte[] resize(byte[] rgb, int width, int height, int w, int h) {
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            int sy = (int) ((long) y * height / h);
            for (int x = 0; x < w; x++) {
                int sx = (int) ((long) x * width / w);
                System.arraycopy(rgb, (sy * width + sx) * 3, out, (y * w + x) * 3, 3);
            }
        }
        return out;
    }

    // --- TIFF structure -----------------------------------------------------------------------------------------

    /** One IFD entry; {@code value} holds count values already encoded little-endian. */
    record Entry(int tag, int type, long count, byte[] value) {

        static Entry shorts(int tag, int... values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int v : values) {
                b.putShort((short) v);
            }
            return new Entry(tag, TiffOut.SHORT, values.length, b.array());
        }

        static Entry longs(int tag, long... values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (long v : values) {
                b.putInt((int) v);
            }
            return new Entry(tag, TiffOut.LONG, values.length, b.array());
        }

        static Entry ascii(int tag, String s) {
            byte[] chars = s.getBytes(StandardCharsets.ISO_8859_1);
            byte[] z = Arrays.copyOf(chars, chars.length + 1); // NUL-terminated
            return new Entry(tag, TiffOut.ASCII, z.length, z);
        }
    }

    /**
     * A little-endian TIFF being built in memory: header, then per image its data, its out-of-line values and its
     * IFD; each IFD's next pointer is patched when the following one is written.
     */
    static final class TiffOut {

        static final int ASCII = 2;
        static final int SHORT = 3;
        static final int LONG = 4;
        static final int UNDEFINED = 7;
        static final int LONG8 = 16;

        private final boolean big;
        private byte[] buf = new byte[1 << 20];
        private int size;
        /** Where the pointer to the next IFD goes (header field first, then the last IFD's next field). */
        private int nextPointerAt;
        private int ifds;

        TiffOut(boolean big) {
            this.big = big;
            put(new byte[] {'I', 'I'});
            if (big) {
                putShort(43);
                putShort(8); // offset size
                putShort(0);
                nextPointerAt = size;
                putLong(0);
            } else {
                putShort(42);
                nextPointerAt = size;
                putInt(0);
            }
        }

        int ifdCount() {
            return ifds;
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, size);
        }

        /** Writes the chunks (tiles or strips) one after another; returns {offsets, byte counts}. */
        long[][] writeChunks(List<byte[]> chunks, Damage damage) {
            long[] offsets = new long[chunks.size()];
            long[] counts = new long[chunks.size()];
            for (int i = 0; i < chunks.size(); i++) {
                byte[] c = chunks.get(i);
                DamageKind kind = damage != null && damage.tileIndex() == i ? damage.kind() : null;
                if (kind == DamageKind.ZERO) {
                    c = new byte[c.length];
                } else if (kind == DamageKind.TRUNCATE) {
                    c = Arrays.copyOf(c, c.length / 2);
                }
                align();
                offsets[i] = kind == DamageKind.OFFSET_PAST_END ? (1L << 30) : size;
                counts[i] = c.length;
                put(c);
            }
            return new long[][] {offsets, counts};
        }

        /** TileOffsets/TileByteCounts/StripOffsets/StripByteCounts: LONG in TIFF, LONG8 in BigTIFF. */
        Entry offsets(int tag, long[] values) {
            if (!big) {
                return Entry.longs(tag, values);
            }
            ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (long v : values) {
                b.putLong(v);
            }
            return new Entry(tag, LONG8, values.length, b.array());
        }

        void writeIfd(List<Entry> entries) {
            List<Entry> sorted = new ArrayList<>(entries);
            sorted.sort((a, b) -> Integer.compare(a.tag(), b.tag()));
            int inline = big ? 8 : 4;
            long[] valueOffsets = new long[sorted.size()];
            for (int i = 0; i < sorted.size(); i++) {
                Entry e = sorted.get(i);
                if (e.value().length > inline) {
                    align();
                    valueOffsets[i] = size;
                    put(e.value());
                }
            }
            align();
            int ifdStart = size;
            patchPointer(nextPointerAt, ifdStart);
            if (big) {
                putLong(sorted.size());
            } else {
                putShort(sorted.size());
            }
            for (int i = 0; i < sorted.size(); i++) {
                Entry e = sorted.get(i);
                putShort(e.tag());
                putShort(e.type());
                if (big) {
                    putLong(e.count());
                } else {
                    putInt(e.count());
                }
                if (e.value().length > inline) {
                    if (big) {
                        putLong(valueOffsets[i]);
                    } else {
                        putInt(valueOffsets[i]);
                    }
                } else {
                    put(Arrays.copyOf(e.value(), inline)); // left-justified, zero-padded
                }
            }
            nextPointerAt = size;
            if (big) {
                putLong(0);
            } else {
                putInt(0);
            }
            ifds++;
        }

        private void patchPointer(int at, long value) {
            ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
            if (big) {
                b.putLong(at, value);
            } else {
                b.putInt(at, (int) value);
            }
        }

        /** TIFF wants word-aligned offsets. */
        private void align() {
            if ((size & 1) != 0) {
                put(new byte[1]);
            }
        }

        private void put(byte[] b) {
            if (size + b.length > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + b.length));
            }
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        private void putShort(int v) {
            put(new byte[] {(byte) v, (byte) (v >> 8)});
        }

        private void putInt(long v) {
            put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        }

        private void putLong(long v) {
            put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }
    }
}
