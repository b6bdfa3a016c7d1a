package org.uga.workflows.activities;

import java.util.Map;

/** @param dice pooled Dice over all validation pixels; {@code perTile} per-tile Dice by tile id */
public record ValidationResult(String modelKey, double dice, Map<String, Double> perTile) {

    public ValidationResult {
        perTile = perTile == null ? Map.of() : Map.copyOf(perTile);
    }
}
