package org.uga.workflows.model;

/**
 * Result of child workflow {@code UgaCycle}: the candidate, its Dice and whether it became current.
 * {@code modelKey} is the model current after the cycle (candidate when accepted, else the parent).
 */
public record CycleOutcome(int cycle, String candidateModelKey, Double diceBefore, Double diceAfter, boolean accepted,
                           String modelKey, ModelLineage lineage, String note) {
}
