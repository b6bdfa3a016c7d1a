package org.uga.ml.uncertainty;

/**
 * {@code paper-ce}: the uncertainty of Khalili et al. (2024): for each pixel, the mean over the K members of the
 * cross-entropy between the ensemble mean (as the soft target) and member k (as the prediction):
 * <pre>
 *   u = (1/K) sum_k  -[ m ln q_k + (1 - m) ln(1 - q_k) ],   m = mean_k p_k,   q_k = (p_k + eps) / (1 + 2 eps)
 * </pre>
 * This follows their {@code softmax_list_and_mean_to_uncertainty}: {@code CrossEntropyLoss(reduction='none')} with
 * input {@code log(softmax_k + 1e-8)} and the mean softmax as a probability target; the loss's own log-softmax turns
 * {@code p + eps} into {@code (p + eps) / (1 + 2 eps)} for two classes, reproduced here with eps = 1e-8.
 *
 * <p>It equals {@code H(m) + mean_k KL(m || p_k)}: total uncertainty (entropy of the mean) plus a disagreement
 * term, so unlike {@code entropy} it is not bounded by ln 2 — confident members that contradict each other give up
 * to about {@code 0.5 * ln(1/eps) ≈ 9.2} nats. (The paper then stores {@code clip(u, 0, 4) / 4 * 255} as 8-bit;
 * we keep the float value.)
 */
public final class PaperCrossEntropy implements UncertaintyMeasure {

    public static final String NAME = "paper-ce";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public float[] compute(MemberPredictions predictions) {
        float[] mean = predictions.mean();
        float[][] members = predictions.members();
        int k = members.length;
        double eps = BinaryEntropy.PAPER_EPS;
        double norm = 1 + 2 * eps;
        float[] out = new float[mean.length];
        for (int i = 0; i < mean.length; i++) {
            double m = BinaryEntropy.clamp01(mean[i]);
            double sum = 0;
            for (float[] member : members) {
                double p = BinaryEntropy.clamp01(member[i]);
                double lq = Math.log((p + eps) / norm);
                double l1q = Math.log((1 - p + eps) / norm);
                sum += -(m * lq + (1 - m) * l1q);
            }
            out[i] = (float) (sum / k);
        }
        return out;
    }
}
