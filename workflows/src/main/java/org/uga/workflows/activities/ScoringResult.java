package org.uga.workflows.activities;

import java.util.List;

/** @param mapsPrefix object-store prefix holding one map object per tile */
public record ScoringResult(String mapsPrefix, String modelKey, List<TileScore> tiles) {

    public ScoringResult {
        tiles = tiles == null ? List.of() : List.copyOf(tiles);
    }
}
