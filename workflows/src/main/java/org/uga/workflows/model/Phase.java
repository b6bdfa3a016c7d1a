package org.uga.workflows.model;

/** Where a campaign is. COMPLETED, CANCELLED and FAILED are final. */
public enum Phase {
    INITIALIZING, SCORING, SELECTING, ANNOTATING, FINE_TUNING, VALIDATING, PAUSED, COMPLETED, CANCELLED, FAILED
}
