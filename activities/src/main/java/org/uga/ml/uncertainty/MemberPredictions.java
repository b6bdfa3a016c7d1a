package org.uga.ml.uncertainty;

/**
 * K foreground-probability maps of one tile, one per ensemble member, MC-dropout pass or TTA view
 * (already mapped back to the original orientation). Each map is row-major {@code height * width}.
 */
public record MemberPredictions(int width, int height, float[][] members) {

    public MemberPredictions {
        if (members == null || members.length == 0) {
            throw new IllegalArgumentException("at least one member prediction is required");
        }
        for (float[] m : members) {
            if (m.length != width * height) {
                throw new IllegalArgumentException("member map has " + m.length + " values, expected " + width + "x" + height);
            }
        }
    }

    public int size() {
        return members.length;
    }

    /** The ensemble mean foreground probability per pixel. */
    public float[] mean() {
        int n = width * height;
        float[] mean = new float[n];
        for (float[] m : members) {
            for (int i = 0; i < n; i++) {
                mean[i] += m[i];
            }
        }
        for (int i = 0; i < n; i++) {
            mean[i] /= members.length;
        }
        return mean;
    }
}
