package org.uga.workflows.activities;

/**
 * A stored, content-addressed checkpoint. {@code modelKey} is derived from the bytes' SHA-256, so storing the same
 * weights twice is a no-op; {@code lineageKey} is the JSON lineage record next to it.
 */
public record TrainedModel(String modelKey, String parentKey, String lineageKey, int epochs, double finalLoss,
                           int trainingSamples) {
}
