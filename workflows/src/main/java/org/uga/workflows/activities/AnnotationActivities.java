package org.uga.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Task queue {@code uga-cpu}. */
@ActivityInterface
public interface AnnotationActivities {

    /**
     * Checks a mask object before its annotation is submitted: it exists, decodes as PNG, is binary (only 0 and one
     * foreground value) and has the expected size and SHA-256. Clients (API, CLI) call it — or the same code in
     * process — BEFORE sending update {@code submitAnnotation}; the update validator only sees workflow state.
     */
    @ActivityMethod
    MaskCheck verifyMask(MaskCheckRequest request);

    /** Records a reminder to an annotator (a notification record in the object store, and a log line). Idempotent per (campaign, cycle, annotator, number). */
    @ActivityMethod
    String sendReminder(ReminderNotice notice);
}
