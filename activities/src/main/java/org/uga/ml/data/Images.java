package org.uga.ml.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Image I/O for tiles, masks and float maps.
 *
 * <p>Pixels are read from the raster, not through {@link BufferedImage#getRGB}, because Java converts linear-gray
 * images through a colour space on that path (a gray 128 would come back as ~186). Only palette images go through
 * the colour model, since there the raster holds palette indices.
 */
public final class Images {

    /** Magic of the raw float-map format written by {@link #floatMapToBytes}: ASCII "UGAM". */
    private static final int FLOAT_MAP_MAGIC = 0x4D414755;
    private static final int FLOAT_MAP_HEADER = 12;

    private Images() {
    }

    static {
        ImageIO.setUseCache(false); // no temp files for in-memory streams
    }

    /** Reads any format javax.imageio (plus TwelveMonkeys TIFF/JPEG) understands. */
    public static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("image file not found: " + file);
        }
        BufferedImage img;
        try (InputStream in = Files.newInputStream(file)) {
            img = ImageIO.read(in);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot decode image " + file + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException("no image reader understands " + file + " (supported: PNG, TIFF, JPEG)");
        }
        return img;
    }

    public static BufferedImage read(byte[] encoded, String what) throws IOException {
        BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(encoded));
        if (img == null) {
            throw new IOException("no image reader understands " + what + " (supported: PNG, TIFF, JPEG)");
        }
        return img;
    }

    /** Reads an RGB tile (alpha dropped, gray expanded to three channels) without a mask. */
    public static Tile readTile(Path file, String id, String domain) throws IOException {
        return toTile(read(file), id, domain, file.toString());
    }

    /** Converts a decoded image to a tile: planar RGB floats in [0,1]. */
    public static Tile toTile(BufferedImage img, String id, String domain, String what) {
        int w = img.getWidth();
        int h = img.getHeight();
        int n = w * h;
        float[] rgb = new float[3 * n];
        if (img.getColorModel() instanceof IndexColorModel) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int argb = img.getRGB(x, y);
                    int i = y * w + x;
                    rgb[i] = ((argb >> 16) & 0xFF) / 255f;
                    rgb[n + i] = ((argb >> 8) & 0xFF) / 255f;
                    rgb[2 * n + i] = (argb & 0xFF) / 255f;
                }
            }
            return new Tile(id, domain, w, h, rgb, null);
        }
        Raster r = img.getRaster();
        int bands = r.getNumBands();
        int colorBands = img.getColorModel().getNumColorComponents();
        if (colorBands != 1 && colorBands != 3) {
            throw new IllegalArgumentException(what + ": unsupported image with " + colorBands + " colour components");
        }
        double[] scale = new double[bands];
        for (int b = 0; b < bands; b++) {
            scale[b] = 1.0 / ((1L << r.getSampleModel().getSampleSize(b)) - 1);
        }
        boolean floatData = r.getDataBuffer().getDataType() == java.awt.image.DataBuffer.TYPE_FLOAT
                || r.getDataBuffer().getDataType() == java.awt.image.DataBuffer.TYPE_DOUBLE;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                for (int c = 0; c < 3; c++) {
                    int band = colorBands == 1 ? 0 : c;
                    double v = floatData ? r.getSampleDouble(x, y, band) : r.getSample(x, y, band) * scale[band];
                    rgb[c * n + i] = (float) Math.min(1.0, Math.max(0.0, v));
                }
            }
        }
        return new Tile(id, domain, w, h, rgb, null);
    }

    /**
     * Reads a binary mask: 0 = background, 1 or 255 (or the bit depth's maximum) = foreground. Any other value, or a
     * mask mixing 1 and 255, is rejected with the file, the value and its pixel position.
     *
     * @return row-major {@code height * width} bytes of 0/1
     */
    public static byte[] readMask(Path file) throws IOException {
        BufferedImage img = read(file);
        return toMask(img, file.toString());
    }

    public static byte[] toMask(BufferedImage img, String what) throws IOException {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] values = new int[w * h];
        int max;
        if (img.getColorModel() instanceof IndexColorModel) {
            max = 255;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int argb = img.getRGB(x, y);
                    int r = (argb >> 16) & 0xFF;
                    if (r != ((argb >> 8) & 0xFF) || r != (argb & 0xFF)) {
                        throw new IOException("mask " + what + " has a non-gray colour at (" + x + "," + y + ")");
                    }
                    values[y * w + x] = r;
                }
            }
        } else {
            Raster r = img.getRaster();
            int colorBands = img.getColorModel().getNumColorComponents();
            max = (1 << r.getSampleModel().getSampleSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = r.getSample(x, y, 0);
                    for (int b = 1; b < colorBands; b++) {
                        if (r.getSample(x, y, b) != v) {
                            throw new IOException("mask " + what + " has a non-gray colour at (" + x + "," + y + ")");
                        }
                    }
                    values[y * w + x] = v;
                }
            }
        }
        byte[] mask = new byte[w * h];
        boolean sawOne = false;
        boolean sawMax = false;
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            if (v == 0) {
                continue;
            }
            if (v == 1) {
                sawOne = true;
            } else if (v == max) {
                sawMax = true;
            } else {
                throw new IOException("mask " + what + " is not binary: value " + v + " at (" + (i % w) + "," + (i / w)
                        + "); expected 0 and either 1 or " + max);
            }
            mask[i] = 1;
        }
        if (sawOne && sawMax && max != 1) {
            throw new IOException("mask " + what + " mixes foreground values 1 and " + max + "; expected 0/1 or 0/" + max);
        }
        return mask;
    }

    /** The tile's pixels as an 8-bit RGB image (values rounded). */
    public static BufferedImage toImage(Tile tile) {
        int w = tile.width();
        int h = tile.height();
        int n = w * h;
        float[] rgb = tile.rgb();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                row[x] = (to8(rgb[i]) << 16) | (to8(rgb[n + i]) << 8) | to8(rgb[2 * n + i]);
            }
            img.setRGB(0, y, w, 1, row, 0, w);
        }
        return img;
    }

    /** A 0/1 mask as an 8-bit gray image with 0/255. */
    public static BufferedImage maskToImage(byte[] mask, int width, int height) {
        if (mask.length != width * height) {
            throw new IllegalArgumentException("mask has " + mask.length + " values, expected " + width + "x" + height);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < mask.length; i++) {
            data[i] = mask[i] != 0 ? (byte) 255 : 0;
        }
        return img;
    }

    public static void writeTilePng(Tile tile, Path file) throws IOException {
        writePng(toImage(tile), file);
    }

    public static void writeMaskPng(byte[] mask, int width, int height, Path file) throws IOException {
        writePng(maskToImage(mask, width, height), file);
    }

    /** Heat map of a float map with the range [0, max of the map] (a zero map renders as the lowest colour). */
    public static void writeHeatMapPng(float[] map, int width, int height, Path file) throws IOException {
        writePng(heatMap(map, width, height, 0, max(map)), file);
    }

    public static void writeHeatMapPng(float[] map, int width, int height, double vmin, double vmax, Path file)
            throws IOException {
        writePng(heatMap(map, width, height, vmin, vmax), file);
    }

    /** Viridis-coloured image of {@code map}; values are scaled linearly from [vmin, vmax] and clipped. */
    public static BufferedImage heatMap(float[] map, int width, int height, double vmin, double vmax) {
        if (map.length != width * height) {
            throw new IllegalArgumentException("map has " + map.length + " values, expected " + width + "x" + height);
        }
        double span = vmax > vmin ? vmax - vmin : 1.0;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float v = map[y * width + x];
                double t = Float.isNaN(v) ? 0 : (v - vmin) / span;
                img.setRGB(x, y, viridis(t));
            }
        }
        return img;
    }

    /** 11 samples of matplotlib's viridis at t = 0, 0.1, ..., 1; linearly interpolated between them. */
    private static final int[] VIRIDIS = {
        0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C, 0x22A884, 0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725,
    };

    /** Packed RGB of the viridis colour at {@code t} (clipped to [0,1]). */
    public static int viridis(double t) {
        double c = Math.min(1.0, Math.max(0.0, t)) * (VIRIDIS.length - 1);
        int i = Math.min(VIRIDIS.length - 2, (int) c);
        double f = c - i;
        int a = VIRIDIS[i];
        int b = VIRIDIS[i + 1];
        int r = (int) Math.round(((a >> 16) & 0xFF) * (1 - f) + ((b >> 16) & 0xFF) * f);
        int g = (int) Math.round(((a >> 8) & 0xFF) * (1 - f) + ((b >> 8) & 0xFF) * f);
        int bl = (int) Math.round((a & 0xFF) * (1 - f) + (b & 0xFF) * f);
        return (r << 16) | (g << 8) | bl;
    }

    /**
     * The tile with optional overlays, for reports: a heat map blended in with {@code heatAlpha} (skipped when
     * {@code heat} is null), the outline of the ground-truth/predicted {@code mask} in yellow (skipped when null) and
     * rectangle outlines (e.g. selected patches) in {@code boxColor}.
     */
    public static BufferedImage overlay(Tile tile, float[] heat, double heatAlpha, byte[] mask, List<Rectangle> boxes,
                                        Color boxColor) {
        BufferedImage img = toImage(tile);
        int w = tile.width();
        int h = tile.height();
        if (heat != null) {
            if (heat.length != w * h) {
                throw new IllegalArgumentException("heat map has " + heat.length + " values, tile is " + w + "x" + h);
            }
            double vmax = max(heat);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int base = img.getRGB(x, y);
                    int col = viridis(vmax > 0 ? heat[y * w + x] / vmax : 0);
                    img.setRGB(x, y, blend(base, col, heatAlpha));
                }
            }
        }
        if (mask != null) {
            if (mask.length != w * h) {
                throw new IllegalArgumentException("mask has " + mask.length + " values, tile is " + w + "x" + h);
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (mask[y * w + x] != 0 && isEdge(mask, w, h, x, y)) {
                        img.setRGB(x, y, 0xFFFF00);
                    }
                }
            }
        }
        if (boxes != null && !boxes.isEmpty()) {
            Graphics2D g = img.createGraphics();
            try {
                g.setColor(boxColor == null ? Color.RED : boxColor);
                g.setStroke(new BasicStroke(Math.max(1f, Math.min(w, h) / 128f)));
                for (Rectangle r : boxes) {
                    g.drawRect(r.x, r.y, r.width - 1, r.height - 1);
                }
            } finally {
                g.dispose();
            }
        }
        return img;
    }

    private static boolean isEdge(byte[] mask, int w, int h, int x, int y) {
        return x == 0 || y == 0 || x == w - 1 || y == h - 1 || mask[y * w + x - 1] == 0 || mask[y * w + x + 1] == 0
                || mask[(y - 1) * w + x] == 0 || mask[(y + 1) * w + x] == 0;
    }

    private static int blend(int a, int b, double alpha) {
        int r = (int) Math.round(((a >> 16) & 0xFF) * (1 - alpha) + ((b >> 16) & 0xFF) * alpha);
        int g = (int) Math.round(((a >> 8) & 0xFF) * (1 - alpha) + ((b >> 8) & 0xFF) * alpha);
        int bl = (int) Math.round((a & 0xFF) * (1 - alpha) + (b & 0xFF) * alpha);
        return (r << 16) | (g << 8) | bl;
    }

    public static void writePng(BufferedImage img, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer available for " + file);
            }
        }
    }

    public static byte[] encodePng(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", out)) {
            throw new IOException("no PNG writer available");
        }
        return out.toByteArray();
    }

    /**
     * Raw float map for object storage: little-endian int32 magic "UGAM", int32 width, int32 height, then
     * {@code width * height} float32 values row-major. Lossless, unlike a heat-map PNG.
     */
    public static byte[] floatMapToBytes(float[] map, int width, int height) {
        if (map.length != width * height) {
            throw new IllegalArgumentException("map has " + map.length + " values, expected " + width + "x" + height);
        }
        ByteBuffer buf = ByteBuffer.allocate(FLOAT_MAP_HEADER + 4 * map.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(FLOAT_MAP_MAGIC).putInt(width).putInt(height);
        buf.asFloatBuffer().put(map);
        return buf.array();
    }

    /** Inverse of {@link #floatMapToBytes}. */
    public static FloatMap floatMapFromBytes(byte[] bytes) {
        if (bytes.length < FLOAT_MAP_HEADER) {
            throw new IllegalArgumentException("float map too short: " + bytes.length + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = buf.getInt();
        if (magic != FLOAT_MAP_MAGIC) {
            throw new IllegalArgumentException("not a UGA float map (bad magic 0x" + Integer.toHexString(magic) + ")");
        }
        int w = buf.getInt();
        int h = buf.getInt();
        if (w <= 0 || h <= 0 || (long) w * h * 4 != bytes.length - FLOAT_MAP_HEADER) {
            throw new IllegalArgumentException("float map header says " + w + "x" + h + " but payload has "
                    + (bytes.length - FLOAT_MAP_HEADER) + " bytes");
        }
        float[] values = new float[w * h];
        buf.asFloatBuffer().get(values);
        return new FloatMap(w, h, values);
    }

    /** A decoded float map. */
    public record FloatMap(int width, int height, float[] values) {
    }

    static int to8(float v) {
        return Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
    }

    private static double max(float[] a) {
        double m = 0;
        for (float v : a) {
            if (v > m) {
                m = v;
            }
        }
        return m;
    }
}
