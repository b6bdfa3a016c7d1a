package org.uga.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Task queue {@code uga-cpu}. */
@ActivityInterface
public interface ValidationActivities {

    /** Dice of a model on the campaign's held-out validation tiles. Pure function of (model, tiles): safe to retry. */
    @ActivityMethod
    ValidationResult validateModel(ValidationRequest request);
}
