package org.uga.ml.select;

/**
 * @param budget        how many patches to return
 * @param patchSize     side of a square patch in pixels (clamped to the tile size)
 * @param stride        step between candidate patches (patchSize/2 gives overlapping candidates, NMS removes overlap)
 * @param threshold     the paper's "high uncertainty" fraction of the tile maximum (0.8)
 * @param seed          for random and tie-breaking
 */
public record SelectionParams(int budget, int patchSize, int stride, double threshold, long seed) {

    public SelectionParams {
        if (budget < 0 || patchSize <= 0 || stride <= 0) {
            throw new IllegalArgumentException("budget >= 0, patchSize > 0 and stride > 0 are required");
        }
    }

    public static SelectionParams of(int budget, int patchSize, long seed) {
        return new SelectionParams(budget, patchSize, Math.max(1, patchSize / 2), 0.8, seed);
    }
}
