package org.uga.workflows.model;

/** The annotation state of one selected patch. SUBMITTED and SKIPPED are final; OVERDUE may be reopened by extendDeadline/reassignPatch. */
public enum PatchState {
    ASSIGNED, SUBMITTED, SKIPPED, OVERDUE
}
