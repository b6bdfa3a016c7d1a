package org.uga.ml.train;

import org.uga.ml.model.SegmentationModel;

/**
 * Reported after every epoch. {@code model} is the live model in its current (not necessarily best) state: a
 * listener may call {@code model.toBytes()} to checkpoint, but must not close or train it.
 *
 * @param valDice mean Dice on the validation tiles, NaN when there are none
 */
public record EpochProgress(int epoch, int maxEpochs, double loss, double valDice, double bestValDice, int bestEpoch,
                            long millis, SegmentationModel model) {
}
