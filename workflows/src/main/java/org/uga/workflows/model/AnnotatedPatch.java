package org.uga.workflows.model;

/** An accepted annotation with the patch geometry it belongs to: the unit of fine-tuning data. */
public record AnnotatedPatch(String annotationId, int cycle, String patchId, String imageId, int x, int y, int w, int h,
                             String maskKey, String maskSha256, String annotator) {
}
