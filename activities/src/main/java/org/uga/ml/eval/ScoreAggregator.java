package org.uga.ml.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects per-tile scores and pooled statistics over many tiles. "Mean" values average the per-image scores
 * (each tile counts equally); "pooled" values treat all pixels of all tiles as one image (large tiles and tiles
 * with much foreground weigh more). Per-image AUROCs that are NaN (a tile with no errors) are left out of the mean.
 * The pooled AUROC keeps every pixel's uncertainty (4 bytes + 1 flag per pixel); fine for hundreds of tiles.
 */
public final class ScoreAggregator {

    private final Map<String, SegmentationScores> perTile = new LinkedHashMap<>();
    private Metrics.Counts pooled = new Metrics.Counts(0, 0, 0, 0);
    private final Metrics.EceBins eceBins = new Metrics.EceBins();
    private final List<float[]> uncertainties = new ArrayList<>();
    private final List<boolean[]> errors = new ArrayList<>();
    private long pixels;

    /** Adds one tile; {@code uncertainty} may be null when only segmentation is scored. */
    public SegmentationScores add(String tileId, float[] probability, float[] uncertainty, byte[] truth) {
        if (perTile.containsKey(tileId)) {
            throw new IllegalArgumentException("tile " + tileId + " was already scored");
        }
        byte[] pred = Metrics.threshold(probability);
        Metrics.Counts c = Metrics.counts(pred, truth);
        pooled = pooled.plus(c);
        eceBins.add(probability, truth);
        double auroc = Double.NaN;
        if (uncertainty != null) {
            Metrics.checkLength(uncertainty.length, probability.length);
            boolean[] err = Metrics.errors(probability, truth);
            auroc = Metrics.auroc(uncertainty, err);
            uncertainties.add(uncertainty);
            errors.add(err);
            pixels += uncertainty.length;
        }
        SegmentationScores s = new SegmentationScores(Metrics.dice(c), Metrics.iou(c), Metrics.ece(probability, truth),
                auroc);
        perTile.put(tileId, s);
        return s;
    }

    public Map<String, SegmentationScores> perTile() {
        return Map.copyOf(perTile);
    }

    public int count() {
        return perTile.size();
    }

    /** Summary over all tiles added so far. */
    public AggregateScores summary() {
        double meanDice = mean(perTile.values().stream().mapToDouble(SegmentationScores::dice).toArray());
        double meanIou = mean(perTile.values().stream().mapToDouble(SegmentationScores::iou).toArray());
        double meanAuroc = mean(perTile.values().stream().mapToDouble(SegmentationScores::uncertaintyAuroc)
                .filter(d -> !Double.isNaN(d)).toArray());
        return new AggregateScores(perTile.size(), meanDice, perTile.isEmpty() ? Double.NaN : Metrics.dice(pooled),
                meanIou, perTile.isEmpty() ? Double.NaN : Metrics.iou(pooled), eceBins.ece(), pooledAuroc(), meanAuroc);
    }

    private double pooledAuroc() {
        if (pixels == 0) {
            return Double.NaN;
        }
        if (pixels > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("too many pixels for a pooled AUROC: " + pixels);
        }
        float[] u = new float[(int) pixels];
        boolean[] e = new boolean[(int) pixels];
        int off = 0;
        for (int t = 0; t < uncertainties.size(); t++) {
            System.arraycopy(uncertainties.get(t), 0, u, off, uncertainties.get(t).length);
            System.arraycopy(errors.get(t), 0, e, off, errors.get(t).length);
            off += uncertainties.get(t).length;
        }
        return Metrics.auroc(u, e);
    }

    private static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
    }

    /**
     * @param tiles             tiles scored
     * @param meanDice          mean of per-image Dice
     * @param pooledDice        Dice over all pixels of all tiles
     * @param meanIou           mean of per-image IoU
     * @param pooledIou         IoU over all pixels
     * @param pooledEce         ECE over all pixels
     * @param pooledAuroc       uncertainty-vs-error AUROC over all pixels (NaN without uncertainty or without errors)
     * @param meanAuroc         mean of the per-image AUROCs that are defined
     */
    public record AggregateScores(int tiles, double meanDice, double pooledDice, double meanIou, double pooledIou,
                                  double pooledEce, double pooledAuroc, double meanAuroc) {
    }
}
