package org.uga.imaging;

import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Writes a tiled, pyramidal TIFF (one IFD per level, each level half the size of the one above).
 *
 * <p>Two ways to feed level 0:
 * <ul>
 *   <li>{@link #writeTile(int, int, float[])} / {@link #writeTile(int, int, byte[])}: one tile at a time, in any
 *       order (TIFF locates tiles through TileOffsets/TileByteCounts, so file order does not matter). Memory is a
 *       few tiles, independent of the image size.</li>
 *   <li>{@link #writeRows(byte[], int)} (interleaved 8-bit RGB) / {@link #writeRows(float[], int)} (one float32
 *       channel): rows top to bottom, buffered as one band of {@code tileSize} rows of the image width and cut
 *       into tiles when the band is full.</li>
 * </ul>
 * Each tile is compressed and appended to the file at once. {@link #finish()} then builds every reduced level
 * from the level above by reading back its already written tiles 2x2 at a time (2x2 box average), so the
 * pyramid also costs O(tile²) memory. IFDs are written at the end, so the writer picks classic TIFF or BigTIFF
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
    private final Inflater inflater = new Inflater();
    private final TiffLzwEncoder lzw = new TiffLzwEncoder();
    /** Raw (uncompressed) bytes of the tile being written: tileSize² pixels, little-endian floats. */
    private final byte[] tileBytes;
    private byte[] compressBuffer;
    private byte[] readBuffer = new byte[0];
    private long position = HEADER_RESERVED;
    private int level0TilesWritten;
    /** Row front-end: created by the first writeRows call; null while the tile API is used. */
    private RowBand rowBand;
    private boolean tileMode;
    private boolean finished;
    private boolean closed;

    private TiledTiffWriter(Path file, Spec spec) throws IOException {
        this.file = file;
        this.spec = spec;
        // READ as well: the reduced levels are built from the tiles already in the file.
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        int w = spec.width();
        int h = spec.height();
        for (int i = 0; i < spec.levelCount(); i++) {
            levels.add(new Level(i, w, h));
            w = (w + 1) / 2;
            h = (h + 1) / 2;
        }
        tileBytes = new byte[tileSamples() * spec.pixelType().bits / 8];
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

    /** Tile columns of level 0. */
    public int tilesAcross() {
        return levels.get(0).tilesAcross;
    }

    /** Tile rows of level 0. */
    public int tilesDown() {
        return levels.get(0).tilesDown;
    }

    /** Rows of level 0 received through {@code writeRows} so far (0 when the tile API is used). */
    public int rowsWritten() {
        return rowBand == null ? 0 : rowBand.rowsReceived;
    }

    /** Level-0 tiles written so far (by either API). */
    public int tilesWritten() {
        return level0TilesWritten;
    }

    private int tileSamples() {
        return spec.tileSize() * spec.tileSize() * spec.pixelType().samples;
    }

    // --- tile API -----------------------------------------------------------------------------------------

    /**
     * Writes level-0 tile ({@code tileX}, {@code tileY}) of a FLOAT32 image: {@code tileSize²} floats, row by
     * row with a stride of {@code tileSize}. Samples outside the image (right/bottom edge tiles) are ignored and
     * stored as 0. Tiles may come in any order; each exactly once.
     */
    public void writeTile(int tileX, int tileY, float[] values) throws IOException {
        requireType(PixelType.FLOAT32);
        startTileMode();
        Level l0 = levels.get(0);
        int index = checkTile(l0, tileX, tileY, values.length);
        int t = spec.tileSize();
        int cols = Math.min(t, l0.width - tileX * t);
        int rows = Math.min(t, l0.height - tileY * t);
        java.util.Arrays.fill(tileBytes, (byte) 0);
        ByteBuffer buf = ByteBuffer.wrap(tileBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            buf.position(r * t * 4);
            buf.asFloatBuffer().put(values, r * t, cols);
        }
        storeTile(l0, index);
    }

    /**
     * Writes level-0 tile ({@code tileX}, {@code tileY}) of an RGB8 image: {@code tileSize² * 3} interleaved
     * bytes, row stride {@code tileSize * 3}. Pixels outside the image are stored as 0. Any order; each once.
     */
    public void writeTile(int tileX, int tileY, byte[] rgb) throws IOException {
        requireType(PixelType.RGB8);
        startTileMode();
        Level l0 = levels.get(0);
        int index = checkTile(l0, tileX, tileY, rgb.length);
        int t = spec.tileSize();
        int cols = Math.min(t, l0.width - tileX * t);
        int rows = Math.min(t, l0.height - tileY * t);
        java.util.Arrays.fill(tileBytes, (byte) 0);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(rgb, r * t * 3, tileBytes, r * t * 3, cols * 3);
        }
        storeTile(l0, index);
    }

    private void startTileMode() {
        if (rowBand != null) {
            throw new IllegalStateException("rows were already written to " + file + "; cannot mix writeRows and writeTile");
        }
        tileMode = true;
    }

    private int checkTile(Level l0, int tileX, int tileY, int length) {
        if (tileX < 0 || tileY < 0 || tileX >= l0.tilesAcross || tileY >= l0.tilesDown) {
            throw new IllegalArgumentException("tile (" + tileX + ", " + tileY + ") is outside the " + l0.tilesAcross
                    + "x" + l0.tilesDown + " tile grid of " + file);
        }
        if (length < tileSamples()) {
            throw new IllegalArgumentException("a " + spec.tileSize() + "x" + spec.tileSize() + " tile needs "
                    + tileSamples() + " values, got " + length);
        }
        int index = tileY * l0.tilesAcross + tileX;
        if (l0.offsets[index] != 0) {
            throw new IllegalStateException("tile (" + tileX + ", " + tileY + ") of " + file + " was already written");
        }
        return index;
    }

    // --- row API ------------------------------------------------------------------------------------------

    /** Appends {@code rows} rows of interleaved RGB ({@code width * rows * 3} bytes). */
    public void writeRows(byte[] rgb, int rows) throws IOException {
        requireType(PixelType.RGB8);
        checkRows(rgb.length, rows, 3);
        int rowLen = spec.width() * 3;
        for (int r = 0; r < rows; r++) {
            rowBand.push(rgb, r * rowLen);
        }
    }

    /** Appends {@code rows} rows of float32 values ({@code width * rows} floats). */
    public void writeRows(float[] values, int rows) throws IOException {
        requireType(PixelType.FLOAT32);
        checkRows(values.length, rows, 1);
        int rowLen = spec.width();
        for (int r = 0; r < rows; r++) {
            rowBand.push(values, r * rowLen);
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
        if (tileMode) {
            throw new IllegalStateException("tiles were already written to " + file + "; cannot mix writeTile and writeRows");
        }
        if (rows < 0 || (long) rows * spec.width() * samples > length) {
            throw new IllegalArgumentException(rows + " rows of width " + spec.width() + " need "
                    + ((long) rows * spec.width() * samples) + " values, got " + length);
        }
        if (rowsWritten() + rows > spec.height()) {
            throw new IllegalArgumentException("too many rows: " + rowsWritten() + " + " + rows + " > height " + spec.height());
        }
        if (rowBand == null) {
            rowBand = new RowBand();
        }
    }

    /** One band of {@code tileSize} full-width rows of level 0, padded to whole tiles on the right. */
    private final class RowBand {
        final Level l0 = levels.get(0);
        final int samples = spec.pixelType().samples;
        final int stride = l0.tilesAcross * spec.tileSize() * samples;
        final byte[] bytes = spec.pixelType() == PixelType.RGB8 ? new byte[stride * spec.tileSize()] : null;
        final float[] floats = bytes == null ? new float[stride * spec.tileSize()] : null;
        int bandRows;
        int bandIndex;
        int rowsReceived;

        void push(Object src, int offset) throws IOException {
            int len = l0.width * samples;
            if (bytes != null) {
                System.arraycopy(src, offset, bytes, bandRows * stride, len);
            } else {
                System.arraycopy(src, offset, floats, bandRows * stride, len);
            }
            bandRows++;
            rowsReceived++;
            if (bandRows == spec.tileSize() || rowsReceived == l0.height) {
                flush();
            }
        }

        private void flush() throws IOException {
            int t = spec.tileSize();
            // Padding rows below the image are zero so edge tiles compress well and never leak old data.
            if (bytes != null) {
                java.util.Arrays.fill(bytes, bandRows * stride, t * stride, (byte) 0);
            } else {
                java.util.Arrays.fill(floats, bandRows * stride, t * stride, 0f);
            }
            int rowBytes = t * samples * spec.pixelType().bits / 8;
            ByteBuffer tile = ByteBuffer.wrap(tileBytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int tx = 0; tx < l0.tilesAcross; tx++) {
                for (int r = 0; r < t; r++) {
                    int base = r * stride + tx * t * samples;
                    if (bytes != null) {
                        System.arraycopy(bytes, base, tileBytes, r * rowBytes, t * samples);
                    } else {
                        tile.position(r * rowBytes);
                        tile.asFloatBuffer().put(floats, base, t * samples);
                    }
                }
                storeTile(l0, bandIndex * l0.tilesAcross + tx);
            }
            bandIndex++;
            bandRows = 0;
        }
    }

    // --- finishing ----------------------------------------------------------------------------------------

    private boolean complete() {
        Level l0 = levels.get(0);
        return level0TilesWritten == l0.offsets.length;
    }

    /** Builds the reduced levels and writes the IFDs; requires every tile (or row) of level 0. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        if (!complete()) {
            if (!tileMode) {
                throw new IllegalStateException("only " + rowsWritten() + " of " + spec.height() + " rows written to " + file);
            }
            Level l0 = levels.get(0);
            int missing = 0;
            while (l0.offsets[missing] != 0) {
                missing++;
            }
            throw new IllegalStateException("only " + level0TilesWritten + " of " + l0.offsets.length
                    + " level-0 tiles written to " + file + " (first missing: column " + (missing % l0.tilesAcross)
                    + ", row " + (missing / l0.tilesAcross) + ")");
        }
        for (int i = 1; i < levels.size(); i++) {
            buildLevel(levels.get(i - 1), levels.get(i));
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
            if (!finished && complete()) {
                finish();
            }
        } finally {
            closed = true;
            deflater.end();
            inflater.end();
            channel.close();
        }
    }

    /**
     * Every tile of {@code child} is the 2x2 average of four tiles of {@code parent} (fewer at the right/bottom
     * edge; an odd last column or row pairs with itself), read back from the file.
     */
    private void buildLevel(Level parent, Level child) throws IOException {
        int t = spec.tileSize();
        int samples = spec.pixelType().samples;
        boolean rgb = spec.pixelType() == PixelType.RGB8;
        byte[][] rawQuad = new byte[4][];
        float[][] floatQuad = new float[4][];
        for (int q = 0; q < 4; q++) {
            rawQuad[q] = new byte[tileBytes.length];
            floatQuad[q] = rgb ? null : new float[tileSamples()];
        }
        FloatBuffer out = rgb ? null : ByteBuffer.wrap(tileBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int ty = 0; ty < child.tilesDown; ty++) {
            for (int tx = 0; tx < child.tilesAcross; tx++) {
                for (int q = 0; q < 4; q++) {
                    int px = 2 * tx + (q & 1);
                    int py = 2 * ty + (q >> 1);
                    if (px < parent.tilesAcross && py < parent.tilesDown) {
                        readTile(parent, py * parent.tilesAcross + px, rawQuad[q]);
                        if (!rgb) {
                            ByteBuffer.wrap(rawQuad[q]).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(floatQuad[q]);
                        }
                    }
                }
                java.util.Arrays.fill(tileBytes, (byte) 0);
                int cols = Math.min(t, child.width - tx * t);
                int rows = Math.min(t, child.height - ty * t);
                for (int j = 0; j < rows; j++) {
                    int py0 = 2 * (ty * t + j);
                    int py1 = Math.min(py0 + 1, parent.height - 1);
                    // Both parent rows lie in the same tile row: py0 is even and the tile size is even.
                    int qy = ((py0 / t) & 1) << 1;
                    int ra = (py0 % t) * t;
                    int rb = (py1 % t) * t;
                    for (int i = 0; i < cols; i++) {
                        int px0 = 2 * (tx * t + i);
                        int px1 = Math.min(px0 + 1, parent.width - 1);
                        int q = qy | ((px0 / t) & 1);
                        int a0 = ra + px0 % t;
                        int a1 = ra + px1 % t;
                        int b0 = rb + px0 % t;
                        int b1 = rb + px1 % t;
                        if (rgb) {
                            byte[] p = rawQuad[q];
                            for (int c = 0; c < samples; c++) {
                                int s = (p[a0 * samples + c] & 0xff) + (p[a1 * samples + c] & 0xff)
                                        + (p[b0 * samples + c] & 0xff) + (p[b1 * samples + c] & 0xff);
                                tileBytes[(j * t + i) * samples + c] = (byte) ((s + 2) >> 2);
                            }
                        } else {
                            float[] p = floatQuad[q];
                            out.put(j * t + i, 0.25f * (p[a0] + p[a1] + p[b0] + p[b1]));
                        }
                    }
                }
                storeTile(child, ty * child.tilesAcross + tx);
            }
        }
    }

    /** Reads back and decodes one tile this writer stored: raw samples, predictor undone. */
    private void readTile(Level l, int index, byte[] raw) throws IOException {
        int count = (int) l.byteCounts[index];
        if (readBuffer.length < count) {
            readBuffer = new byte[count];
        }
        ByteBuffer in = ByteBuffer.wrap(readBuffer, 0, count);
        long at = l.offsets[index];
        while (in.hasRemaining()) {
            int n = channel.read(in, at + in.position());
            if (n < 0) {
                throw new IOException(file + " ends inside tile " + index + " of level " + l.index);
            }
        }
        switch (spec.compression()) {
            case NONE -> System.arraycopy(readBuffer, 0, raw, 0, raw.length);
            case LZW -> TiffTileDecoder.lzw(java.util.Arrays.copyOf(readBuffer, count), raw);
            case DEFLATE -> {
                inflater.reset();
                inflater.setInput(readBuffer, 0, count);
                try {
                    int n = 0;
                    while (n < raw.length && !inflater.finished()) {
                        int k = inflater.inflate(raw, n, raw.length - n);
                        if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                            throw new IOException("Deflate data of tile " + index + " of level " + l.index + " in "
                                    + file + " ends early");
                        }
                        n += k;
                    }
                } catch (DataFormatException e) {
                    throw new IOException("corrupt Deflate data in tile " + index + " of level " + l.index + " in " + file, e);
                }
            }
            default -> throw new IllegalStateException();
        }
        if (usesPredictor()) {
            int t = spec.tileSize();
            int s = spec.pixelType().samples;
            int rowBytes = t * s;
            for (int r = 0; r < t; r++) {
                int base = r * rowBytes;
                for (int i = s; i < rowBytes; i++) {
                    raw[base + i] += raw[base + i - s];
                }
            }
        }
    }

    // --- levels -------------------------------------------------------------------------------------------

    /** One pyramid level: its size, tile grid and where each tile went in the file (offset 0 = not yet). */
    private final class Level {
        final int index;
        final int width;
        final int height;
        final int tilesAcross;
        final int tilesDown;
        final long[] offsets;
        final long[] byteCounts;

        Level(int index, int width, int height) {
            this.index = index;
            this.width = width;
            this.height = height;
            int t = spec.tileSize();
            tilesAcross = (width + t - 1) / t;
            tilesDown = (height + t - 1) / t;
            offsets = new long[tilesAcross * tilesDown];
            byteCounts = new long[tilesAcross * tilesDown];
        }
    }

    /** Compresses {@link #tileBytes} (clobbering it with the predictor) and appends it as tile {@code index}. */
    private void storeTile(Level l, int index) throws IOException {
        if (usesPredictor()) {
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
        l.offsets[index] = position;
        l.byteCounts[index] = length;
        writeFully(ByteBuffer.wrap(payload, 0, length));
        if (l.index == 0) {
            level0TilesWritten++;
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
