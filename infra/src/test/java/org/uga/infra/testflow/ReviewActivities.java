package org.uga.infra.testflow;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface ReviewActivities {

    /** Formats the outcome; runs in the worker, outside the workflow's deterministic code. */
    String summarize(String subject, Decision decision, int threshold);
}
