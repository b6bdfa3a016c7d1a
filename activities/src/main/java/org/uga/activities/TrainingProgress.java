package org.uga.activities;

/** Heartbeat details of a training activity: epochs finished and the checkpoint stored after the last one. */
public record TrainingProgress(int completedEpochs, String checkpointKey) {
}
