package org.uga.workflows.activities;

import java.util.List;
import org.uga.workflows.model.SlideWindowing;
import org.uga.workflows.model.UncertaintyConfig;

/**
 * Score {@code tileIds} of {@code datasetPrefix} with {@code modelKey}; maps go under a key derived from campaign,
 * cycle and model. Whole slides in {@code tileIds} are walked as {@code slideWindowing} says (null: the worker's
 * defaults; histories recorded before the field existed carry none).
 */
public record ScoringRequest(String campaignId, int cycle, String modelKey, String datasetPrefix, List<String> tileIds,
                             UncertaintyConfig uncertainty, long seed, SlideWindowing slideWindowing) {

    public ScoringRequest {
        tileIds = tileIds == null ? List.of() : List.copyOf(tileIds);
    }

    public ScoringRequest(String campaignId, int cycle, String modelKey, String datasetPrefix, List<String> tileIds,
                          UncertaintyConfig uncertainty, long seed) {
        this(campaignId, cycle, modelKey, datasetPrefix, tileIds, uncertainty, seed, null);
    }
}
