package org.uga.ml.uncertainty;

/**
 * {@code variance}: population variance (divided by K, not K-1) of the members' foreground probabilities
 * (0 .. 0.25).
 */
public final class PredictiveVariance implements UncertaintyMeasure {

    public static final String NAME = "variance";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[] compute(MemberPredictions predictions) {
        float[][] members = predictions.members();
        int n = predictions.width() * predictions.height();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double mean = 0;
            for (float[] m : members) {
                mean += m[i];
            }
            mean /= members.length;
            double var = 0;
            for (float[] m : members) {
                double d = m[i] - mean;
                var += d * d;
            }
            out[i] = (float) (var / members.length);
        }
        return out;
    }
}
