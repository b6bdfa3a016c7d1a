package org.uga.ml.select;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Greedy non-maximum suppression of candidate patches. */
public final class NonMaxSuppression {

    /** Best first: higher score, then smaller key (a deterministic tie-break). */
    public static final Comparator<ScoredPatch> BEST_FIRST =
            Comparator.comparingDouble(ScoredPatch::score).reversed().thenComparing(p -> p.region().key());

    private NonMaxSuppression() {
    }

    /**
     * Walks the candidates best first and keeps each one that overlaps no kept patch (any shared pixel, same image),
     * until {@code budget} are kept.
     */
    public static List<ScoredPatch> select(List<ScoredPatch> candidates, int budget) {
        return select(candidates, budget, Integer.MAX_VALUE);
    }

    /** As {@link #select(List, int)} with at most {@code maxPerImage} patches from one image. */
    public static List<ScoredPatch> select(List<ScoredPatch> candidates, int budget, int maxPerImage) {
        List<ScoredPatch> sorted = new ArrayList<>(candidates);
        sorted.sort(BEST_FIRST);
        List<ScoredPatch> kept = new ArrayList<>();
        Map<String, List<PatchRegion>> byImage = new HashMap<>();
        for (ScoredPatch c : sorted) {
            if (kept.size() >= budget) {
                break;
            }
            List<PatchRegion> same = byImage.computeIfAbsent(c.region().imageId(), k -> new ArrayList<>());
            if (same.size() >= maxPerImage) {
                continue;
            }
            boolean overlaps = false;
            for (PatchRegion r : same) {
                if (r.overlaps(c.region())) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                kept.add(c);
                same.add(c.region());
            }
        }
        return kept;
    }
}
