package org.uga.workflows.model;

import java.time.Instant;

/**
 * One clinician mask for one patch, sent as update {@code submitAnnotation} to workflow id {@code campaignId}.
 * The mask PNG must already be in the object store at {@code maskKey} (and checked with
 * AnnotationActivities.verifyMask / the API) before the update is sent, so an accepted annotation is never lost.
 *
 * @param annotationId client-chosen unique id; resending the same id returns the first result (idempotent)
 * @param maskSha256   lower-case hex SHA-256 of the mask object's bytes
 * @param width        mask width in pixels; must equal the patch width
 * @param height       mask height in pixels; must equal the patch height
 * @param note         optional free text from the annotator
 */
public record AnnotationSubmission(String annotationId, String campaignId, int cycle, String patchId, String annotator,
                                   String maskKey, String maskSha256, int width, int height, Instant submittedAt,
                                   String note) {
}
