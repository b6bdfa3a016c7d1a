package org.uga.ml.uncertainty;

import java.util.List;

/** Estimators by config name. */
public final class UncertaintyEstimators {

    public static final int DEFAULT_MC_PASSES = 8;
    public static final int DEFAULT_ENSEMBLE_SIZE = 3;
    public static final int DEFAULT_TTA_VIEWS = 8;

    private UncertaintyEstimators() {
    }

    public static List<String> names() {
        return List.of(McDropoutEstimator.NAME, DeepEnsembleEstimator.NAME, TtaEstimator.NAME);
    }

    /** The estimator with its default sample count (8 MC passes, 3 ensemble members, 8 TTA views). */
    public static UncertaintyEstimator byName(String name) {
        return byName(name, 0, 0);
    }

    /**
     * @param samples MC passes, ensemble members or TTA views; 0 for the default
     * @param seed    seeds MC-dropout masks (ignored by the others)
     */
    public static UncertaintyEstimator byName(String name, int samples, long seed) {
        if (name == null) {
            throw new IllegalArgumentException("uncertainty estimator name is missing; expected one of " + names());
        }
        return switch (name) {
            case McDropoutEstimator.NAME -> new McDropoutEstimator(samples > 0 ? samples : DEFAULT_MC_PASSES, seed);
            case DeepEnsembleEstimator.NAME -> new DeepEnsembleEstimator(samples > 0 ? samples : DEFAULT_ENSEMBLE_SIZE);
            case TtaEstimator.NAME -> new TtaEstimator(samples > 0 ? samples : DEFAULT_TTA_VIEWS);
            default -> throw new IllegalArgumentException("unknown uncertainty estimator '" + name + "'; expected one of " + names());
        };
    }
}
