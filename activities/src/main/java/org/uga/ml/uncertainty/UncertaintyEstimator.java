package org.uga.ml.uncertainty;

import org.uga.ml.data.Tile;
import org.uga.ml.model.ModelSet;

/**
 * Produces the member predictions an {@link UncertaintyMeasure} turns into a per-pixel uncertainty map. Chosen by
 * {@link #name()} in config ({@code mc-dropout}, {@code ensemble}, {@code tta}); see {@link UncertaintyEstimators}.
 * Deterministic: the same models and tile give the same predictions.
 */
public interface UncertaintyEstimator {

    String name();

    /** How many models the {@link ModelSet} must hold (the ensemble size; 1 for single-model estimators). */
    int requiredModels();

    MemberPredictions predict(ModelSet models, Tile tile);
}
