package org.uga.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Task queue {@code uga-gpu}. At most one training per GPU at a time. */
@ActivityInterface
public interface TrainingActivities {

    /**
     * Fine-tunes the parent on the annotations (plus replay). Heartbeats with the finished epoch; checkpoints after
     * each epoch under a key derived from the request, so a retried attempt resumes from its last checkpoint.
     * Stores the result content-addressed with its lineage (parent, annotation ids, config).
     */
    @ActivityMethod
    TrainedModel fineTune(FineTuneRequest request);

    /** Trains the campaign's first model from central data; same heartbeating, resume and storage as fineTune. */
    @ActivityMethod
    TrainedModel trainInitialModel(InitialTrainingRequest request);
}
