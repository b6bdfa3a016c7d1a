package org.uga.workflows.model;

import java.util.List;

/** What {@code UgaCampaign.run} returns: final phase (COMPLETED or CANCELLED), why it stopped, and all cycles. */
public record CampaignResult(String campaignId, Phase phase, String stopReason, int cyclesCompleted,
                             String finalModelKey, Double finalDice, Double initialDice, List<CycleSummary> cycles,
                             List<ModelLineage> lineage, List<AnnotatedPatch> annotations) {
}
