package org.uga.workflows.activities;

import java.util.List;
import org.uga.workflows.model.UncertaintyConfig;

/** Score {@code tileIds} of {@code datasetPrefix} with {@code modelKey}; maps go under a key derived from campaign, cycle and model. */
public record ScoringRequest(String campaignId, int cycle, String modelKey, String datasetPrefix, List<String> tileIds,
                             UncertaintyConfig uncertainty, long seed) {

    public ScoringRequest {
        tileIds = tileIds == null ? List.of() : List.copyOf(tileIds);
    }
}
