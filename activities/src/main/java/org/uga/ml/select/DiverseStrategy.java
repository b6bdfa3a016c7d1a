package org.uga.ml.select;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.uga.ml.data.Tile;
import org.uga.ml.uncertainty.UncertaintyMap;

/**
 * {@code diverse}: the paper's score, spread across images. Candidates are scored like {@code uga} and made
 * non-overlapping within each image; then patches are taken round-robin by rank: every image's best patch (images
 * ordered by that patch's score) before any image's second best, and so on, up to {@code budget}. With a budget
 * smaller than the number of images this picks the best patch of the most uncertain images; it never spends the
 * budget on one very uncertain tile while others are unseen.
 */
public final class DiverseStrategy implements SelectionStrategy {

    public static final String NAME = "diverse";

    private final TissueFilter filter;
    private final PaperTileScore.Reference reference;

    public DiverseStrategy() {
        this(TissueFilter.PAPER, PaperTileScore.Reference.TILE);
    }

    public DiverseStrategy(TissueFilter filter, PaperTileScore.Reference reference) {
        this.filter = filter;
        this.reference = reference;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ScoredPatch> select(List<Tile> pool, Map<String, UncertaintyMap> maps, SelectionParams params) {
        List<ScoredPatch> candidates = Candidates.paperScored(pool, maps, params, filter, reference);
        Map<String, List<ScoredPatch>> byImage = new HashMap<>();
        for (ScoredPatch c : candidates) {
            byImage.computeIfAbsent(c.region().imageId(), k -> new ArrayList<>()).add(c);
        }
        record Ranked(int rank, ScoredPatch patch) {
        }
        List<Ranked> ranked = new ArrayList<>();
        for (List<ScoredPatch> own : byImage.values()) {
            List<ScoredPatch> kept = NonMaxSuppression.select(own, Integer.MAX_VALUE);
            for (int i = 0; i < kept.size(); i++) {
                ranked.add(new Ranked(i, kept.get(i)));
            }
        }
        Comparator<Ranked> order = Comparator.<Ranked>comparingInt(Ranked::rank)
                .thenComparing(Ranked::patch, NonMaxSuppression.BEST_FIRST);
        ranked.sort(order);
        return ranked.stream().limit(params.budget()).map(Ranked::patch).toList();
    }
}
