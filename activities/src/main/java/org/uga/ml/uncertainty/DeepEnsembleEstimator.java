package org.uga.ml.uncertainty;

import org.uga.ml.data.Tile;
import org.uga.ml.model.ModelSet;
import org.uga.ml.model.SegmentationModel;

/**
 * {@code ensemble}: one deterministic prediction per member of K models trained from different seeds, the
 * paper's method. The set must hold exactly {@link #requiredModels()} members.
 */
public final class DeepEnsembleEstimator implements UncertaintyEstimator {

    public static final String NAME = "ensemble";

    private final int members;

    public DeepEnsembleEstimator(int members) {
        if (members < 2) {
            throw new IllegalArgumentException("a deep ensemble needs at least 2 members, got " + members);
        }
        this.members = members;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int requiredModels() {
        return members;
    }

    @Override
    public MemberPredictions predict(ModelSet models, Tile tile) {
        if (models.size() != members) {
            throw new IllegalArgumentException("ensemble estimator expects " + members + " models, got " + models.size());
        }
        float[][] maps = new float[members][];
        for (int k = 0; k < members; k++) {
            SegmentationModel m = models.members().get(k);
            maps[k] = m.predict(tile);
        }
        return new MemberPredictions(tile.width(), tile.height(), maps);
    }
}
