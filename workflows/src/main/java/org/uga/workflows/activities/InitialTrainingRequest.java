package org.uga.workflows.activities;

import java.util.List;

/**
 * Train the campaign's first model on central data ({@code tileIds} empty = every tile of the prefix).
 * {@code members} > 1 trains a deep ensemble of that many models (seeds {@code seed..seed+members-1}) and the
 * result's key is its manifest; absent in histories written before ensembles (0) it means one model.
 */
public record InitialTrainingRequest(String campaignId, String centralDatasetPrefix, List<String> tileIds, int epochs,
                                     double learningRate, int batchSize, long seed, int members) {

    public InitialTrainingRequest {
        tileIds = tileIds == null ? List.of() : List.copyOf(tileIds);
        members = members <= 0 ? 1 : members;
    }

    /** One model (no ensemble). */
    public InitialTrainingRequest(String campaignId, String centralDatasetPrefix, List<String> tileIds, int epochs,
                                  double learningRate, int batchSize, long seed) {
        this(campaignId, centralDatasetPrefix, tileIds, epochs, learningRate, batchSize, seed, 1);
    }
}
