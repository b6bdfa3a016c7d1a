package org.uga.imaging;

import java.io.IOException;
import java.nio.file.Path;
import org.uga.ml.data.HeGenerator.StainShift;
import org.uga.ml.data.NucleusPainter;
import org.uga.ml.data.StainVectors;

/**
 * A procedural H&E-like slide of any size, rendered band by band so a 16k x 16k slide streams into a tiled
 * pyramidal TIFF with memory of one band. It uses the tile generator's stain model and nucleus painter
 * ({@link org.uga.ml.data.HeGenerator}, {@link NucleusPainter}): hematoxylin and eosin concentrations composed
 * through the Ruifrok–Johnston stain vectors and Beer–Lambert, optionally with a scanner/stain shift (a "local"
 * slide), on white glass with irregular tissue islands. Every quantity is a function of the pixel position and
 * the seed (hashed value noise; nuclei from a hashed cell grid), never of the band, so any band can be
 * re-rendered to check what a reader returns, and {@link #renderMaskRows} gives the nuclei's ground truth.
 */
public final class SlideGenerator {

    private static final int NUCLEUS_CELL = 20;
    /** Largest nucleus semi-axis; with the painter's halo it bounds how far a cell's nucleus reaches. */
    private static final double MAX_AXIS = 9;
    /** Periodic lookup tables for texture (cheap per pixel; the period is invisible at 512 px). */
    private static final int TABLE = 512;
    /** Beer–Lambert lookup: OD in [0, OD_MAX) at 1/OD_STEPS resolution. */
    private static final int OD_STEPS = 1024;
    private static final double OD_MAX = 4;

    private final int width;
    private final int height;
    private final long seed;
    private final StainShift shift;
    private final double tissueScale;
    private final float[] fineTable = new float[TABLE * TABLE];
    private final float[] coarseTable = new float[TABLE * TABLE];
    private final float[] grainTable = new float[TABLE * TABLE];
    private final StainVectors stains;
    private final double hScale;
    private final double eScale;
    private final double eBase;
    private final double hBackground;
    private final byte[] odToByte = new byte[(int) (OD_MAX * OD_STEPS) + 1];

    /** A slide in the central lab's stain ({@link StainShift#NONE}). */
    public SlideGenerator(int width, int height, long seed) {
        this(width, height, seed, StainShift.NONE);
    }

    /** A slide with a stain/scanner shift (e.g. {@link StainShift#LOCAL_DEFAULT}); blur is not applied to slides. */
    public SlideGenerator(int width, int height, long seed, StainShift shift) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("slide size must be positive, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.seed = seed;
        this.shift = java.util.Objects.requireNonNull(shift, "shift");
        // Islands a few per slide side, but never smaller than a few tiles.
        this.tissueScale = Math.max(96, Math.min(width, height) / 4.0);
        for (int y = 0; y < TABLE; y++) {
            for (int x = 0; x < TABLE; x++) {
                fineTable[y * TABLE + x] = (float) periodicNoise(x / 4.0, y / 4.0, TABLE / 4, 3);
                coarseTable[y * TABLE + x] = (float) periodicNoise(x / 32.0, y / 32.0, TABLE / 32, 4);
                grainTable[y * TABLE + x] = (float) (hash01(x, y, 7) - 0.5);
            }
        }
        // Per-slide stain variation, as the tile generator varies it per tile.
        this.stains = StainVectors.RUIFROK.rotatedAboutGray(shift.rotationDegrees());
        this.hScale = shift.hematoxylinScale() * (0.9 + 0.2 * hash01(0, 0, 40));
        this.eScale = shift.eosinScale() * (0.85 + 0.3 * hash01(0, 0, 41));
        this.eBase = 0.2 + 0.22 * hash01(0, 0, 42);
        this.hBackground = 0.04 + 0.05 * hash01(0, 0, 43);
        for (int i = 0; i < odToByte.length; i++) {
            double v = shift.brightness() * Math.exp(-(i / (double) OD_STEPS) * Math.log(10));
            odToByte[i] = (byte) Math.max(0, Math.min(255, Math.round(v * 255)));
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public StainShift shift() {
        return shift;
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
        checkRows(y0, rows);
        int n = width * rows;
        double[] hem = new double[n];
        byte[] mask = new byte[n];
        paintNuclei(y0, rows, hem, mask);
        byte[] out = new byte[n * 3];
        float[] tissue = new float[width];
        double[] od = new double[3];
        for (int r = 0; r < rows; r++) {
            int y = y0 + r;
            tissueRow(y, tissue);
            int ty = (y & (TABLE - 1)) * TABLE;
            for (int x = 0; x < width; x++) {
                int i = r * width + x;
                int tx = ty + (x & (TABLE - 1));
                // Tissue presence fades in over the island border; glass keeps the stains' faint baseline.
                double t = Math.max(0, Math.min(1, (tissue[x] - 0.5) * 8));
                double coarse = coarseTable[tx];
                double fine = fineTable[tx];
                double fibre = fine * fine * smoothstep(0.3, 0.7, coarse);
                double eos = eBase * (0.6 + 0.8 * coarse) * (0.55 + 0.6 * fibre + 0.3 * (fine - 0.5));
                double h = hBackground * (0.7 + 0.6 * fineTable[(tx + 7 * TABLE + 3) & (TABLE * TABLE - 1)]);
                if (hem[i] > 0) {
                    h = Math.max(h, hem[i]);
                    eos *= mask[i] != 0 ? 0.35 : 0.8;
                    t = Math.max(t, mask[i]);
                }
                double grain = grainTable[tx];
                stains.od((h * t + 0.01) * hScale, (eos * t + 0.015) * eScale, 0.01 * grain, od);
                for (int c = 0; c < 3; c++) {
                    double o = od[c] + 0.012 * grainTable[(tx + 97 * c) & (TABLE * TABLE - 1)];
                    int k = (int) (Math.max(0, Math.min(OD_MAX, o)) * OD_STEPS);
                    out[i * 3 + c] = odToByte[k];
                }
            }
        }
        return out;
    }

    /** The nuclei's ground-truth mask (0/1) of rows {@code [y0, y0 + rows)}, full width. */
    public byte[] renderMaskRows(int y0, int rows) {
        checkRows(y0, rows);
        byte[] mask = new byte[width * rows];
        paintNuclei(y0, rows, new double[width * rows], mask);
        return mask;
    }

    private void checkRows(int y0, int rows) {
        if (y0 < 0 || rows <= 0 || y0 + rows > height) {
            throw new IllegalArgumentException("rows [" + y0 + ", " + (y0 + rows) + ") outside the slide's " + height);
        }
    }

    /** Nuclei of every grid cell whose nucleus can reach the band, clipped to it. */
    private void paintNuclei(int y0, int rows, double[] hem, byte[] mask) {
        int reach = NucleusPainter.reach(MAX_AXIS) + NUCLEUS_CELL;
        int cy0 = Math.max(0, (y0 - reach) / NUCLEUS_CELL);
        int cy1 = (y0 + rows + reach) / NUCLEUS_CELL;
        int cellsAcross = (width + NUCLEUS_CELL - 1) / NUCLEUS_CELL;
        NucleusPainter.Texture chromatin = (x, y) -> valueNoise(x / 2.2, y / 2.2, 31);
        for (int cy = cy0; cy <= cy1; cy++) {
            for (int cx = 0; cx < cellsAcross; cx++) {
                if (hash01(cx, cy, 11) > 0.5) {
                    continue;
                }
                double ncx = (cx + 0.2 + 0.6 * hash01(cx, cy, 12)) * NUCLEUS_CELL;
                double ncy = (cy + 0.2 + 0.6 * hash01(cx, cy, 13)) * NUCLEUS_CELL;
                if (ncx >= width || ncy >= height || tissueField((int) ncx, (int) ncy) < 0.56f) {
                    continue;
                }
                // The tile generator's nucleus types: lymphocytes (small, round, dark), vesicular (pale, rimmed)
                // and ordinary epithelial nuclei, sized to the slide's cell grid.
                double kind = hash01(cx, cy, 14);
                boolean lymphocyte = kind < 0.25;
                boolean vesicular = !lymphocyte && kind > 0.75;
                double a = lymphocyte ? 3.5 + 1.5 * hash01(cx, cy, 15) : 5 + (MAX_AXIS - 5) * hash01(cx, cy, 15);
                double b = a * (lymphocyte ? 0.85 + 0.15 * hash01(cx, cy, 16) : 0.5 + 0.45 * hash01(cx, cy, 16));
                double angle = Math.PI * hash01(cx, cy, 17);
                double hBase = lymphocyte ? 1.1 + 0.4 * hash01(cx, cy, 18)
                        : vesicular ? 0.3 + 0.25 * hash01(cx, cy, 18) : 0.55 + 0.55 * hash01(cx, cy, 18);
                double[][] spots = new double[!lymphocyte && a > 7 ? 1 : 0][];
                for (int k = 0; k < spots.length; k++) {
                    double sr = 0.5 * hash01(cx, cy, 19);
                    double sa = 2 * Math.PI * hash01(cx, cy, 20);
                    spots[k] = new double[] {ncx + sr * a * Math.cos(sa + angle), ncy + sr * b * Math.sin(sa + angle)};
                }
                NucleusPainter.paint(ncx, ncy, a, b, angle, hBase, vesicular ? 1.2 : 0.3, spots, chromatin,
                        0, y0, width, rows, hem, mask);
            }
        }
    }

    /** The tissue field of row {@code y}; smooth over >= 96 px, so sampled every 8 px and interpolated. */
    private void tissueRow(int y, float[] tissue) {
        for (int x0 = 0; x0 < width; x0 += 8) {
            float a = tissueField(x0, y);
            float b = tissueField(x0 + 8, y);
            for (int k = 0; k < 8 && x0 + k < width; k++) {
                tissue[x0 + k] = a + (b - a) * k / 8f;
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

    private static double smoothstep(double e0, double e1, double x) {
        double t = Math.max(0, Math.min(1, (x - e0) / (e1 - e0)));
        return t * t * (3 - 2 * t);
    }

    /** Value noise whose lattice wraps every {@code period} cells, so the lookup table tiles seamlessly. */
    private double periodicNoise(double fx, double fy, int period, int salt) {
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
        double a = hash01(x0, y0, salt);
        double b = hash01(x1, y0, salt);
        double c = hash01(x0, y1, salt);
        double d = hash01(x1, y1, salt);
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
}
