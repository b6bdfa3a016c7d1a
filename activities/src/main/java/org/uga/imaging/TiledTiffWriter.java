package org.uga.imaging;

import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.Deflater;

/**
 * Writes a tiled, pyramidal TIFF (one IFD per level, each level half the size of the one above) while rows
 * stream in, so memory is a few bands of {@code tileSize} rows per level, independent of the image height.
 *
 * <p>Rows are pushed top to bottom with {@link #writeRows(byte[], int)} (interleaved 8-bit RGB) or
 * {@link #writeRows(float[], int)} (one float32 channel, e.g. an uncertainty or probability map). Each
 * completed band of tiles is compressed and appended to the file at once; the reduced levels are built by
 * 2x2 box averaging as rows arrive. IFDs are written at the end, so the writer picks classic TIFF or BigTIFF
 * from the final size (the header slot is reserved for either).
 */
public final class TiledTiffWriter implements Closeable {

    /** Sample layout of the image. */
    public enum PixelType {
        RGB8(3, 8, 1),
        FLOAT32(1, 32, 3);

        final int samples;
        final int bits;
        final int sampleFormat;

        PixelType(int samples, int bits, int sampleFormat) {
            this.samples = samples;
            this.bits = bits;
            this.sampleFormat = sampleFormat;
        }
    }

    /** TIFF compression schemes this writer produces (codes from the TIFF 6.0 / Adobe specs). */
    public enum Compression {
        NONE(1),
        LZW(5),
        DEFLATE(8);

        final int code;

        Compression(int code) {
            this.code = code;
        }
    }

    /**
     * What to write. {@code maxLevels = 1} writes a single (tiled, non-pyramidal) level; otherwise levels are
     * added until the smaller one fits in one tile or {@code maxLevels} is reached.
     */
    public record Spec(int width, int height, int tileSize, PixelType pixelType, Compression compression, int maxLevels,
                       String description, boolean forceBigTiff) {

        public Spec {
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
            }
            if (tileSize < 16 || tileSize % 16 != 0) {
                throw new IllegalArgumentException("TIFF tile size must be a positive multiple of 16, got " + tileSize);
            }
            Objects.requireNonNull(pixelType, "pixelType");
            Objects.requireNonNull(compression, "compression");
            if (maxLevels < 1) {
                throw new IllegalArgumentException("maxLevels must be >= 1, got " + maxLevels);
            }
        }

        public static Spec rgb(int width, int height, int tileSize) {
            return new Spec(width, height, tileSize, PixelType.RGB8, Compression.DEFLATE, Integer.MAX_VALUE, null, false);
        }

        public static Spec float32(int width, int height, int tileSize) {
            return new Spec(width, height, tileSize, PixelType.FLOAT32, Compression.DEFLATE, Integer.MAX_VALUE, null, false);
        }

        public Spec withCompression(Compression c) {
            return new Spec(width, height, tileSize, pixelType, c, maxLevels, description, forceBigTiff);
        }

        public Spec withMaxLevels(int levels) {
            return new Spec(width, height, tileSize, pixelType, compression, levels, description, forceBigTiff);
        }

        public Spec withDescription(String text) {
            return new Spec(width, height, tileSize, pixelType, compression, maxLevels, text, forceBigTiff);
        }

        /** BigTIFF even when the file is small (otherwise chosen only when offsets pass 4 GiB). */
        public Spec withBigTiff(boolean big) {
            return new Spec(width, height, tileSize, pixelType, compression, maxLevels, description, big);
        }

        /** Number of pyramid levels this spec produces. */
        public int levelCount() {
            int n = 1;
            int w = width;
            int h = height;
            while (n < maxLevels && Math.max(w, h) > tileSize) {
                w = (w + 1) / 2;
                h = (h + 1) / 2;
                n++;
            }
            return n;
        }
    }

    private static final int HEADER_RESERVED = 16;

    private final Spec spec;
    private final Path file;
    private final FileChannel channel;
    private final List<Level> levels = new ArrayList<>();
    private final Deflater deflater = new Deflater(6);
    private final TiffLzwEncoder lzw = new TiffLzwEncoder();
    private final byte[] tileBytes;
    private byte[] compressBuffer;
    private long position = HEADER_RESERVED;
    private boolean finished;
    private boolean closed;

    private TiledTiffWriter(Path file, Spec spec) throws IOException {
        this.file = file;
        this.spec = spec;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        int w = spec.width();
        int h = spec.height();
        for (int i = 0; i < spec.levelCount(); i++) {
            levels.add(new Level(i, w, h));
            w = (w + 1) / 2;
            h = (h + 1) / 2;
        }
        tileBytes = new byte[spec.tileSize() * spec.tileSize() * spec.pixelType().samples * spec.pixelType().bits / 8];
        compressBuffer = new byte[tileBytes.length + 1024];
    }

    public static TiledTiffWriter create(Path file, Spec spec) throws IOException {
        return new TiledTiffWriter(file, spec);
    }

    public Spec spec() {
        return spec;
    }

    public Path file() {
        return file;
    }

    /** Rows of level 0 received so far. */
    public int rowsWritten() {
        return levels.get(0).rowsReceived;
    }

    /** Appends {@code rows} rows of interleaved RGB ({@code width * rows * 3} bytes). */
    public void writeRows(byte[] rgb, int rows) throws IOException {
        requireType(PixelType.RGB8);
        checkRows(rgb.length, rows, 3);
        int rowLen = spec.width() * 3;
        for (int r = 0; r < rows; r++) {
            levels.get(0).pushRow(rgb, r * rowLen);
        }
    }

    /** Appends {@code rows} rows of float32 values ({@code width * rows} floats). */
    public void writeRows(float[] values, int rows) throws IOException {
        requireType(PixelType.FLOAT32);
        checkRows(values.length, rows, 1);
        int rowLen = spec.width();
        for (int r = 0; r < rows; r++) {
            levels.get(0).pushRow(values, r * rowLen);
        }
    }

    /** Appends all rows of an image as wide as the TIFF (RGB8 only). */
    public void writeRows(BufferedImage image) throws IOException {
        if (image.getWidth() != spec.width()) {
            throw new IllegalArgumentException("image is " + image.getWidth() + " wide, TIFF is " + spec.width());
        }
        byte[] rgb = Images.toInterleavedRgb(image);
        writeRows(rgb, image.getHeight());
    }

    private void requireType(PixelType t) {
        if (spec.pixelType() != t) {
            throw new IllegalStateException("this TIFF holds " + spec.pixelType() + ", not " + t);
        }
        if (finished || closed) {
            throw new IllegalStateException("writer for " + file + " is already finished");
        }
    }

    private void checkRows(int length, int rows, int samples) {
        if (rows < 0 || (long) rows * spec.width() * samples > length) {
            throw new IllegalArgumentException(rows + " rows of width " + spec.width() + " need "
                    + ((long) rows * spec.width() * samples) + " values, got " + length);
        }
        if (rowsWritten() + rows > spec.height()) {
            throw new IllegalArgumentException("too many rows: " + rowsWritten() + " + " + rows + " > height " + spec.height());
        }
    }

    /** Writes the IFDs; requires every row of the image. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        if (rowsWritten() != spec.height()) {
            throw new IllegalStateException("only " + rowsWritten() + " of " + spec.height() + " rows written to " + file);
        }
        for (Level l : levels) {
            if (l.rowsReceived != l.height) {
                throw new IllegalStateException("level " + l.index + " incomplete: " + l.rowsReceived + "/" + l.height);
            }
        }
        writeDirectories();
        finished = true;
    }

    /** Finishes if complete; an incomplete file is closed as is (callers delete it). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (!finished && rowsWritten() == spec.height()) {
                finish();
            }
        } finally {
            closed = true;
            deflater.end();
            channel.close();
        }
    }

    // --- levels -------------------------------------------------------------------------------------------

    private final class Level {
        final int index;
        final int width;
        final int height;
        final int tilesAcross;
        final int tilesDown;
        final long[] offsets;
        final long[] byteCounts;
        final int samples = spec.pixelType().samples;
        final byte[] byteBand;
        final float[] floatBand;
        final byte[] bytePending;
        final float[] floatPending;
        boolean hasPending;
        int bandRows;
        int bandIndex;
        int rowsReceived;

        Level(int index, int width, int height) {
            this.index = index;
            this.width = width;
            this.height = height;
            int t = spec.tileSize();
            tilesAcross = (width + t - 1) / t;
            tilesDown = (height + t - 1) / t;
            offsets = new long[tilesAcross * tilesDown];
            byteCounts = new long[tilesAcross * tilesDown];
            // The band is padded to whole tiles on the right (never written, so zero): no bounds checks.
            int bandLen = tilesAcross * t * t * samples;
            boolean rgb = spec.pixelType() == PixelType.RGB8;
            byteBand = rgb ? new byte[bandLen] : null;
            floatBand = rgb ? null : new float[bandLen];
            bytePending = rgb ? new byte[width * samples] : null;
            floatPending = rgb ? null : new float[width * samples];
        }

        int bandStride() {
            return tilesAcross * spec.tileSize() * samples;
        }

        void pushRow(Object src, int offset) throws IOException {
            int len = width * samples;
            if (byteBand != null) {
                System.arraycopy(src, offset, byteBand, bandRows * bandStride(), len);
            } else {
                System.arraycopy(src, offset, floatBand, bandRows * bandStride(), len);
            }
            bandRows++;
            rowsReceived++;
            if (index + 1 < levels.size()) {
                feedNext(src, offset);
            }
            if (bandRows == spec.tileSize() || rowsReceived == height) {
                flushBand();
            }
        }

        /** Pairs rows and pushes their 2x2 average to the next level; an odd last row pairs with itself. */
        private void feedNext(Object src, int offset) throws IOException {
            Level next = levels.get(index + 1);
            if (!hasPending) {
                if (byteBand != null) {
                    System.arraycopy(src, offset, bytePending, 0, width * samples);
                } else {
                    System.arraycopy(src, offset, floatPending, 0, width * samples);
                }
                hasPending = true;
                if (rowsReceived == height) {
                    next.pushRow(downsample(byteBand != null ? bytePending : floatPending, 0), 0);
                    hasPending = false;
                }
                return;
            }
            hasPending = false;
            next.pushRow(downsample(src, offset), 0);
        }

        private Object downsample(Object second, int offset) {
            int nw = (width + 1) / 2;
            if (byteBand != null) {
                byte[] a = bytePending;
                byte[] b = (byte[]) second;
                byte[] out = new byte[nw * samples];
                for (int x = 0; x < nw; x++) {
                    int x0 = 2 * x;
                    int x1 = Math.min(x0 + 1, width - 1);
                    for (int c = 0; c < samples; c++) {
                        int s = (a[x0 * samples + c] & 0xff) + (a[x1 * samples + c] & 0xff)
                                + (b[offset + x0 * samples + c] & 0xff) + (b[offset + x1 * samples + c] & 0xff);
                        out[x * samples + c] = (byte) ((s + 2) >> 2);
                    }
                }
                return out;
            }
            float[] a = floatPending;
            float[] b = (float[]) second;
            float[] out = new float[nw * samples];
            for (int x = 0; x < nw; x++) {
                int x0 = 2 * x;
                int x1 = Math.min(x0 + 1, width - 1);
                for (int c = 0; c < samples; c++) {
                    out[x * samples + c] = 0.25f * (a[x0 * samples + c] + a[x1 * samples + c]
                            + b[offset + x0 * samples + c] + b[offset + x1 * samples + c]);
                }
            }
            return out;
        }

        private void flushBand() throws IOException {
            int t = spec.tileSize();
            int stride = bandStride();
            // Padding rows below the image are zero so edge tiles compress well and never leak old data.
            if (bandRows < t) {
                if (byteBand != null) {
                    java.util.Arrays.fill(byteBand, bandRows * stride, t * stride, (byte) 0);
                } else {
                    java.util.Arrays.fill(floatBand, bandRows * stride, t * stride, 0f);
                }
            }
            int rowBytes = t * samples * spec.pixelType().bits / 8;
            ByteBuffer tile = ByteBuffer.wrap(tileBytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int tx = 0; tx < tilesAcross; tx++) {
                tile.clear();
                for (int r = 0; r < t; r++) {
                    int base = r * stride + tx * t * samples;
                    if (byteBand != null) {
                        System.arraycopy(byteBand, base, tileBytes, r * rowBytes, t * samples);
                    } else {
                        tile.position(r * rowBytes);
                        tile.asFloatBuffer().put(floatBand, base, t * samples);
                    }
                }
                int tileIndex = bandIndex * tilesAcross + tx;
                writeTile(tileIndex);
            }
            bandIndex++;
            bandRows = 0;
        }

        private void writeTile(int tileIndex) throws IOException {
            boolean predict = usesPredictor();
            if (predict) {
                horizontalDifference(tileBytes);
            }
            byte[] payload;
            int length;
            switch (spec.compression()) {
                case NONE -> {
                    payload = tileBytes;
                    length = tileBytes.length;
                }
                case DEFLATE -> {
                    deflater.reset();
                    deflater.setInput(tileBytes);
                    deflater.finish();
                    length = 0;
                    while (!deflater.finished()) {
                        if (length == compressBuffer.length) {
                            compressBuffer = java.util.Arrays.copyOf(compressBuffer, compressBuffer.length * 2);
                        }
                        length += deflater.deflate(compressBuffer, length, compressBuffer.length - length);
                    }
                    payload = compressBuffer;
                }
                case LZW -> {
                    payload = lzw.encode(tileBytes, tileBytes.length);
                    length = payload.length;
                }
                default -> throw new IllegalStateException();
            }
            offsets[tileIndex] = position;
            byteCounts[tileIndex] = length;
            writeFully(ByteBuffer.wrap(payload, 0, length));
        }
    }

    private boolean usesPredictor() {
        return spec.pixelType() == PixelType.RGB8 && spec.compression() != Compression.NONE;
    }

    /** TIFF predictor 2 on 8-bit interleaved samples: each sample minus the same channel one pixel left. */
    private void horizontalDifference(byte[] data) {
        int t = spec.tileSize();
        int s = spec.pixelType().samples;
        int rowBytes = t * s;
        for (int r = 0; r < t; r++) {
            int base = r * rowBytes;
            for (int i = rowBytes - 1; i >= s; i--) {
                data[base + i] = (byte) (data[base + i] - data[base + i - s]);
            }
        }
    }

    private void writeFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            position += channel.write(buf, position);
        }
    }

    // --- directories ----------------------------------------------------------------------------------------

    private static final int SHORT = 3;
    private static final int LONG = 4;
    private static final int ASCII = 2;
    private static final int LONG8 = 16;

    private record Entry(int tag, int type, long count, long[] values, byte[] ascii) {
    }

    private void writeDirectories() throws IOException {
        // Estimate whether the directories push offsets past 4 GiB; BigTIFF only when needed.
        long estimate = position;
        for (Level l : levels) {
            estimate += 512 + 16L * l.offsets.length;
        }
        boolean big = spec.forceBigTiff() || estimate > 0xFFFF_FFF0L;
        long[] ifdOffsets = new long[levels.size()];
        List<byte[]> blocks = new ArrayList<>();
        long cursor = align(position);
        for (int i = 0; i < levels.size(); i++) {
            ifdOffsets[i] = cursor;
            byte[] block = directory(levels.get(i), big, cursor, 0); // next offset patched below
            blocks.add(block);
            cursor = align(cursor + block.length);
        }
        for (int i = 0; i < levels.size(); i++) {
            long next = i + 1 < levels.size() ? ifdOffsets[i + 1] : 0;
            byte[] block = directory(levels.get(i), big, ifdOffsets[i], next);
            position = ifdOffsets[i];
            writeFully(ByteBuffer.wrap(block));
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER_RESERVED).order(ByteOrder.LITTLE_ENDIAN);
        header.put((byte) 'I').put((byte) 'I');
        if (big) {
            header.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(ifdOffsets[0]);
        } else {
            header.putShort((short) 42).putInt((int) ifdOffsets[0]).putLong(0);
        }
        header.flip();
        channel.write(header, 0);
        channel.force(false);
    }

    private static long align(long p) {
        return (p + 1) & ~1L;
    }

    private List<Entry> entries(Level l, boolean big) {
        PixelType pt = spec.pixelType();
        List<Entry> e = new ArrayList<>();
        e.add(num(254, LONG, l.index == 0 ? 0 : 1));
        e.add(num(256, LONG, l.width));
        e.add(num(257, LONG, l.height));
        long[] bits = new long[pt.samples];
        java.util.Arrays.fill(bits, pt.bits);
        e.add(new Entry(258, SHORT, pt.samples, bits, null));
        e.add(num(259, SHORT, spec.compression().code));
        e.add(num(262, SHORT, pt == PixelType.RGB8 ? 2 : 1));
        if (l.index == 0 && spec.description() != null) {
            byte[] text = (spec.description() + "\0").getBytes(StandardCharsets.US_ASCII);
            e.add(new Entry(270, ASCII, text.length, null, text));
        }
        e.add(num(277, SHORT, pt.samples));
        e.add(num(284, SHORT, 1));
        byte[] software = "UGA TiledTiffWriter\0".getBytes(StandardCharsets.US_ASCII);
        e.add(new Entry(305, ASCII, software.length, null, software));
        if (usesPredictor()) {
            e.add(num(317, SHORT, 2));
        }
        e.add(num(322, LONG, spec.tileSize()));
        e.add(num(323, LONG, spec.tileSize()));
        e.add(new Entry(324, big ? LONG8 : LONG, l.offsets.length, l.offsets, null));
        e.add(new Entry(325, big ? LONG8 : LONG, l.byteCounts.length, l.byteCounts, null));
        long[] formats = new long[pt.samples];
        java.util.Arrays.fill(formats, pt.sampleFormat);
        e.add(new Entry(339, SHORT, pt.samples, formats, null));
        return e;
    }

    private static Entry num(int tag, int type, long value) {
        return new Entry(tag, type, 1, new long[] {value}, null);
    }

    private static int typeSize(int type) {
        return switch (type) {
            case ASCII -> 1;
            case SHORT -> 2;
            case LONG -> 4;
            case LONG8 -> 8;
            default -> throw new IllegalArgumentException("type " + type);
        };
    }

    /** One IFD followed by its out-of-line values, laid out to start at file offset {@code at}. */
    private byte[] directory(Level l, boolean big, long at, long next) {
        List<Entry> entries = entries(l, big);
        int entrySize = big ? 20 : 12;
        int inline = big ? 8 : 4;
        int head = (big ? 8 : 2) + entries.size() * entrySize + (big ? 8 : 4);
        long extra = 0;
        for (Entry en : entries) {
            long size = en.count() * typeSize(en.type());
            if (size > inline) {
                extra += (size + 1) & ~1L;
            }
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (head + extra)).order(ByteOrder.LITTLE_ENDIAN);
        if (big) {
            buf.putLong(entries.size());
        } else {
            buf.putShort((short) entries.size());
        }
        int extraPos = head;
        for (Entry en : entries) {
            buf.putShort((short) en.tag()).putShort((short) en.type());
            if (big) {
                buf.putLong(en.count());
            } else {
                buf.putInt((int) en.count());
            }
            long size = en.count() * typeSize(en.type());
            int valuePos = buf.position();
            if (size > inline) {
                if (big) {
                    buf.putLong(at + extraPos);
                } else {
                    buf.putInt((int) (at + extraPos));
                }
                int saved = buf.position();
                buf.position(extraPos);
                putValues(buf, en);
                extraPos = (int) (extraPos + ((size + 1) & ~1L));
                buf.position(saved);
            } else {
                putValues(buf, en);
                buf.position(valuePos + inline);
            }
        }
        if (big) {
            buf.putLong(next);
        } else {
            buf.putInt((int) next);
        }
        return buf.array();
    }

    private static void putValues(ByteBuffer buf, Entry en) {
        if (en.ascii() != null) {
            buf.put(en.ascii());
            return;
        }
        for (long v : en.values()) {
            switch (en.type()) {
                case SHORT -> buf.putShort((short) v);
                case LONG -> buf.putInt((int) v);
                case LONG8 -> buf.putLong(v);
                default -> throw new IllegalStateException();
            }
        }
    }
}
