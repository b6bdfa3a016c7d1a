package org.uga.workflows.model;

/** The answer to an accepted {@code submitAnnotation} update (rejections are update failures with a reason). */
public record AnnotationResult(String annotationId, Status status, int cycle, String patchId, String message) {

    public enum Status {
        /** Recorded in the campaign; the patch is SUBMITTED. */
        ACCEPTED
    }
}
