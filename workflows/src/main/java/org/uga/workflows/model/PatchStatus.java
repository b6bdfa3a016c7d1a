package org.uga.workflows.model;

import java.time.Instant;
import java.util.List;

/**
 * One selected patch of the current cycle: where it is, why it was chosen, who has it and its state.
 *
 * @param imageKey      object key of the patch image PNG shown to the annotator
 * @param predictionKey object key of the current model's binary prediction PNG (the annotator corrects it)
 * @param uncertaintyKey object key of the uncertainty heat-map PNG
 * @param previousAssignees annotators the patch was taken from by reassignment
 */
public record PatchStatus(String patchId, int cycle, String imageId, int x, int y, int w, int h, double score,
                          String imageKey, String predictionKey, String uncertaintyKey,
                          String assignedTo, PatchState state, String annotationId, String maskKey,
                          Instant deadline, int remindersSent, Instant nextReminderAt, String skipReason,
                          List<String> previousAssignees) {

    public PatchStatus {
        previousAssignees = previousAssignees == null ? List.of() : List.copyOf(previousAssignees);
    }
}
