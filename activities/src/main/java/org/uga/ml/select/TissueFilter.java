package org.uga.ml.select;

import org.uga.ml.data.Tile;

/**
 * Drops background and dark regions before ranking, with the HSV rules of Khalili et al.'s code (OpenCV 8-bit HSV,
 * here on the 0..1 scale):
 * <ul>
 *   <li>a pixel is <b>white</b> (glass, lumen, fat) when saturation &le; 30/255 and value &ge; 230/255;</li>
 *   <li>a pixel is <b>dark</b> (pen marks, folds, out-of-slide black) when value &le; 30/255;</li>
 *   <li>a region is dropped when more than 30% of its pixels are white or more than 40% are dark.</li>
 * </ul>
 * The paper's code keeps white-heavy patches where the model segments the target class (tumour); for nuclei almost
 * every tissue patch contains predicted foreground, so that exemption would switch the white rule off and is left
 * out. Thresholds are record components so a deployment can tune them.
 *
 * @param whiteMaxSaturation  saturation at or below which a bright pixel counts as white
 * @param whiteMinValue       value at or above which a low-saturation pixel counts as white
 * @param darkMaxValue        value at or below which a pixel counts as dark
 * @param maxWhiteFraction    drop a region with more white pixels than this fraction
 * @param maxDarkFraction     drop a region with more dark pixels than this fraction
 */
public record TissueFilter(double whiteMaxSaturation, double whiteMinValue, double darkMaxValue,
                           double maxWhiteFraction, double maxDarkFraction) {

    /** The paper's thresholds. */
    public static final TissueFilter PAPER = new TissueFilter(30 / 255.0, 230 / 255.0, 30 / 255.0, 0.30, 0.40);

    /** Keeps everything (for tests and for data known to be all tissue). */
    public static final TissueFilter NONE = new TissueFilter(0, 2, -1, 1, 1);

    public TissueFilter {
        if (maxWhiteFraction < 0 || maxWhiteFraction > 1 || maxDarkFraction < 0 || maxDarkFraction > 1) {
            throw new IllegalArgumentException("tissue filter fractions must be in [0,1]: " + this);
        }
    }

    /** Per-pixel white/dark flags of a tile with summed-area tables, so any window is checked in O(1). */
    public Prepared prepare(Tile tile) {
        int w = tile.width();
        int h = tile.height();
        int n = w * h;
        float[] rgb = tile.rgb();
        int[] white = new int[(w + 1) * (h + 1)];
        int[] dark = new int[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            int rowWhite = 0;
            int rowDark = 0;
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                float r = rgb[i];
                float g = rgb[n + i];
                float b = rgb[2 * n + i];
                float max = Math.max(r, Math.max(g, b));
                float min = Math.min(r, Math.min(g, b));
                double sat = max <= 0 ? 0 : (max - min) / max;
                if (sat <= whiteMaxSaturation + 1e-9 && max >= whiteMinValue - 1e-9) {
                    rowWhite++;
                }
                if (max <= darkMaxValue + 1e-9) {
                    rowDark++;
                }
                int s = (y + 1) * (w + 1) + (x + 1);
                white[s] = white[s - (w + 1)] + rowWhite;
                dark[s] = dark[s - (w + 1)] + rowDark;
            }
        }
        return new Prepared(this, w, white, dark);
    }

    /** Whether the whole tile passes. */
    public boolean keepTile(Tile tile) {
        return prepare(tile).keep(0, 0, tile.width(), tile.height());
    }

    /** A tile's white/dark flags, ready for window queries. */
    public static final class Prepared {
        private final TissueFilter filter;
        private final int stride;
        private final int[] white;
        private final int[] dark;

        private Prepared(TissueFilter filter, int width, int[] white, int[] dark) {
            this.filter = filter;
            this.stride = width + 1;
            this.white = white;
            this.dark = dark;
        }

        public double whiteFraction(int x, int y, int w, int h) {
            return sum(white, x, y, w, h) / (double) (w * h);
        }

        public double darkFraction(int x, int y, int w, int h) {
            return sum(dark, x, y, w, h) / (double) (w * h);
        }

        public boolean keep(int x, int y, int w, int h) {
            return whiteFraction(x, y, w, h) <= filter.maxWhiteFraction()
                    && darkFraction(x, y, w, h) <= filter.maxDarkFraction();
        }

        private int sum(int[] t, int x, int y, int w, int h) {
            return t[(y + h) * stride + x + w] - t[y * stride + x + w] - t[(y + h) * stride + x] + t[y * stride + x];
        }
    }
}
