package org.uga.workflows.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How uncertainty is estimated: estimator {@code mc-dropout|ensemble|tta}, its number of passes/members, and the
 * per-pixel measure. For {@code ensemble}, {@code passes} is the number of members (2..8) trained for the campaign.
 */
public record UncertaintyConfig(String estimator, int passes, String measure) {

    public static final String ENSEMBLE = "ensemble";
    public static final Set<String> ESTIMATORS = Set.of("mc-dropout", ENSEMBLE, "tta");
    /** Members of a campaign deep ensemble ({@code passes} for estimator {@code ensemble}): each costs a training run. */
    public static final int MIN_ENSEMBLE_MEMBERS = 2;
    public static final int MAX_ENSEMBLE_MEMBERS = 8;

    public static UncertaintyConfig paperDefault() {
        return new UncertaintyConfig("mc-dropout", 8, "paper-ce");
    }

    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (estimator == null || !ESTIMATORS.contains(estimator)) {
            p.add("uncertainty.estimator must be one of " + ESTIMATORS + ", got " + estimator);
        }
        if (passes < 2) {
            p.add("uncertainty.passes must be >= 2, got " + passes);
        } else if (ENSEMBLE.equals(estimator) && passes > MAX_ENSEMBLE_MEMBERS) {
            p.add("uncertainty.passes is the number of ensemble members for estimator ensemble and must be between "
                    + MIN_ENSEMBLE_MEMBERS + " and " + MAX_ENSEMBLE_MEMBERS + ", got " + passes);
        }
        if (measure == null || measure.isBlank()) {
            p.add("uncertainty.measure is required (e.g. paper-ce, entropy, bald, variance)");
        }
        return p;
    }
}
