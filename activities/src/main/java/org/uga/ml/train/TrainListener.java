package org.uga.ml.train;

/** Progress callback (heartbeats in activities, progress lines in the CLI). */
@FunctionalInterface
public interface TrainListener {

    TrainListener NONE = p -> { };

    void onEpoch(EpochProgress progress);
}
