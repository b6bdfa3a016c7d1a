package org.uga.ml.train;

import java.util.Objects;

/**
 * Where to continue an interrupted run: the checkpoint saved after {@code completedEpochs} epochs (e.g. from an
 * activity heartbeat). Epochs after it sample the same crops and dropout masks as an uninterrupted run (both are
 * seeded per epoch); Adam's moment estimates restart from zero.
 */
public record Resume(byte[] checkpoint, int completedEpochs) {

    public Resume {
        Objects.requireNonNull(checkpoint, "checkpoint");
        if (completedEpochs < 0) {
            throw new IllegalArgumentException("completedEpochs must be >= 0, got " + completedEpochs);
        }
    }
}
