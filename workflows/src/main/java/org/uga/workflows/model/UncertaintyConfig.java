package org.uga.workflows.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** How uncertainty is estimated: estimator {@code mc-dropout|ensemble|tta}, its number of passes/members, and the per-pixel measure. */
public record UncertaintyConfig(String estimator, int passes, String measure) {

    public static final Set<String> ESTIMATORS = Set.of("mc-dropout", "ensemble", "tta");

    public static UncertaintyConfig paperDefault() {
        return new UncertaintyConfig("mc-dropout", 8, "paper-ce");
    }

    List<String> problems() {
        List<String> p = new ArrayList<>();
        if (estimator == null || !ESTIMATORS.contains(estimator)) {
            p.add("uncertainty.estimator must be one of " + ESTIMATORS + ", got " + estimator);
        }
        if (passes < 2) {
            p.add("uncertainty.passes must be >= 2, got " + passes);
        }
        if (measure == null || measure.isBlank()) {
            p.add("uncertainty.measure is required (e.g. paper-ce, entropy, bald, variance)");
        }
        return p;
    }
}
