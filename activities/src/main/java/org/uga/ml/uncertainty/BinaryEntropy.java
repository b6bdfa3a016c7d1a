package org.uga.ml.uncertainty;

/** Shared helpers for the binary (foreground/background) entropy family, natural-log units. */
final class BinaryEntropy {

    /**
     * The paper's code adds this to each member's softmax before the log (then renormalises through
     * {@code CrossEntropyLoss}'s log-softmax); we use the same value so paper-ce matches it.
     */
    static final double PAPER_EPS = 1e-8;

    private BinaryEntropy() {
    }

    /** {@code -p ln p - (1-p) ln(1-p)} with {@code 0 ln 0 = 0}; p outside [0,1] is clamped first. */
    static double entropy(double p) {
        double q = clamp01(p);
        return -xlogx(q) - xlogx(1 - q);
    }

    static double xlogx(double x) {
        return x <= 0 ? 0 : x * Math.log(x);
    }

    static double clamp01(double p) {
        if (Double.isNaN(p)) {
            throw new IllegalArgumentException("member probability is NaN");
        }
        return p < 0 ? 0 : (p > 1 ? 1 : p);
    }
}
