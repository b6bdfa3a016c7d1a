package org.uga.ml.eval;

import java.util.Arrays;

/** Segmentation, calibration and uncertainty-quality metrics on row-major per-pixel arrays. */
public final class Metrics {

    /** Foreground when {@code p >= 0.5}. */
    public static final double THRESHOLD = 0.5;
    public static final int ECE_BINS = 10;

    private Metrics() {
    }

    /** The binary prediction {@code p >= 0.5}. */
    public static byte[] threshold(float[] probability) {
        byte[] out = new byte[probability.length];
        for (int i = 0; i < probability.length; i++) {
            out[i] = probability[i] >= THRESHOLD ? (byte) 1 : 0;
        }
        return out;
    }

    /** Dice = 2|A∩B| / (|A| + |B|); 1.0 when both masks are empty (nothing to find, nothing found). */
    public static double dice(byte[] pred, byte[] truth) {
        Counts c = counts(pred, truth);
        return dice(c);
    }

    public static double dice(float[] probability, byte[] truth) {
        return dice(threshold(probability), truth);
    }

    /** IoU = |A∩B| / |A∪B|; 1.0 when both masks are empty. */
    public static double iou(byte[] pred, byte[] truth) {
        return iou(counts(pred, truth));
    }

    static double dice(Counts c) {
        long denom = 2 * c.tp + c.fp + c.fn;
        return denom == 0 ? 1.0 : 2.0 * c.tp / denom;
    }

    static double iou(Counts c) {
        long union = c.tp + c.fp + c.fn;
        return union == 0 ? 1.0 : (double) c.tp / union;
    }

    /** True/false positives/negatives of two binary masks. */
    public record Counts(long tp, long fp, long fn, long tn) {
        Counts plus(Counts o) {
            return new Counts(tp + o.tp, fp + o.fp, fn + o.fn, tn + o.tn);
        }
    }

    public static Counts counts(byte[] pred, byte[] truth) {
        checkLength(pred.length, truth.length);
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (int i = 0; i < pred.length; i++) {
            boolean p = pred[i] != 0;
            boolean t = truth[i] != 0;
            if (p && t) {
                tp++;
            } else if (p) {
                fp++;
            } else if (t) {
                fn++;
            } else {
                tn++;
            }
        }
        return new Counts(tp, fp, fn, tn);
    }

    /**
     * Expected calibration error of the foreground probability against the 0/1 label: pixels are put in 10
     * equal-width bins by p ([0,0.1), ..., [0.9,1.0], p = 1 in the last), and ECE = sum over bins of
     * (bin share of pixels) * |mean p in bin - fraction of foreground in bin|. This is the binary reliability
     * diagram's gap, not the max-class-confidence variant.
     */
    public static double ece(float[] probability, byte[] truth) {
        EceBins bins = new EceBins();
        bins.add(probability, truth);
        return bins.ece();
    }

    /** Accumulates ECE bins over many tiles (pooled ECE). */
    public static final class EceBins {
        private final long[] count = new long[ECE_BINS];
        private final double[] sumP = new double[ECE_BINS];
        private final long[] positives = new long[ECE_BINS];

        public void add(float[] probability, byte[] truth) {
            checkLength(probability.length, truth.length);
            for (int i = 0; i < probability.length; i++) {
                double p = Math.min(1.0, Math.max(0.0, probability[i]));
                int b = Math.min(ECE_BINS - 1, (int) (p * ECE_BINS));
                count[b]++;
                sumP[b] += p;
                if (truth[i] != 0) {
                    positives[b]++;
                }
            }
        }

        public double ece() {
            long total = 0;
            for (long c : count) {
                total += c;
            }
            if (total == 0) {
                return Double.NaN;
            }
            double e = 0;
            for (int b = 0; b < ECE_BINS; b++) {
                if (count[b] > 0) {
                    e += (double) count[b] / total * Math.abs(sumP[b] / count[b] - (double) positives[b] / count[b]);
                }
            }
            return e;
        }
    }

    /** Per-pixel error of the thresholded prediction: {@code (p >= 0.5) != truth}. */
    public static boolean[] errors(float[] probability, byte[] truth) {
        checkLength(probability.length, truth.length);
        boolean[] err = new boolean[probability.length];
        for (int i = 0; i < probability.length; i++) {
            err[i] = (probability[i] >= THRESHOLD) != (truth[i] != 0);
        }
        return err;
    }

    /**
     * AUROC of uncertainty for detecting wrong pixels: the probability that a random wrong pixel has higher
     * uncertainty than a random right one, ties counting one half (Mann–Whitney U with average ranks). NaN when there
     * are no wrong pixels or no right pixels (the AUROC is undefined, not 0.5).
     */
    public static double uncertaintyAuroc(float[] uncertainty, float[] probability, byte[] truth) {
        checkLength(uncertainty.length, probability.length);
        return auroc(uncertainty, errors(probability, truth));
    }

    /** Rank-based AUROC of {@code score} for the positive class {@code label}; NaN when one class is absent. */
    public static double auroc(float[] score, boolean[] label) {
        checkLength(score.length, label.length);
        int n = score.length;
        long pos = 0;
        for (boolean b : label) {
            if (b) {
                pos++;
            }
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        // sort indices by score via packed (score bits, index) longs: fast and allocation-light for millions of pixels
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) sortableBits(score[i]) << 32) | i;
        }
        Arrays.sort(keys);
        double rankSumPos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            int bits = (int) (keys[i] >> 32);
            while (j < n && (int) (keys[j] >> 32) == bits) {
                j++;
            }
            double avgRank = (i + 1 + j) / 2.0; // ranks i+1 .. j
            for (int k = i; k < j; k++) {
                if (label[(int) keys[k]]) {
                    rankSumPos += avgRank;
                }
            }
            i = j;
        }
        double u = rankSumPos - pos * (pos + 1) / 2.0;
        return u / ((double) pos * neg);
    }

    /** Float bits remapped so signed int order equals float order (-0.0 and 0.0 tie; NaN rejected). */
    private static int sortableBits(float f) {
        if (Float.isNaN(f)) {
            throw new IllegalArgumentException("uncertainty contains NaN");
        }
        if (f == 0f) {
            f = 0f;
        }
        int b = Float.floatToIntBits(f);
        return b >= 0 ? b : b ^ 0x7FFFFFFF;
    }

    /** All four scores of one tile. */
    public static SegmentationScores score(float[] probability, float[] uncertainty, byte[] truth) {
        return new SegmentationScores(dice(probability, truth), iou(threshold(probability), truth),
                ece(probability, truth), uncertaintyAuroc(uncertainty, probability, truth));
    }

    static void checkLength(int a, int b) {
        if (a != b) {
            throw new IllegalArgumentException("arrays differ in length: " + a + " vs " + b);
        }
    }
}
