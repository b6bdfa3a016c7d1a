package org.uga.ml.select;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.uga.ml.data.Tile;
import org.uga.ml.uncertainty.UncertaintyMap;

/**
 * {@code random}: the baseline. The same tissue windows as {@code uga} (same grid, same filter), but ranked by a
 * seeded random draw instead of uncertainty; non-overlapping. Uncertainty maps are ignored (may be empty). The
 * score of a patch is its draw in [0,1).
 */
public final class RandomStrategy implements SelectionStrategy {

    public static final String NAME = "random";

    private final TissueFilter filter;

    public RandomStrategy() {
        this(TissueFilter.PAPER);
    }

    public RandomStrategy(TissueFilter filter) {
        this.filter = filter;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ScoredPatch> select(List<Tile> pool, Map<String, UncertaintyMap> maps, SelectionParams params) {
        Random rng = new Random(params.seed());
        List<ScoredPatch> candidates = new ArrayList<>();
        for (Tile tile : Candidates.sortedById(pool)) {
            for (PatchRegion r : Candidates.tissueWindows(tile, params, filter)) {
                candidates.add(new ScoredPatch(r, rng.nextDouble()));
            }
        }
        return NonMaxSuppression.select(candidates, params.budget());
    }
}
