package org.uga.ml.data;

/** Small statistics of masks and tiles, used for manifests and reports. */
public final class MaskStats {

    private MaskStats() {
    }

    /** Number of 8-connected foreground components (touching nuclei count as one, as in a semantic mask). */
    public static int components(byte[] mask, int w, int h) {
        int[] label = new int[w * h];
        int[] stack = new int[w * h];
        int count = 0;
        for (int start = 0; start < mask.length; start++) {
            if (mask[start] == 0 || label[start] != 0) {
                continue;
            }
            count++;
            int sp = 0;
            stack[sp++] = start;
            label[start] = count;
            while (sp > 0) {
                int p = stack[--sp];
                int px = p % w;
                int py = p / w;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int x = px + dx;
                        int y = py + dy;
                        if (x < 0 || y < 0 || x >= w || y >= h) {
                            continue;
                        }
                        int q = y * w + x;
                        if (mask[q] != 0 && label[q] == 0) {
                            label[q] = count;
                            stack[sp++] = q;
                        }
                    }
                }
            }
        }
        return count;
    }

    public static double foregroundFraction(byte[] mask) {
        long fg = 0;
        for (byte b : mask) {
            if (b != 0) {
                fg++;
            }
        }
        return mask.length == 0 ? 0 : (double) fg / mask.length;
    }

    /** Mean R, G, B of a tile on the 0..255 scale. */
    public static double[] meanRgb255(Tile t) {
        int n = t.pixels();
        double[] mean = new double[3];
        float[] rgb = t.rgb();
        for (int c = 0; c < 3; c++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += rgb[c * n + i];
            }
            mean[c] = 255.0 * s / n;
        }
        return mean;
    }
}
