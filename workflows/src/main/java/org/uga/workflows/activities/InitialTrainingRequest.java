package org.uga.workflows.activities;

import java.util.List;

/** Train the campaign's first model on central data ({@code tileIds} empty = every tile of the prefix). */
public record InitialTrainingRequest(String campaignId, String centralDatasetPrefix, List<String> tileIds, int epochs,
                                     double learningRate, int batchSize, long seed) {

    public InitialTrainingRequest {
        tileIds = tileIds == null ? List.of() : List.copyOf(tileIds);
    }
}
