package org.uga.ml.eval;

/**
 * Scores of one tile (or pooled over many).
 *
 * @param dice              Dice of the thresholded prediction (p &ge; 0.5) against the mask; 1 when both are empty
 * @param iou               intersection over union, same conventions
 * @param ece               expected calibration error of the foreground probability, 10 equal-width bins
 * @param uncertaintyAuroc  AUROC of uncertainty as a detector of wrong pixels; NaN when all pixels are right (or
 *                          all wrong)
 */
public record SegmentationScores(double dice, double iou, double ece, double uncertaintyAuroc) {
}
