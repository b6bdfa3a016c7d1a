package org.uga.workflows.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The hospital's data in the object store: a dataset prefix and the ids of the tiles to score (unlabelled pool)
 * and of the held-out validation tiles (with masks) used for Dice. The two sets must not overlap.
 *
 * <p>A pool entry {@code slides/<slideId>/<file>} is a whole slide in the store rather than a dataset tile id: it
 * is walked in windows as {@code slideWindowing} says ({@code null}: the worker's defaults, see
 * {@link SlideWindowing#defaults()}), and selection picks patches from its windows.
 */
public record LocalData(String datasetPrefix, List<String> tileIds, List<String> validationTileIds,
                        SlideWindowing slideWindowing) {

    /** Pool entries with this prefix are whole slides (same rule as the scoring activity's). */
    public static final String SLIDE_PREFIX = "slides/";

    public LocalData {
        tileIds = tileIds == null ? List.of() : List.copyOf(tileIds);
        validationTileIds = validationTileIds == null ? List.of() : List.copyOf(validationTileIds);
    }

    /** Tiles only, or slides with the default windowing. */
    public LocalData(String datasetPrefix, List<String> tileIds, List<String> validationTileIds) {
        this(datasetPrefix, tileIds, validationTileIds, null);
    }

    /** True when the pool holds at least one whole slide. */
    public boolean hasSlides() {
        return tileIds.stream().anyMatch(id -> id != null && id.startsWith(SLIDE_PREFIX));
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
            if (v != null && v.startsWith(SLIDE_PREFIX)) {
                p.add("localData.validationTileIds: " + v + " is a whole slide; validation needs dataset tiles with masks");
            }
        }
        if (slideWindowing != null) {
            p.addAll(slideWindowing.problems());
        }
        return p;
    }
}
