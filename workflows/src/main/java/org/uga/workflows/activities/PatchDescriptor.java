package org.uga.workflows.activities;

/**
 * A selected patch and its stored artefacts (PNG images): the patch itself, the current model's binary
 * prediction for it, and its uncertainty heat map. {@code patchId} is unique within the campaign.
 */
public record PatchDescriptor(String patchId, String imageId, int x, int y, int w, int h, double score,
                              String imageKey, String predictionKey, String uncertaintyKey) {
}
