package org.uga.imaging;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A procedural H&E-like slide of any size, rendered band by band so a 16k x 16k slide streams into a tiled
 * pyramidal TIFF with memory of one band: white glass, irregular tissue islands (smooth value noise) stained
 * eosin pink with texture, and hematoxylin-purple nuclei scattered inside the tissue. Deterministic per seed,
 * so any band can be re-rendered to check what a reader returns.
 */
public final class SlideGenerator {

    private final int width;
    private final int height;
    private final long seed;
    private final double tissueScale;
    private static final int NUCLEUS_CELL = 20;
    /** Periodic lookup tables for fine texture and grain (cheap per pixel; the period is invisible at 512 px). */
    private static final int TABLE = 512;
    private final float[] textureTable = new float[TABLE * TABLE];
    private final float[] grainTable = new float[TABLE * TABLE];

    public SlideGenerator(int width, int height, long seed) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("slide size must be positive, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.seed = seed;
        // Islands a few per slide side, but never smaller than a few tiles.
        this.tissueScale = Math.max(96, Math.min(width, height) / 4.0);
        for (int y = 0; y < TABLE; y++) {
            for (int x = 0; x < TABLE; x++) {
                textureTable[y * TABLE + x] = (float) (periodicNoise(x / 8.0, y / 8.0, TABLE / 8) - 0.5);
                grainTable[y * TABLE + x] = (float) (hash01(x, y, 7) - 0.5);
            }
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Writes the slide as a tiled pyramidal RGB TIFF; returns the file. */
    public Path writeTiff(Path file, int tileSize, TiledTiffWriter.Compression compression) throws IOException {
        TiledTiffWriter.Spec spec = TiledTiffWriter.Spec.rgb(width, height, tileSize).withCompression(compression)
                .withDescription("UGA generated H&E-like slide seed=" + seed);
        try (TiledTiffWriter w = TiledTiffWriter.create(file, spec)) {
            for (int y = 0; y < height; y += tileSize) {
                int rows = Math.min(tileSize, height - y);
                w.writeRows(renderRows(y, rows), rows);
            }
            w.finish();
        }
        return file;
    }

    /** Interleaved RGB of rows {@code [y0, y0 + rows)}, full width. */
    public byte[] renderRows(int y0, int rows) {
        byte[] out = new byte[width * rows * 3];
        float[] tissue = new float[width];
        for (int r = 0; r < rows; r++) {
            int y = y0 + r;
            // The tissue field is smooth over >= 96 px: sample every 8 px and interpolate.
            for (int x0 = 0; x0 < width; x0 += 8) {
                float a = tissueField(x0, y);
                float b = tissueField(Math.min(x0 + 8, width - 1 + 8), y);
                for (int k = 0; k < 8 && x0 + k < width; k++) {
                    tissue[x0 + k] = a + (b - a) * k / 8f;
                }
            }
            int ty = (y & (TABLE - 1)) * TABLE;
            for (int x = 0; x < width; x++) {
                int i = (r * width + x) * 3;
                float t = tissue[x];
                int tx = x & (TABLE - 1);
                double grain = grainTable[ty + tx];
                if (t < 0.5f) {
                    // glass: near white, slightly noisy
                    int v = clamp((int) (242 + 6 * grain));
                    out[i] = (byte) v;
                    out[i + 1] = (byte) v;
                    out[i + 2] = (byte) clamp(v + 1);
                    continue;
                }
                double edge = Math.min(1.0, (t - 0.5) * 8); // fade in at island borders
                double texture = textureTable[ty + tx];
                double rr = 232 + 14 * texture + 5 * grain;
                double gg = 150 + 30 * texture + 5 * grain;
                double bb = 195 + 12 * texture + 5 * grain;
                out[i] = (byte) clamp((int) (242 + (rr - 242) * edge));
                out[i + 1] = (byte) clamp((int) (242 + (gg - 242) * edge));
                out[i + 2] = (byte) clamp((int) (243 + (bb - 243) * edge));
            }
        }
        drawNuclei(out, y0, rows);
        return out;
    }

    private void drawNuclei(byte[] out, int y0, int rows) {
        int maxR = 8;
        int cy0 = Math.max(0, (y0 - maxR) / NUCLEUS_CELL);
        int cy1 = (y0 + rows + maxR) / NUCLEUS_CELL;
        int cellsAcross = (width + NUCLEUS_CELL - 1) / NUCLEUS_CELL;
        for (int cy = cy0; cy <= cy1; cy++) {
            for (int cx = 0; cx < cellsAcross; cx++) {
                if (hash01(cx, cy, 11) > 0.55) {
                    continue;
                }
                double ncx = (cx + 0.2 + 0.6 * hash01(cx, cy, 12)) * NUCLEUS_CELL;
                double ncy = (cy + 0.2 + 0.6 * hash01(cx, cy, 13)) * NUCLEUS_CELL;
                if (ncx >= width || ncy >= height || tissueField((int) ncx, (int) ncy) < 0.56f) {
                    continue;
                }
                double ra = 4 + 4 * hash01(cx, cy, 14);
                double rb = ra * (0.6 + 0.4 * hash01(cx, cy, 15));
                double angle = Math.PI * hash01(cx, cy, 16);
                double cos = Math.cos(angle);
                double sin = Math.sin(angle);
                double shade = hash01(cx, cy, 17);
                int yFrom = Math.max(y0, (int) Math.floor(ncy - ra));
                int yTo = Math.min(y0 + rows - 1, (int) Math.ceil(ncy + ra));
                int xFrom = Math.max(0, (int) Math.floor(ncx - ra));
                int xTo = Math.min(width - 1, (int) Math.ceil(ncx + ra));
                for (int y = yFrom; y <= yTo; y++) {
                    for (int x = xFrom; x <= xTo; x++) {
                        double dx = x + 0.5 - ncx;
                        double dy = y + 0.5 - ncy;
                        double u = (dx * cos + dy * sin) / ra;
                        double v = (-dx * sin + dy * cos) / rb;
                        if (u * u + v * v > 1) {
                            continue;
                        }
                        int i = ((y - y0) * width + x) * 3;
                        double g = hash01(x, y, 18) - 0.5;
                        out[i] = (byte) clamp((int) (70 + 40 * shade + 12 * g));
                        out[i + 1] = (byte) clamp((int) (45 + 30 * shade + 12 * g));
                        out[i + 2] = (byte) clamp((int) (130 + 40 * shade + 12 * g));
                    }
                }
            }
        }
    }

    /** Smooth field in [0,1]; tissue where it exceeds 0.5. */
    float tissueField(int x, int y) {
        double fx = x / tissueScale;
        double fy = y / tissueScale;
        double v = 0.65 * valueNoise(fx, fy, 1) + 0.35 * valueNoise(fx * 2.7, fy * 2.7, 2);
        return (float) v;
    }

    /** Value noise whose lattice wraps every {@code period} cells, so the lookup table tiles seamlessly. */
    private double periodicNoise(double fx, double fy, int period) {
        int ix = (int) Math.floor(fx);
        int iy = (int) Math.floor(fy);
        double tx = fx - ix;
        double ty = fy - iy;
        tx = tx * tx * (3 - 2 * tx);
        ty = ty * ty * (3 - 2 * ty);
        int x0 = Math.floorMod(ix, period);
        int y0 = Math.floorMod(iy, period);
        int x1 = (x0 + 1) % period;
        int y1 = (y0 + 1) % period;
        double a = hash01(x0, y0, 3);
        double b = hash01(x1, y0, 3);
        double c = hash01(x0, y1, 3);
        double d = hash01(x1, y1, 3);
        double top = a + (b - a) * tx;
        return top + ((c + (d - c) * tx) - top) * ty;
    }

    private double valueNoise(double fx, double fy, int octaveSalt) {
        int ix = (int) Math.floor(fx);
        int iy = (int) Math.floor(fy);
        double tx = fx - ix;
        double ty = fy - iy;
        tx = tx * tx * (3 - 2 * tx);
        ty = ty * ty * (3 - 2 * ty);
        double a = hash01(ix, iy, octaveSalt);
        double b = hash01(ix + 1, iy, octaveSalt);
        double c = hash01(ix, iy + 1, octaveSalt);
        double d = hash01(ix + 1, iy + 1, octaveSalt);
        return (a + (b - a) * tx) + ((c + (d - c) * tx) - (a + (b - a) * tx)) * ty;
    }

    private double hash01(int x, int y, int salt) {
        long z = seed * 0x9E3779B97F4A7C15L + x * 0xBF58476D1CE4E5B9L + y * 0x94D049BB133111EBL + salt * 0x2545F4914F6CDD1DL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
