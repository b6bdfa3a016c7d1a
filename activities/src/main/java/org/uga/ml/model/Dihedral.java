package org.uga.ml.model;

import org.uga.ml.data.Tile;

/**
 * The 8 symmetries of a rectangle grid: {@code k & 3} clockwise quarter turns, then a horizontal flip when
 * {@code k >= 4}. Used for training augmentation and test-time augmentation (maps are transformed back with
 * {@link #invert}). Odd turns swap width and height.
 */
public final class Dihedral {

    public static final int COUNT = 8;

    private Dihedral() {
    }

    /** Width of the image after transform {@code k}. */
    public static int width(int w, int h, int k) {
        return (k & 1) == 0 ? w : h;
    }

    public static int height(int w, int h, int k) {
        return (k & 1) == 0 ? h : w;
    }

    /** For each output pixel (row-major, transformed size), the row-major index of the source pixel. */
    static int[] sourceIndex(int w, int h, int k) {
        check(k);
        int[] idx = new int[w * h];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        int cw = w;
        int ch = h;
        for (int r = 0; r < (k & 3); r++) {
            // Clockwise turn: the output is ch wide and cw high; out(x', y') = in(y', ch - 1 - x').
            int[] next = new int[idx.length];
            int nw = ch;
            int nh = cw;
            for (int y = 0; y < nh; y++) {
                for (int x = 0; x < nw; x++) {
                    next[y * nw + x] = idx[(ch - 1 - x) * cw + y];
                }
            }
            idx = next;
            cw = nw;
            ch = nh;
        }
        if (k >= 4) {
            int[] next = new int[idx.length];
            for (int y = 0; y < ch; y++) {
                for (int x = 0; x < cw; x++) {
                    next[y * cw + x] = idx[y * cw + (cw - 1 - x)];
                }
            }
            idx = next;
        }
        return idx;
    }

    /** Transforms a row-major plane of size w x h. */
    public static float[] apply(float[] plane, int w, int h, int k) {
        int[] src = sourceIndex(w, h, k);
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = plane[src[i]];
        }
        return out;
    }

    /** Undoes {@link #apply}: {@code plane} has the transformed size; the result has the original w x h. */
    public static float[] invert(float[] plane, int w, int h, int k) {
        int[] src = sourceIndex(w, h, k);
        float[] out = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            out[src[i]] = plane[i];
        }
        return out;
    }

    /** The tile (all channels and the mask, if any) under transform {@code k}; the id is kept. */
    public static Tile apply(Tile t, int k) {
        if (k == 0) {
            return t;
        }
        int w = t.width();
        int h = t.height();
        int[] src = sourceIndex(w, h, k);
        int n = w * h;
        float[] rgb = new float[3 * n];
        for (int c = 0; c < 3; c++) {
            int off = c * n;
            for (int i = 0; i < n; i++) {
                rgb[off + i] = t.rgb()[off + src[i]];
            }
        }
        byte[] mask = null;
        if (t.mask() != null) {
            mask = new byte[n];
            for (int i = 0; i < n; i++) {
                mask[i] = t.mask()[src[i]];
            }
        }
        return new Tile(t.id(), t.domain(), width(w, h, k), height(w, h, k), rgb, mask);
    }

    private static void check(int k) {
        if (k < 0 || k >= COUNT) {
            throw new IllegalArgumentException("dihedral transform index must be in [0, 8), got " + k);
        }
    }
}
