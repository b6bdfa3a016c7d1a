package org.uga.imaging;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * {@link SlideReader} for PNG, JPEG and TIFF (tiled or stripped, pyramidal with one IFD per level, classic or
 * BigTIFF).
 *
 * <p>TIFF directories are parsed here and tiles with 8-bit gray/RGB(A) or float32 samples compressed with
 * none/LZW/Deflate/PackBits, and 8-bit gray/RGB/YCbCr JPEG tiles (Aperio SVS: compression 7, shared
 * JPEGTables), are decoded here too, one tile at a time: a region reads exactly the tiles it intersects
 * (TwelveMonkeys 3.14 seeks into and inflates every tile of the image for a source region, and fails on regions
 * that do not start in the first tile column). Other TIFFs (old-style JPEG, 16-bit, planar) and PNG/JPEG go
 * through ImageIO with a source region, preferring the TwelveMonkeys plugins.
 *
 * <p>Levels are the images whose aspect ratio matches image 0 and that get smaller; when image 0 is tiled,
 * untiled images (thumbnails, labels, macro photos) are not levels, nor are transparency masks or images an
 * Aperio description calls "label" or "macro". An Aperio description of image 0 gives
 * {@link SlideInfo#micronsPerPixel()} and {@link SlideInfo#magnification()}.
 */
public final class ImageIoSlideReader implements SlideReader {

    private static final int CACHED_TILES = 48;

    private final String name;
    private final ImageInputStream input;
    private final List<TiffDirectory> directories;
    private final TiffTileDecoder decoder = new TiffTileDecoder();
    private final Map<Long, byte[]> tileCache = new LinkedHashMap<>(CACHED_TILES * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > CACHED_TILES;
        }
    };
    private ImageReader reader;
    private final SlideInfo info;
    private long tilesDecoded;

    private ImageIoSlideReader(String name, ImageInputStream input) throws IOException {
        this.name = name;
        this.input = input;
        if (TiffDirectory.isTiff(input)) {
            this.directories = TiffDirectory.readAll(input);
            this.info = describeTiff();
        } else {
            this.directories = null;
            this.info = describeImageIo();
        }
    }

    /** Opens a slide from any image input stream (e.g. a {@link RangeImageInputStream}); closes it on close. */
    public static ImageIoSlideReader open(String name, ImageInputStream input) throws IOException {
        try {
            return new ImageIoSlideReader(name, input);
        } catch (IOException | RuntimeException e) {
            input.close();
            throw new IOException("cannot open slide " + name + ": " + e.getMessage(), e);
        }
    }

    /** Opens a local file with ranged reads through the same block cache a remote slide uses. */
    public static ImageIoSlideReader open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("slide " + file + " does not exist");
        }
        return open(file.getFileName().toString(),
                new RangeImageInputStream(ByteRangeSource.ofFile(file), Files.size(file)));
    }

    // --- description ------------------------------------------------------------------------------------------

    private SlideInfo describeTiff() throws IOException {
        if (directories.isEmpty()) {
            throw new IOException("TIFF holds no image");
        }
        TiffDirectory base = directories.get(0);
        List<int[]> candidates = new ArrayList<>();
        for (TiffDirectory d : directories) {
            if (d.width() <= 0 || d.height() <= 0) {
                continue;
            }
            if (d.index > 0 && !(matchesBase(base.width(), base.height(), d.width(), d.height())
                    && (!base.tiled() || d.tiled()) && !d.transparencyMask() && !aperioAssociatedImage(d))) {
                continue;
            }
            candidates.add(new int[] {d.index, d.width(), d.height(), d.tileWidth(), d.tileHeight()});
        }
        Map<String, String> aperio = aperioProperties(base.description());
        return new SlideInfo(name, "tiff", toLevels(candidates, base.width()),
                positive(aperio.get("MPP")), positive(aperio.get("AppMag")));
    }

    /** Aperio marks its label and macro images with a second description line "label ..." / "macro ...". */
    private static boolean aperioAssociatedImage(TiffDirectory d) {
        String description = d.description();
        if (description == null || !description.startsWith("Aperio")) {
            return false;
        }
        String[] lines = description.split("\\r?\\n");
        return lines.length > 1 && (lines[1].startsWith("label") || lines[1].startsWith("macro"));
    }

    /**
     * The {@code key = value} pairs of an Aperio ImageDescription ("Aperio Image Library v12.0.15\r\n46920x33014
     * [0,100 46000x32914] (256x256) JPEG/RGB Q=70|AppMag = 20|...|MPP = 0.4990|..."): the part before the first
     * '|' is the header, each later part one pair. Empty for anything else.
     */
    static Map<String, String> aperioProperties(String description) {
        Map<String, String> out = new LinkedHashMap<>();
        if (description == null || !description.startsWith("Aperio")) {
            return out;
        }
        String[] parts = description.split("\\|");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                out.putIfAbsent(parts[i].substring(0, eq).trim(), parts[i].substring(eq + 1).trim());
            }
        }
        return out;
    }

    /** A positive finite number, or null when absent or not one (a bad vendor field must not break opening). */
    private static Double positive(String value) {
        if (value == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(value);
            return v > 0 && Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private SlideInfo describeImageIo() throws IOException {
        ImageReader r = reader();
        int images = r.getNumImages(true);
        if (images < 1) {
            throw new IOException("image holds no picture");
        }
        int w = r.getWidth(0);
        int h = r.getHeight(0);
        List<int[]> candidates = new ArrayList<>();
        candidates.add(new int[] {0, w, h, r.isImageTiled(0) ? r.getTileWidth(0) : w, r.isImageTiled(0) ? r.getTileHeight(0) : h});
        return new SlideInfo(name, r.getFormatName().toLowerCase(java.util.Locale.ROOT), toLevels(candidates, w));
    }

    private static boolean matchesBase(int baseW, int baseH, int w, int h) {
        double ds = (double) baseW / w;
        return w < baseW && Math.abs(baseH / ds - h) <= 1.5 + 0.01 * h;
    }

    private static List<SlideLevel> toLevels(List<int[]> candidates, int baseWidth) {
        candidates.sort(Comparator.comparingInt((int[] c) -> -c[1]));
        List<SlideLevel> levels = new ArrayList<>();
        int lastWidth = Integer.MAX_VALUE;
        for (int[] c : candidates) {
            if (c[1] >= lastWidth) {
                continue;
            }
            lastWidth = c[1];
            levels.add(new SlideLevel(levels.size(), c[0], c[1], c[2], c[3], c[4], (double) baseWidth / c[1]));
        }
        return levels;
    }

    private ImageReader reader() throws IOException {
        if (reader != null) {
            return reader;
        }
        input.seek(0);
        // TwelveMonkeys handles BigTIFF, JPEG-in-TIFF and more than the JDK's plugins.
        ImageReader chosen = Images.preferredReader(ImageIO.getImageReaders(input), "com.twelvemonkeys");
        if (chosen == null) {
            throw new IOException("not a format ImageIO can read (PNG, JPEG, TIFF expected)");
        }
        input.seek(0);
        chosen.setInput(input, false, true);
        reader = chosen;
        return reader;
    }

    @Override
    public SlideInfo info() {
        return info;
    }

    /** Tiles decoded by this reader so far (cache misses); shows that a region decodes only what it needs. */
    public synchronized long tilesDecoded() {
        return tilesDecoded;
    }

    /** The underlying stream (to read its transfer counters when it is a {@link RangeImageInputStream}). */
    public ImageInputStream input() {
        return input;
    }

    // --- reading ------------------------------------------------------------------------------------------------

    @Override
    public synchronized BufferedImage readRegion(int level, int x, int y, int width, int height) throws IOException {
        checkSize(width, height);
        SlideLevel l = info.level(level);
        Rectangle wanted = new Rectangle(x, y, width, height);
        Rectangle inside = wanted.intersection(new Rectangle(0, 0, l.width(), l.height()));
        TiffDirectory dir = directories != null ? directories.get(l.imageIndex()) : null;
        if (dir != null && dir.decodable()) {
            BufferedImage out = Images.padded(null, 0, 0, width, height, BACKGROUND_RGB);
            if (!inside.isEmpty()) {
                byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
                copyTiles(dir, inside, wanted, (raw, src, dst) -> toBgr(dir, raw, src, bgr, dst));
            }
            return out;
        }
        if (inside.isEmpty()) {
            return Images.padded(null, 0, 0, width, height, BACKGROUND_RGB);
        }
        BufferedImage img = decodeImageIo(l, inside, 1);
        if (inside.equals(wanted)) {
            return img;
        }
        return Images.padded(img, inside.x - x, inside.y - y, width, height, BACKGROUND_RGB);
    }

    @Override
    public synchronized float[] readSamples(int level, int x, int y, int width, int height, int band) throws IOException {
        checkSize(width, height);
        SlideLevel l = info.level(level);
        Rectangle wanted = new Rectangle(x, y, width, height);
        Rectangle inside = wanted.intersection(new Rectangle(0, 0, l.width(), l.height()));
        float[] out = new float[width * height];
        if (inside.isEmpty()) {
            return out;
        }
        TiffDirectory dir = directories != null ? directories.get(l.imageIndex()) : null;
        if (dir != null && dir.decodable()) {
            int spp = dir.samplesPerPixel();
            if (band < 0 || band >= spp) {
                throw new IllegalArgumentException("slide " + name + " has " + spp + " bands, not " + band);
            }
            boolean floats = dir.bitsPerSample() == 32;
            copyTiles(dir, inside, wanted, (raw, src, dst) -> {
                if (floats) {
                    out[dst] = ByteBuffer.wrap(raw, src * 4, 4).order(dir.order).getFloat();
                } else {
                    out[dst] = raw[src * spp + band] & 0xff;
                }
            });
            return out;
        }
        Raster raster = decodeImageIo(l, inside, 1).getRaster();
        if (band < 0 || band >= raster.getNumBands()) {
            throw new IllegalArgumentException("slide " + name + " has " + raster.getNumBands() + " bands, not " + band);
        }
        float[] rowBuf = new float[inside.width];
        for (int r = 0; r < inside.height; r++) {
            raster.getSamples(0, r, inside.width, 1, band, rowBuf);
            System.arraycopy(rowBuf, 0, out, (inside.y - y + r) * width + (inside.x - x), inside.width);
        }
        return out;
    }

    /**
     * The whole level subsampled by an integer factor (pixel at the top-left of each factor x factor cell),
     * read in strips so peak memory is the result plus one strip (for tissue detection on slides without a
     * small enough pyramid level).
     */
    public synchronized BufferedImage readSubsampled(int level, int factor) throws IOException {
        if (factor < 1) {
            throw new IllegalArgumentException("subsampling factor must be >= 1, got " + factor);
        }
        SlideLevel l = info.level(level);
        int outW = (l.width() + factor - 1) / factor;
        int outH = (l.height() + factor - 1) / factor;
        TiffDirectory dir = directories != null ? directories.get(l.imageIndex()) : null;
        if (dir == null || !dir.decodable()) {
            return decodeImageIo(l, new Rectangle(0, 0, l.width(), l.height()), factor);
        }
        BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        int stripRows = Math.max(1, l.tileHeight() / factor) * factor;
        for (int y0 = 0; y0 < l.height(); y0 += stripRows) {
            int h = Math.min(stripRows, l.height() - y0);
            BufferedImage strip = readRegion(level, 0, y0, l.width(), h);
            byte[] src = ((DataBufferByte) strip.getRaster().getDataBuffer()).getData();
            for (int r = 0; r < h; r += factor) {
                int oy = (y0 + r) / factor;
                for (int ox = 0; ox < outW; ox++) {
                    int s = (r * l.width() + ox * factor) * 3;
                    int d = (oy * outW + ox) * 3;
                    dst[d] = src[s];
                    dst[d + 1] = src[s + 1];
                    dst[d + 2] = src[s + 2];
                }
            }
        }
        return out;
    }

    @FunctionalInterface
    private interface PixelSink {
        void accept(byte[] rawTile, int srcPixel, int dstPixel);
    }

    /** Visits every pixel of {@code inside} once, tile by tile; dst index is relative to {@code wanted}. */
    private void copyTiles(TiffDirectory dir, Rectangle inside, Rectangle wanted, PixelSink sink) throws IOException {
        int tw = dir.tileWidth();
        int th = dir.tileHeight();
        int tx0 = inside.x / tw;
        int tx1 = (inside.x + inside.width - 1) / tw;
        int ty0 = inside.y / th;
        int ty1 = (inside.y + inside.height - 1) / th;
        for (int ty = ty0; ty <= ty1; ty++) {
            for (int tx = tx0; tx <= tx1; tx++) {
                byte[] raw = tile(dir, ty * dir.tilesAcross() + tx);
                int x0 = Math.max(inside.x, tx * tw);
                int x1 = Math.min(inside.x + inside.width, (tx + 1) * tw);
                int y0 = Math.max(inside.y, ty * th);
                int y1 = Math.min(inside.y + inside.height, (ty + 1) * th);
                for (int yy = y0; yy < y1; yy++) {
                    int srcRow = (yy - ty * th) * tw - tx * tw;
                    int dstRow = (yy - wanted.y) * wanted.width - wanted.x;
                    for (int xx = x0; xx < x1; xx++) {
                        sink.accept(raw, srcRow + xx, dstRow + xx);
                    }
                }
            }
        }
    }

    private static void toBgr(TiffDirectory dir, byte[] raw, int src, byte[] bgr, int dst) {
        int spp = dir.samplesPerPixel();
        byte r;
        byte g;
        byte b;
        if (dir.bitsPerSample() == 32) {
            float v = ByteBuffer.wrap(raw, src * 4, 4).order(dir.order).getFloat();
            int q = (int) Math.max(0, Math.min(255, Math.round(v * 255)));
            r = g = b = (byte) q;
        } else if (spp >= 3) {
            r = raw[src * spp];
            g = raw[src * spp + 1];
            b = raw[src * spp + 2];
        } else {
            r = g = b = raw[src * spp];
        }
        bgr[dst * 3] = b;
        bgr[dst * 3 + 1] = g;
        bgr[dst * 3 + 2] = r;
    }

    private byte[] tile(TiffDirectory dir, int index) throws IOException {
        long key = ((long) dir.index << 40) | index;
        byte[] raw = tileCache.get(key);
        if (raw == null) {
            try {
                raw = decoder.decode(dir, index, input);
            } catch (IOException e) {
                throw new IOException("slide " + name + ": " + e.getMessage(), e);
            }
            tilesDecoded++;
            tileCache.put(key, raw);
        }
        return raw;
    }

    private BufferedImage decodeImageIo(SlideLevel l, Rectangle region, int subsampling) throws IOException {
        ImageReadParam p = reader().getDefaultReadParam();
        p.setSourceRegion(region);
        if (subsampling > 1) {
            p.setSourceSubsampling(subsampling, subsampling, 0, 0);
        }
        return reader().read(l.imageIndex(), p);
    }

    private static void checkSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("region size must be positive, got " + width + "x" + height);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (reader != null) {
            reader.dispose();
        }
        tileCache.clear();
        decoder.close();
        input.close();
    }
}
