package org.uga.workflows.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The hospital's data in the object store: a dataset prefix and the ids of the tiles to score (unlabelled pool)
 * and of the held-out validation tiles (with masks) used for Dice. The two sets must not overlap.
 */
public record LocalData(String datasetPrefix, List<String> tileIds, List<String> validationTileIds) {

    public LocalData {
        tileIds = tileIds == null ? List.of() : List.copyOf(tileIds);
        validationTileIds = validationTileIds == null ? List.of() : List.copyOf(validationTileIds);
    }

    List<String> problems() {
        List<String> p = new ArrayList<>();
        if (datasetPrefix == null || datasetPrefix.isBlank()) {
            p.add("localData.datasetPrefix is required");
        }
        if (tileIds.isEmpty()) {
            p.add("localData.tileIds must list at least one tile to score");
        }
        if (validationTileIds.isEmpty()) {
            p.add("localData.validationTileIds must list at least one held-out tile");
        }
        HashSet<String> pool = new HashSet<>(tileIds);
        for (String v : validationTileIds) {
            if (pool.contains(v)) {
                p.add("localData: validation tile " + v + " is also in the scored pool");
            }
        }
        return p;
    }
}
