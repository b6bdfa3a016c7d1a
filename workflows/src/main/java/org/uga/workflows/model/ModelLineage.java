package org.uga.workflows.model;

import java.util.List;

/**
 * Where a model came from. {@code parentKey} is null for the initial model; {@code annotationIds} are the
 * annotations added in the fine-tuning that produced it; {@code dice} is its validation Dice (null until validated).
 */
public record ModelLineage(String modelKey, String parentKey, int cycle, List<String> annotationIds,
                           FineTuneConfig config, Double dice, boolean kept) {

    public ModelLineage {
        annotationIds = annotationIds == null ? List.of() : List.copyOf(annotationIds);
    }
}
