package org.uga.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** Task queue {@code uga-cpu}. */
@ActivityInterface
public interface SelectionActivities {

    /**
     * Ranks candidate patches with the campaign's strategy, picks at most {@code budget} non-overlapping ones and
     * stores, per patch, the image, the current model's binary prediction and the uncertainty heat map as PNGs.
     * Deterministic for a seed, so a retry picks the same patches and overwrites identical objects.
     */
    @ActivityMethod
    List<PatchDescriptor> selectPatches(SelectionRequest request);
}
