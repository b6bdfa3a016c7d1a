package org.uga.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Task queue {@code uga-gpu}. */
@ActivityInterface
public interface ScoringActivities {

    /**
     * Uncertainty maps for every tile with the given model, stored in the object store. Heartbeats after each tile
     * with the number of finished tiles; a retried attempt resumes from the heartbeat details and skips tiles whose
     * map already exists (maps are keyed by campaign, cycle, model and tile, so reruns are idempotent).
     */
    @ActivityMethod
    ScoringResult scoreTiles(ScoringRequest request);
}
