package org.uga.workflows.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Optional early stops, checked after each cycle (maxCycles is in the spec). A zero value disables a rule.
 *
 * @param targetDice       stop once the current model's validation Dice is at least this (0 = off)
 * @param noGainCycles     stop after this many consecutive cycles whose fine-tuned model was not kept (0 = off)
 * @param totalPatchBudget stop when this many patches have been sent to annotators in total (0 = off)
 */
public record StopRules(double targetDice, int noGainCycles, int totalPatchBudget) {

    public static StopRules none() {
        return new StopRules(0, 0, 0);
    }

    List<String> problems() {
        List<String> p = new ArrayList<>();
        if (targetDice < 0 || targetDice > 1) {
            p.add("stopRules.targetDice must be in [0,1], got " + targetDice);
        }
        if (noGainCycles < 0) {
            p.add("stopRules.noGainCycles must be >= 0, got " + noGainCycles);
        }
        if (totalPatchBudget < 0) {
            p.add("stopRules.totalPatchBudget must be >= 0, got " + totalPatchBudget);
        }
        return p;
    }
}
