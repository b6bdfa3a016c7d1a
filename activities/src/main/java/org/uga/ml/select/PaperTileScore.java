package org.uga.ml.select;

/**
 * The ranking score of Khalili et al.: {@code 100 * #{pixels with u > threshold * reference} + sum(u)} over the
 * scored region, with threshold 0.8. The count of "highly uncertain" pixels dominates; the sum breaks ties.
 *
 * <p>What the reference maximum is differs between the sources: the paper's code ({@code uncertainty_csv.py})
 * scores each 1024² patch against <em>that patch's own</em> maximum ({@link Reference#PATCH}); the UGA issue text
 * says "0.8 × tile max", i.e. the maximum over the whole pool tile the candidate window lies in
 * ({@link Reference#TILE}, our default). With PATCH, a window of uniformly faint uncertainty scores as high as one
 * full of strongly uncertain pixels; with TILE, windows inside one tile compete against the tile's peak, which ranks
 * the peak region of each tile first. The comparison is strict ({@code >}) as in the code, and a region whose
 * reference maximum is 0 scores 0 (the code skips all-zero patches).
 */
public final class PaperTileScore {

    /** Which maximum the threshold is relative to. */
    public enum Reference {
        /** The scored window's own maximum (the paper's code). */
        PATCH,
        /** The maximum of the whole tile the window lies in (the issue statement). */
        TILE
    }

    public static final double COUNT_WEIGHT = 100.0;

    private PaperTileScore() {
    }

    /** Score of the window [x, x+w) x [y, y+h) of a row-major map {@code tileWidth} wide, against {@code refMax}. */
    public static double score(float[] u, int tileWidth, int x, int y, int w, int h, double threshold, double refMax) {
        // compared at the map's float precision, so a pixel at exactly threshold * max is not "above" it
        float cut = (float) (threshold * refMax);
        long count = 0;
        double sum = 0;
        for (int r = y; r < y + h; r++) {
            int row = r * tileWidth;
            for (int c = x; c < x + w; c++) {
                float v = u[row + c];
                sum += v;
                if (refMax > 0 && v > cut) {
                    count++;
                }
            }
        }
        return COUNT_WEIGHT * count + sum;
    }

    /** Score of the window with the chosen reference; {@code tileMax} is only used for {@link Reference#TILE}. */
    public static double score(float[] u, int tileWidth, int x, int y, int w, int h, double threshold,
                               Reference reference, double tileMax) {
        double ref = reference == Reference.TILE ? tileMax : max(u, tileWidth, x, y, w, h);
        return score(u, tileWidth, x, y, w, h, threshold, ref);
    }

    /** Score of a whole map against its own maximum (the paper's tile score of a tile). */
    public static double scoreWhole(float[] u, int width, int height, double threshold) {
        return score(u, width, 0, 0, width, height, threshold, max(u, width, 0, 0, width, height));
    }

    public static double max(float[] u, int tileWidth, int x, int y, int w, int h) {
        double m = 0;
        for (int r = y; r < y + h; r++) {
            for (int c = x; c < x + w; c++) {
                float v = u[r * tileWidth + c];
                if (v > m) {
                    m = v;
                }
            }
        }
        return m;
    }
}
