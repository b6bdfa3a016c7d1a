package org.uga.ml.data;

import java.util.Random;

/**
 * Training-time augmentation of tiles (pixels and mask move together). All randomness comes from the caller's
 * {@link Random}, so a seeded generator gives the same sequence of augmented tiles.
 *
 * <p>Colour jitter works in HED space (Tellez et al., 2018): RGB is converted to optical density, unmixed into
 * hematoxylin/eosin/residual concentrations with the Ruifrok–Johnston vectors, each concentration is scaled by
 * {@code U(1-s, 1+s)} and shifted by {@code U(-s, s)}, and the result is mixed back. This mimics stain variation
 * between labs better than RGB jitter.
 */
public final class Augment {

    /**
     * @param cropWidth   width of the random crop (0 = no crop)
     * @param cropHeight  height of the random crop (0 = no crop)
     * @param flips       random horizontal and vertical flips
     * @param rotations   random multiples of 90° (only when the result keeps the crop's shape, i.e. square crops)
     * @param hedSigma    strength of the HED jitter (0 = none; 0.05 is light)
     */
    public record Config(int cropWidth, int cropHeight, boolean flips, boolean rotations, double hedSigma) {

        public Config {
            if (cropWidth < 0 || cropHeight < 0 || (cropWidth == 0) != (cropHeight == 0) || hedSigma < 0 || hedSigma >= 1) {
                throw new IllegalArgumentException("invalid augmentation config " + this);
            }
        }

        /** Square crops of {@code size}, flips, rotations and light HED jitter (0.05). */
        public static Config standard(int size) {
            return new Config(size, size, true, true, 0.05);
        }
    }

    private Augment() {
    }

    /** Crop, flip, rotate and jitter as configured. */
    public static Tile apply(Tile tile, Config cfg, Random rng) {
        Tile t = tile;
        if (cfg.cropWidth() > 0) {
            t = randomCrop(t, Math.min(cfg.cropWidth(), t.width()), Math.min(cfg.cropHeight(), t.height()), rng);
        }
        if (cfg.flips()) {
            if (rng.nextBoolean()) {
                t = flipHorizontal(t);
            }
            if (rng.nextBoolean()) {
                t = flipVertical(t);
            }
        }
        if (cfg.rotations()) {
            int k = rng.nextInt(4);
            if (t.width() == t.height() || k % 2 == 0) {
                t = rotate90(t, k);
            }
        }
        if (cfg.hedSigma() > 0) {
            t = hedJitter(t, cfg.hedSigma(), rng);
        }
        return t;
    }

    /** A uniformly placed {@code w x h} window. */
    public static Tile randomCrop(Tile t, int w, int h, Random rng) {
        if (w > t.width() || h > t.height()) {
            throw new IllegalArgumentException("crop " + w + "x" + h + " larger than tile " + t.id() + " " + t.width() + "x"
                    + t.height());
        }
        int x = rng.nextInt(t.width() - w + 1);
        int y = rng.nextInt(t.height() - h + 1);
        return t.crop(x, y, w, h);
    }

    public static Tile flipHorizontal(Tile t) {
        return remap(t, t.width(), t.height(), (x, y) -> y * t.width() + (t.width() - 1 - x));
    }

    public static Tile flipVertical(Tile t) {
        return remap(t, t.width(), t.height(), (x, y) -> (t.height() - 1 - y) * t.width() + x);
    }

    /** Rotates by {@code k * 90°} counter-clockwise (k taken mod 4); odd k swaps width and height. */
    public static Tile rotate90(Tile t, int k) {
        int kk = Math.floorMod(k, 4);
        int w = t.width();
        int h = t.height();
        return switch (kk) {
            case 0 -> t;
            // output (x, y) of a CCW rotation reads source (w-1-y, x); output is h wide, w tall
            case 1 -> remap(t, h, w, (x, y) -> x * w + (w - 1 - y));
            case 2 -> remap(t, w, h, (x, y) -> (h - 1 - y) * w + (w - 1 - x));
            default -> remap(t, h, w, (x, y) -> (h - 1 - x) * w + y);
        };
    }

    /** Random HED-space scaling/shifting of the stain concentrations, see the class comment. */
    public static Tile hedJitter(Tile t, double sigma, Random rng) {
        StainVectors s = StainVectors.RUIFROK;
        double[] inv = s.inverse();
        double[] alpha = new double[3];
        double[] beta = new double[3];
        for (int j = 0; j < 3; j++) {
            alpha[j] = 1 + sigma * (2 * rng.nextDouble() - 1);
            beta[j] = sigma * (2 * rng.nextDouble() - 1);
        }
        int n = t.pixels();
        float[] in = t.rgb();
        float[] out = new float[3 * n];
        double[] od = new double[3];
        double[] conc = new double[3];
        double[] back = new double[3];
        double minI = 1.0 / 255; // avoid log(0) on black pixels
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                od[c] = -Math.log10(Math.max(minI, in[c * n + i]));
            }
            for (int j = 0; j < 3; j++) {
                conc[j] = (od[0] * inv[j] + od[1] * inv[3 + j] + od[2] * inv[6 + j]) * alpha[j] + beta[j];
            }
            s.od(Math.max(0, conc[0]), Math.max(0, conc[1]), conc[2], back);
            for (int c = 0; c < 3; c++) {
                out[c * n + i] = (float) Math.min(1.0, Math.max(0.0, Math.pow(10, -back[c])));
            }
        }
        return new Tile(t.id(), t.domain(), t.width(), t.height(), out, t.mask());
    }

    private interface SourceIndex {
        int at(int x, int y);
    }

    private static Tile remap(Tile t, int ow, int oh, SourceIndex src) {
        int n = ow * oh;
        int sn = t.pixels();
        float[] rgb = t.rgb();
        float[] out = new float[3 * n];
        byte[] mask = t.mask();
        byte[] m = mask == null ? null : new byte[n];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int s = src.at(x, y);
                int d = y * ow + x;
                out[d] = rgb[s];
                out[n + d] = rgb[sn + s];
                out[2 * n + d] = rgb[2 * sn + s];
                if (m != null) {
                    m[d] = mask[s];
                }
            }
        }
        return new Tile(t.id(), t.domain(), ow, oh, out, m);
    }
}
