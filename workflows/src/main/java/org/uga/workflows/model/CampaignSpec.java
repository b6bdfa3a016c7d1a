package org.uga.workflows.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything a coordinator decides when launching a UGA campaign. Started as workflow {@code UgaCampaign} with
 * workflow id = {@code campaignId}. {@link #validate()} lists every problem; the workflow refuses an invalid spec.
 *
 * @param patchBudget        patches sent to annotators per cycle
 * @param patchSize          side of a square patch in pixels
 * @param strategy           selection strategy: {@code uga}, {@code random} or {@code diverse}
 * @param maxCycles          hard upper bound on cycles
 * @param continueAsNewEvery cycles per workflow run before continue-as-new (bounds history size)
 * @param seed               seeds selection, training and MC passes, so reruns are reproducible
 */
public record CampaignSpec(
        String campaignId,
        String title,
        String coordinator,
        ModelSource modelSource,
        LocalData localData,
        int patchBudget,
        int patchSize,
        String strategy,
        UncertaintyConfig uncertainty,
        int maxCycles,
        StopRules stopRules,
        List<String> annotators,
        AnnotationPolicy annotationPolicy,
        FineTuneConfig fineTune,
        int continueAsNewEvery,
        long seed) {

    public static final Set<String> STRATEGIES = Set.of("uga", "random", "diverse");
    /** Workflow ids must be usable as object-store path segments too. */
    public static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}";

    public CampaignSpec {
        annotators = annotators == null ? List.of() : List.copyOf(annotators);
        stopRules = stopRules == null ? StopRules.none() : stopRules;
    }

    /** Every problem with this spec, each naming the field; empty when the spec is valid. */
    public List<String> validate() {
        List<String> p = new ArrayList<>();
        if (campaignId == null || !campaignId.matches(ID_PATTERN)) {
            p.add("campaignId must match " + ID_PATTERN + ", got " + campaignId);
        }
        if (title == null || title.isBlank()) {
            p.add("title is required");
        }
        if (coordinator == null || coordinator.isBlank()) {
            p.add("coordinator is required");
        }
        if (modelSource == null) {
            p.add("modelSource is required");
        } else {
            p.addAll(modelSource.problems());
        }
        if (localData == null) {
            p.add("localData is required");
        } else {
            p.addAll(localData.problems());
        }
        if (patchBudget <= 0) {
            p.add("patchBudget must be > 0, got " + patchBudget);
        }
        if (patchSize < 8) {
            p.add("patchSize must be >= 8 pixels, got " + patchSize);
        }
        if (strategy == null || !STRATEGIES.contains(strategy)) {
            p.add("strategy must be one of " + STRATEGIES + ", got " + strategy);
        }
        if (uncertainty == null) {
            p.add("uncertainty is required");
        } else {
            p.addAll(uncertainty.problems());
        }
        if (uncertainty != null && UncertaintyConfig.ENSEMBLE.equals(uncertainty.estimator()) && modelSource != null
                && modelSource.hasInitialModelKey() && !modelSource.initialModelIsEnsemble()) {
            // The campaign starts from initialModelKey when given, so central data would not train members.
            p.add("uncertainty.estimator 'ensemble' needs an ensemble model, but modelSource.initialModelKey '"
                    + modelSource.initialModelKey() + "' is a single pretrained checkpoint: give an ensemble manifest ("
                    + ModelSource.ENSEMBLE_MANIFEST_PREFIX + "<sha256>.json) as modelSource.initialModelKey, or leave it "
                    + "out and set modelSource.centralDatasetPrefix to train uncertainty.passes members, or use "
                    + "estimator mc-dropout or tta");
        }
        if (maxCycles <= 0) {
            p.add("maxCycles must be > 0, got " + maxCycles);
        }
        p.addAll(stopRules.problems());
        if (annotators.isEmpty()) {
            p.add("annotators must list at least one annotator");
        }
        Set<String> seen = new HashSet<>();
        for (String a : annotators) {
            if (a == null || a.isBlank()) {
                p.add("annotators must not contain blank names");
            } else if (!seen.add(a)) {
                p.add("annotators lists " + a + " twice");
            }
        }
        if (annotationPolicy == null) {
            p.add("annotationPolicy is required");
        } else {
            p.addAll(annotationPolicy.problems());
        }
        if (fineTune == null) {
            p.add("fineTune is required");
        } else {
            p.addAll(fineTune.problems());
        }
        if (continueAsNewEvery <= 0) {
            p.add("continueAsNewEvery must be > 0, got " + continueAsNewEvery);
        }
        return p;
    }
}
