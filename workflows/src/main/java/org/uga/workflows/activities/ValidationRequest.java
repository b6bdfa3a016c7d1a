package org.uga.workflows.activities;

import java.util.List;

/** Dice of {@code modelKey} on the held-out {@code tileIds} (with masks) of {@code datasetPrefix}. */
public record ValidationRequest(String campaignId, String modelKey, String datasetPrefix, List<String> tileIds) {

    public ValidationRequest {
        tileIds = tileIds == null ? List.of() : List.copyOf(tileIds);
    }
}
