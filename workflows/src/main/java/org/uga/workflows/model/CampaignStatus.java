package org.uga.workflows.model;

import java.time.Instant;
import java.util.List;

/**
 * Answer of query {@code status}.
 *
 * @param cycle              the cycle in progress (or the last one, when finished); 0 before the first cycle
 * @param patches            the patches of the current cycle
 * @param cycles             every finished cycle, across continue-as-new runs
 * @param currentDice        validation Dice of {@code currentModelKey}
 * @param annotationDeadline the latest deadline among open patches of the current cycle (null when none are open)
 * @param pauseReason        why the campaign is paused (signal, deadline policy or a failed step)
 * @param lastError          the last failed step or ignored signal, with its reason
 */
public record CampaignStatus(String campaignId, String title, Phase phase, int cycle, List<PatchStatus> patches,
                             List<CycleSummary> cycles, String currentModelKey, Double currentDice,
                             Instant annotationDeadline, boolean paused, String pauseReason, boolean cancelRequested,
                             String lastError, int totalPatchesSelected, int totalPatchesAnnotated, String stopReason,
                             List<ModelLineage> lineage) {

    public CampaignStatus {
        patches = patches == null ? List.of() : List.copyOf(patches);
        cycles = cycles == null ? List.of() : List.copyOf(cycles);
        lineage = lineage == null ? List.of() : List.copyOf(lineage);
    }
}
