package org.uga.workflows.model;

import java.util.List;

/**
 * Input of child workflow {@code UgaCycle} (the model update of one cycle).
 *
 * @param annotations    every accepted annotation of the campaign so far (fine-tuning data, cumulative)
 * @param newAnnotationIds the ids this cycle added (recorded in the lineage)
 * @param diceBefore     validation Dice of {@code parentModelKey}
 */
public record CycleInput(String campaignId, int cycle, String parentModelKey, Double diceBefore,
                         List<AnnotatedPatch> annotations, List<String> newAnnotationIds, LocalData localData,
                         ModelSource modelSource, FineTuneConfig fineTune, long seed) {

    public CycleInput {
        annotations = annotations == null ? List.of() : List.copyOf(annotations);
        newAnnotationIds = newAnnotationIds == null ? List.of() : List.copyOf(newAnnotationIds);
    }
}
