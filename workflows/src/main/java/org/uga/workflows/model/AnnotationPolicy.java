package org.uga.workflows.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Deadlines of the annotation step.
 *
 * @param annotationTimeout how long an annotator has for a patch (also the fresh deadline after a reassignment)
 * @param reminderInterval  a reminder goes to each annotator with open patches every interval after assignment,
 *                          while before the deadline (null or zero = no reminders)
 * @param deadlineAction    what happens to unannotated patches at the deadline
 * @param maxReassignments  with REASSIGN: how often one patch may move on before the cycle proceeds without it
 */
public record AnnotationPolicy(Duration annotationTimeout, Duration reminderInterval, DeadlineAction deadlineAction,
                               int maxReassignments) {

    public boolean remindersEnabled() {
        return reminderInterval != null && !reminderInterval.isZero() && !reminderInterval.isNegative();
    }

    List<String> problems() {
        List<String> p = new ArrayList<>();
        if (annotationTimeout == null || annotationTimeout.isZero() || annotationTimeout.isNegative()) {
            p.add("annotationPolicy.annotationTimeout must be a positive duration, got " + annotationTimeout);
        }
        if (reminderInterval != null && reminderInterval.isNegative()) {
            p.add("annotationPolicy.reminderInterval must not be negative, got " + reminderInterval);
        }
        if (deadlineAction == null) {
            p.add("annotationPolicy.deadlineAction is required (PROCEED_WITH_RECEIVED, REASSIGN or PAUSE)");
        }
        if (maxReassignments < 0) {
            p.add("annotationPolicy.maxReassignments must be >= 0, got " + maxReassignments);
        }
        return p;
    }
}
