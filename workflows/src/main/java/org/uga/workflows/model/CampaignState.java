package org.uga.workflows.model;

import java.util.List;

/**
 * What a campaign carries into its next run on continue-as-new (null on the first run). Everything the status
 * query and the stop rules need survives: models, Dice history, lineage, annotations, cycle counter, pause/cancel.
 *
 * @param assignmentCursor round-robin position in the annotator list, so load stays balanced across cycles
 * @param runs             how many workflow runs this campaign has had (1 on the first)
 */
public record CampaignState(int cyclesCompleted, String currentModelKey, Double currentDice, Double initialDice,
                            List<CycleSummary> cycles, List<ModelLineage> lineage, List<AnnotatedPatch> annotations,
                            int totalPatchesSelected, int assignmentCursor, boolean paused, String pauseReason,
                            boolean cancelRequested, String cancelReason, String lastError, int runs) {

    public CampaignState {
        cycles = cycles == null ? List.of() : List.copyOf(cycles);
        lineage = lineage == null ? List.of() : List.copyOf(lineage);
        annotations = annotations == null ? List.of() : List.copyOf(annotations);
    }
}
