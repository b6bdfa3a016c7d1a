package org.uga.ml.select;

import java.util.List;
import java.util.Map;
import org.uga.ml.data.Tile;
import org.uga.ml.uncertainty.UncertaintyMap;

/**
 * Picks the patches that go to the clinician. Chosen by {@link #name()} in config ({@code uga} — the
 * paper's tile score, {@code random} — the tissue-only baseline, {@code diverse}). Deterministic for a seed.
 */
public interface SelectionStrategy {

    String name();

    /**
     * @param pool  the unlabeled local tiles (their masks, if present, must not be looked at)
     * @param maps  uncertainty maps by tile id (strategies that ignore uncertainty may receive an empty map)
     * @return at most {@code params.budget()} non-overlapping patches, best first
     */
    List<ScoredPatch> select(List<Tile> pool, Map<String, UncertaintyMap> maps, SelectionParams params);
}
