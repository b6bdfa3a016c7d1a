package org.uga.ml.data;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Procedural H&amp;E-like tiles with exact nucleus masks, for demos, tests and the domain-shift experiment when no
 * real data is at hand.
 *
 * <p>A tile is built as two stain-concentration maps: eosin for the stroma (wavy fibres, coarse density variation)
 * and hematoxylin for the nuclei (ellipses of varied size, eccentricity and orientation, some clustered and touching,
 * with chromatin texture, a darker rim and nucleoli; some pale vesicular ones) plus a faint counterstain. Some
 * tiles have white background areas (lumen / slide glass), red blood cells or pale hematoxylin-tinted debris that are
 * not nuclei, so a plain colour threshold does not solve the task. (Measured: the best hematoxylin-OD threshold on
 * 20 central 256² tiles gives Dice 0.95; the same threshold on 20 local tiles 0.66.) The concentrations are mixed in optical-density space with the Ruifrok–Johnston stain
 * vectors and turned into RGB with Beer–Lambert ({@code I = I0 * 10^-OD}). The mask is the union of the ellipses,
 * tested at pixel centres, so it is exact by construction.
 *
 * <p>A {@link StainShift} models a different scanner/lab: rotated stain vectors, stronger/weaker stains, another
 * illumination, more optical blur. Everything is a pure function of the seed: the same arguments give the same
 * pixels on every machine ({@link Random} and {@link StrictMath} only, no platform-dependent intrinsics), and the
 * result is quantised to 8 bits so a dataset written to PNG reads back identical.
 */
public final class HeGenerator {

    public static final String CENTRAL = "central";
    public static final String LOCAL = "local";
    private static final double LN10 = Math.log(10);

    private HeGenerator() {
    }

    /**
     * A scanner/stain shift applied when rendering.
     *
     * @param rotationDegrees   rotation of both stain vectors about the gray axis in OD space (a hue shift)
     * @param hematoxylinScale  multiplier on hematoxylin concentration (&lt;1 = paler nuclei)
     * @param eosinScale        multiplier on eosin concentration (&gt;1 = darker stroma)
     * @param brightness        illumination I0 (1 = nominal; &lt;1 darker, &gt;1 washed out, clipped at white)
     * @param blurSigma         extra Gaussian blur in pixels (defocus / lower optical resolution)
     */
    public record StainShift(double rotationDegrees, double hematoxylinScale, double eosinScale, double brightness,
                             double blurSigma) {

        /** No shift: the "central" lab. */
        public static final StainShift NONE = new StainShift(0, 1, 1, 1, 0);

        /**
         * The default "local" lab: stain vectors rotated 20°, nuclei 30% paler, eosin 35% stronger, 6% dimmer
         * illumination and 1.1 px extra blur. Chosen so the tiles look clearly different (mean colour, contrast
         * between nuclei and stroma) while nuclei stay visible to a human.
         */
        public static final StainShift LOCAL_DEFAULT = new StainShift(20, 0.7, 1.35, 0.94, 1.1);

        public StainShift {
            if (!(hematoxylinScale > 0) || !(eosinScale > 0) || !(brightness > 0 && brightness <= 2)
                    || !(blurSigma >= 0 && blurSigma <= 10) || !Double.isFinite(rotationDegrees)) {
                throw new IllegalArgumentException("invalid stain shift " + this
                        + ": scales must be > 0, brightness in (0,2], blur in [0,10]");
            }
        }

        /** The preset for a domain name: {@link #NONE} for "central", {@link #LOCAL_DEFAULT} for "local". */
        public static StainShift forDomain(String domain) {
            return switch (domain) {
                case CENTRAL -> NONE;
                case LOCAL -> LOCAL_DEFAULT;
                default -> throw new IllegalArgumentException("no preset stain shift for domain '" + domain
                        + "'; known: central, local");
            };
        }
    }

    /**
     * {@code n} tiles of {@code w x h}, ids {@code <domain>-0000 ...}. Tile i depends only on (seed, domain, i), so a
     * larger {@code n} extends a smaller one.
     */
    public static Dataset generate(int n, int w, int h, String domain, StainShift shift, long seed) {
        if (n < 0 || w < 16 || h < 16) {
            throw new IllegalArgumentException("need n >= 0 and tiles of at least 16x16, got n=" + n + " " + w + "x" + h);
        }
        List<Tile> tiles = new ArrayList<>(n);
        long domainHash = domain.hashCode(); // String.hashCode is specified, so stable across JVMs
        for (int i = 0; i < n; i++) {
            long tileSeed = mix64(mix64(seed) ^ mix64(domainHash + 0x632BE59BD9B4E019L) ^ (i * 0x9E3779B97F4A7C15L));
            tiles.add(generateTile(String.format(Locale.ROOT, "%s-%04d", domain, i), domain, w, h, shift, tileSeed));
        }
        return new Dataset("synthetic-" + domain, tiles);
    }

    /** Central tiles with {@link StainShift#NONE} and local tiles with {@link StainShift#LOCAL_DEFAULT}. */
    public static Dataset generateCentralAndLocal(int central, int local, int w, int h, long seed) {
        Dataset c = generate(central, w, h, CENTRAL, StainShift.NONE, seed);
        Dataset l = generate(local, w, h, LOCAL, StainShift.LOCAL_DEFAULT, seed);
        return c.concat(l, "synthetic-he");
    }

    /** One tile from its own seed. */
    public static Tile generateTile(String id, String domain, int w, int h, StainShift shift, long tileSeed) {
        Random rng = new Random(tileSeed);
        int n = w * h;
        double[] hem = new double[n];
        double[] eos = new double[n];
        byte[] mask = new byte[n];

        // Tissue vs white background (lumen, glass): threshold a smooth field at a random quantile.
        double[] tissue = new double[n];
        Arrays.fill(tissue, 1.0);
        if (rng.nextDouble() < 0.55) {
            double frac = 0.05 + 0.25 * rng.nextDouble();
            ValueNoise field = new ValueNoise(rng, w, h, Math.max(w, h) / 3.0);
            double[] f = new double[n];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    f[y * w + x] = field.fractal(x, y, 3);
                }
            }
            double[] sorted = f.clone();
            Arrays.sort(sorted);
            double t = sorted[(int) ((1 - frac) * (n - 1))];
            for (int i = 0; i < n; i++) {
                tissue[i] = 1 - smoothstep(t - 0.03, t + 0.03, f[i]);
            }
        }

        // Stroma: eosin fibres (wavy sinusoids along two nearby directions) on a coarse density field.
        double eBase = 0.2 + 0.22 * rng.nextDouble();
        double theta = rng.nextDouble() * Math.PI;
        double theta2 = theta + (rng.nextDouble() - 0.5);
        double period = 5 + 4 * rng.nextDouble();
        ValueNoise warp = new ValueNoise(rng, w, h, 18);
        ValueNoise coarse = new ValueNoise(rng, w, h, 40);
        ValueNoise fine = new ValueNoise(rng, w, h, 3);
        double hCounter = 0.04 + 0.05 * rng.nextDouble();
        double c1 = StrictMath.cos(theta);
        double s1 = StrictMath.sin(theta);
        double c2 = StrictMath.cos(theta2);
        double s2 = StrictMath.sin(theta2);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double wv = warp.fractal(x, y, 2);
                double u1 = x * c1 + y * s1;
                double u2 = x * c2 + y * s2;
                double f1 = 0.5 + 0.5 * StrictMath.sin(2 * Math.PI * (u1 / period + 3.0 * wv));
                double f2 = 0.5 + 0.5 * StrictMath.sin(2 * Math.PI * (u2 / (period * 1.7) + 4.0 * wv));
                double c = coarse.fractal(x, y, 2);
                // fibres come in bundles: their contrast follows the coarse field
                double fibre = (0.65 * f1 * f1 + 0.35 * f2 * f2) * smoothstep(0.3, 0.7, c);
                double density = 0.6 + 0.8 * c;
                int i = y * w + x;
                eos[i] = eBase * density * (0.55 + 0.6 * fibre + 0.3 * (fine.at(x, y) - 0.5));
                hem[i] = hCounter * (0.7 + 0.6 * fine.at(x + 7, y + 3));
            }
        }

        // Nuclei.
        double density = 4 + 10 * rng.nextDouble(); // per 10k pixels
        int target = (int) Math.round(density * n / 10000.0);
        int clusters = 1 + rng.nextInt(4);
        double[][] centres = new double[clusters][2];
        for (double[] c : centres) {
            c[0] = rng.nextDouble() * w;
            c[1] = rng.nextDouble() * h;
        }
        ValueNoise chromatin = new ValueNoise(rng, w, h, 2.2);
        List<double[]> placed = new ArrayList<>(); // cx, cy, mean radius
        double[] nucleusH = new double[n];
        int attempts = 0;
        while (placed.size() < target && attempts < target * 40) {
            attempts++;
            double cx;
            double cy;
            if (rng.nextDouble() < 0.5) {
                double[] c = centres[rng.nextInt(clusters)];
                cx = c[0] + rng.nextGaussian() * w / 10.0;
                cy = c[1] + rng.nextGaussian() * h / 10.0;
            } else {
                cx = rng.nextDouble() * w;
                cy = rng.nextDouble() * h;
            }
            if (cx < 0 || cy < 0 || cx >= w || cy >= h || tissue[(int) cy * w + (int) cx] < 0.7) {
                continue;
            }
            boolean lymphocyte = rng.nextDouble() < 0.25;
            double a = lymphocyte ? 3.5 + 1.5 * rng.nextDouble() : 6 + 6 * rng.nextDouble();
            double b = a * (lymphocyte ? 0.85 + 0.15 * rng.nextDouble() : 0.45 + 0.5 * rng.nextDouble());
            double r = (a + b) / 2;
            boolean free = true;
            for (double[] p : placed) {
                double d = StrictMath.hypot(p[0] - cx, p[1] - cy);
                if (d < 0.75 * (p[2] + r)) { // touching and slight overlap allowed, no nucleus inside another
                    free = false;
                    break;
                }
            }
            if (!free) {
                continue;
            }
            placed.add(new double[] {cx, cy, r});
            double angle = rng.nextDouble() * Math.PI;
            // vesicular nuclei: pale, chromatin pushed to the membrane (hard cases for a model)
            boolean vesicular = !lymphocyte && rng.nextDouble() < 0.3;
            double hBase = lymphocyte ? 1.1 + 0.4 * rng.nextDouble()
                    : vesicular ? 0.3 + 0.25 * rng.nextDouble() : 0.55 + 0.55 * rng.nextDouble();
            double rimWeight = vesicular ? 1.2 : 0.3;
            int nucleoli = !lymphocyte && a > 8 ? 1 + rng.nextInt(2) : 0;
            double[][] spots = new double[nucleoli][];
            for (int k = 0; k < nucleoli; k++) {
                double sr = 0.5 * rng.nextDouble();
                double sa = rng.nextDouble() * 2 * Math.PI;
                spots[k] = new double[] {cx + sr * a * StrictMath.cos(sa + angle), cy + sr * b * StrictMath.sin(sa + angle)};
            }
            NucleusPainter.paint(cx, cy, a, b, angle, hBase, rimWeight, spots, chromatin::at, 0, 0, w, h, nucleusH, mask);
        }
        addConfounders(rng, w, h, tissue, mask, hem, eos);
        for (int i = 0; i < n; i++) {
            if (nucleusH[i] > 0) {
                hem[i] = Math.max(hem[i], nucleusH[i]);
                eos[i] *= mask[i] != 0 ? 0.35 : 0.8;
            }
        }

        // Compose: per-tile stain variation, the domain's shift, Beer–Lambert.
        StainVectors stains = StainVectors.RUIFROK.rotatedAboutGray(shift.rotationDegrees());
        double hScale = shift.hematoxylinScale() * (0.9 + 0.2 * rng.nextDouble());
        double eScale = shift.eosinScale() * (0.85 + 0.3 * rng.nextDouble());
        float[] rgb = new float[3 * n];
        double[] od = new double[3];
        for (int i = 0; i < n; i++) {
            double t = tissue[i];
            double cH = (hem[i] * t + 0.01) * hScale;
            double cE = (eos[i] * t + 0.015) * eScale;
            stains.od(cH, cE, 0.01 * rng.nextGaussian(), od);
            for (int c = 0; c < 3; c++) {
                double o = od[c] + 0.012 * rng.nextGaussian();
                rgb[c * n + i] = (float) Math.min(1.0, shift.brightness() * StrictMath.exp(-o * LN10));
            }
        }
        // A little optics blur everywhere, more for a shifted scanner.
        double sigma = Math.sqrt(0.45 * 0.45 + shift.blurSigma() * shift.blurSigma());
        for (int c = 0; c < 3; c++) {
            gaussianBlur(rgb, c * n, w, h, sigma);
        }
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = Images.to8(rgb[i]) / 255f;
        }
        return new Tile(id, domain, w, h, rgb, mask);
    }

    /**
     * Things that are not nuclei but could fool a colour threshold: red blood cells (small dense eosin discs) and
     * hematoxylin-tinted debris/mucus (irregular pale-blue patches). Never drawn over nuclei, never in the mask.
     */
    private static void addConfounders(Random rng, int w, int h, double[] tissue, byte[] mask, double[] hem,
                                       double[] eos) {
        int n = w * h;
        int cells = rng.nextDouble() < 0.5 ? 0 : (int) Math.round(rng.nextDouble() * n / 2000.0);
        for (int k = 0; k < cells; k++) {
            double cx = rng.nextDouble() * w;
            double cy = rng.nextDouble() * h;
            double r = 2.5 + 1.5 * rng.nextDouble();
            double dense = 1.0 + 0.6 * rng.nextDouble();
            for (int y = Math.max(0, (int) (cy - r - 1)); y <= Math.min(h - 1, (int) (cy + r + 1)); y++) {
                for (int x = Math.max(0, (int) (cx - r - 1)); x <= Math.min(w - 1, (int) (cx + r + 1)); x++) {
                    int i = y * w + x;
                    double d = StrictMath.hypot(x + 0.5 - cx, y + 0.5 - cy) / r;
                    if (d <= 1 && mask[i] == 0) {
                        eos[i] = Math.max(eos[i], dense * (0.8 + 0.2 * d)); // biconcave: paler centre
                        tissue[i] = Math.max(tissue[i], 1.0);
                    }
                }
            }
        }
        if (rng.nextDouble() < 0.5) {
            ValueNoise debris = new ValueNoise(rng, w, h, 9);
            double level = 0.25 + 0.25 * rng.nextDouble();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    double v = debris.fractal(x, y, 2);
                    if (v > 0.72 && mask[i] == 0) {
                        hem[i] = Math.max(hem[i], level * smoothstep(0.72, 0.8, v));
                    }
                }
            }
        }
    }

    /**
     * Writes {@code images/<id>.png}, {@code masks/<id>.png} (0/255) and {@code manifest.csv} with the same columns
     * as the real dsb2018-he set: id,width,height,nuclei,foreground_fraction,mean_r,mean_g,mean_b,domain.
     */
    public static void writeDataset(Dataset dataset, Path dir) throws IOException {
        Files.createDirectories(dir.resolve("images"));
        Files.createDirectories(dir.resolve("masks"));
        try (Writer out = Files.newBufferedWriter(dir.resolve("manifest.csv"), StandardCharsets.UTF_8)) {
            out.write("id,width,height,nuclei,foreground_fraction,mean_r,mean_g,mean_b,domain\n");
            for (Tile t : dataset.tiles()) {
                if (!t.id().matches("[A-Za-z0-9._-]+")) {
                    throw new IllegalArgumentException("tile id '" + t.id() + "' is not a safe file name");
                }
                Images.writeTilePng(t, dir.resolve("images").resolve(t.id() + ".png"));
                int nuclei = 0;
                double fg = 0;
                if (t.hasMask()) {
                    Images.writeMaskPng(t.mask(), t.width(), t.height(), dir.resolve("masks").resolve(t.id() + ".png"));
                    nuclei = MaskStats.components(t.mask(), t.width(), t.height());
                    fg = MaskStats.foregroundFraction(t.mask());
                }
                double[] mean = MaskStats.meanRgb255(t);
                out.write(String.format(Locale.ROOT, "%s,%d,%d,%d,%.4f,%.1f,%.1f,%.1f,%s%n", t.id(), t.width(),
                        t.height(), nuclei, fg, mean[0], mean[1], mean[2], t.domain()));
            }
        }
    }

    /** In-place separable Gaussian blur of one plane starting at {@code off}; edges are clamped. */
    static void gaussianBlur(float[] data, int off, int w, int h, double sigma) {
        if (sigma <= 0.05) {
            return;
        }
        int radius = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = StrictMath.exp(-(i * i) / (2 * sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        float[] tmp = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int j = -radius; j <= radius; j++) {
                    int xx = Math.min(w - 1, Math.max(0, x + j));
                    acc += k[j + radius] * data[off + y * w + xx];
                }
                tmp[y * w + x] = (float) acc;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int j = -radius; j <= radius; j++) {
                    int yy = Math.min(h - 1, Math.max(0, y + j));
                    acc += k[j + radius] * tmp[yy * w + x];
                }
                data[off + y * w + x] = (float) acc;
            }
        }
    }

    private static double smoothstep(double e0, double e1, double x) {
        double t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
        return t * t * (3 - 2 * t);
    }

    /** SplitMix64 finaliser: spreads seeds so neighbouring seeds give unrelated tiles. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Smooth value noise in [0,1]: random values on a lattice of the given spacing, smoothstep-interpolated. */
    static final class ValueNoise {
        private final double[] grid;
        private final int gw;
        private final int gh;
        private final double spacing;

        ValueNoise(Random rng, int w, int h, double spacing) {
            this.spacing = spacing;
            // lattice for the base octave plus the small offsets callers add; finer octaves of fractal() wrap
            // around it (floorMod), which only repeats a pattern that is already random-looking at that scale
            this.gw = (int) Math.ceil((w + 16) / spacing) + 3;
            this.gh = (int) Math.ceil((h + 16) / spacing) + 3;
            this.grid = new double[gw * gh];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = rng.nextDouble();
            }
        }

        double at(double x, double y) {
            return sample(x / spacing, y / spacing);
        }

        /** Sum of {@code octaves} octaves (halving spacing, halving amplitude), normalised to [0,1]. */
        double fractal(double x, double y, int octaves) {
            double sum = 0;
            double amp = 1;
            double norm = 0;
            double f = 1 / spacing;
            for (int o = 0; o < octaves; o++) {
                sum += amp * sample(x * f + 17.3 * o, y * f + 5.9 * o);
                norm += amp;
                amp *= 0.5;
                f *= 2;
            }
            return sum / norm;
        }

        private double sample(double gx, double gy) {
            int ix = (int) Math.floor(gx);
            int iy = (int) Math.floor(gy);
            double fx = gx - ix;
            double fy = gy - iy;
            fx = fx * fx * (3 - 2 * fx);
            fy = fy * fy * (3 - 2 * fy);
            double v00 = g(ix, iy);
            double v10 = g(ix + 1, iy);
            double v01 = g(ix, iy + 1);
            double v11 = g(ix + 1, iy + 1);
            return (v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy;
        }

        private double g(int x, int y) {
            int xx = Math.floorMod(x, gw);
            int yy = Math.floorMod(y, gh);
            return grid[yy * gw + xx];
        }
    }
}
