package org.uga.ml.train;

import java.util.List;
import org.uga.ml.model.SegmentationModel;

/**
 * The trained model (restored to its best validation epoch when there was a validation set) and its history.
 * The caller owns {@code model} and must close it.
 *
 * @param startEpoch epochs already done before this run (non-zero when resumed)
 */
public record TrainResult(SegmentationModel model, int startEpoch, int epochsRun, int bestEpoch, double bestValDice,
                          boolean stoppedEarly, List<EpochStats> history) {

    public TrainResult {
        history = List.copyOf(history);
    }

    public double lastLoss() {
        return history.isEmpty() ? Double.NaN : history.get(history.size() - 1).loss();
    }
}
