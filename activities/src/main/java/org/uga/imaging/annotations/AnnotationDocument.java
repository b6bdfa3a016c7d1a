package org.uga.imaging.annotations;

import java.util.List;

/**
 * What an annotation file held: its format, the annotations, and notes about objects that were skipped on
 * purpose (points, lines, rulers: nothing that covers an area).
 */
public record AnnotationDocument(AnnotationFormat format, List<Annotation> annotations, List<String> warnings) {

    public AnnotationDocument {
        annotations = List.copyOf(annotations);
        warnings = List.copyOf(warnings);
    }
}
