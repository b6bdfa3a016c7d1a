package org.uga.ml.uncertainty;

/**
 * {@code entropy}: binary entropy of the ensemble-mean foreground probability, in nats (0 .. ln 2). Total
 * predictive uncertainty; high both where members agree on 0.5 and where they disagree.
 */
public final class PredictiveEntropy implements UncertaintyMeasure {

    public static final String NAME = "entropy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[] compute(MemberPredictions predictions) {
        float[] mean = predictions.mean();
        float[] out = new float[mean.length];
        for (int i = 0; i < mean.length; i++) {
            out[i] = (float) BinaryEntropy.entropy(mean[i]);
        }
        return out;
    }
}
