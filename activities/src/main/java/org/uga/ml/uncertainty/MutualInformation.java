package org.uga.ml.uncertainty;

/**
 * {@code bald}: mutual information between prediction and model (Houlsby et al.'s BALD): entropy of the mean minus
 * the mean of the member entropies, in nats (0 .. ln 2). Only member disagreement (epistemic uncertainty) counts:
 * members that all say 0.5 give 0.
 */
public final class MutualInformation implements UncertaintyMeasure {

    public static final String NAME = "bald";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[] compute(MemberPredictions predictions) {
        float[] mean = predictions.mean();
        float[][] members = predictions.members();
        float[] out = new float[mean.length];
        for (int i = 0; i < mean.length; i++) {
            double memberEntropy = 0;
            for (float[] member : members) {
                memberEntropy += BinaryEntropy.entropy(member[i]);
            }
            double mi = BinaryEntropy.entropy(mean[i]) - memberEntropy / members.length;
            out[i] = (float) Math.max(0, mi); // rounding can give -1e-9 where members agree
        }
        return out;
    }
}
