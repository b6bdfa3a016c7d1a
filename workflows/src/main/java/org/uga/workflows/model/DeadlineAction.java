package org.uga.workflows.model;

/** What a campaign does with patches still unannotated at their deadline. */
public enum DeadlineAction {
    /** Close the cycle and fine-tune on what was received (no fine-tuning when nothing was received). */
    PROCEED_WITH_RECEIVED,
    /** Give each overdue patch to the next annotator with a fresh deadline (up to maxReassignments times per patch), then proceed. */
    REASSIGN,
    /** Mark overdue and pause the campaign until the coordinator resumes, extends the deadline or reassigns. */
    PAUSE
}
