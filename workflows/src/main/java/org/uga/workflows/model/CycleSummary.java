package org.uga.workflows.model;

import java.time.Instant;
import java.util.List;

/**
 * The record of one finished cycle.
 *
 * @param diceBefore        validation Dice of the model current at the start of the cycle
 * @param diceAfter         validation Dice of the fine-tuned candidate (null when no fine-tuning happened)
 * @param candidateModelKey the fine-tuned model (null when none)
 * @param modelKey          the model current after the cycle (the candidate if kept, else the previous one)
 * @param accepted          whether the candidate was kept (false when it would regress or was not trained)
 * @param annotationIds     annotations this cycle contributed
 */
public record CycleSummary(int cycle, int patchesSelected, int patchesAnnotated, int patchesSkipped, int patchesOverdue,
                           Double diceBefore, Double diceAfter, String candidateModelKey, String modelKey,
                           boolean accepted, String note, List<String> annotationIds, Instant startedAt,
                           Instant finishedAt) {

    public CycleSummary {
        annotationIds = annotationIds == null ? List.of() : List.copyOf(annotationIds);
    }
}
