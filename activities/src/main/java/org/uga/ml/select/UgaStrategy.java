package org.uga.ml.select;

import java.util.List;
import java.util.Map;
import org.uga.ml.data.Tile;
import org.uga.ml.uncertainty.UncertaintyMap;

/**
 * {@code uga}: the paper's selection. Candidate windows of {@code patchSize} on a {@code stride} grid over every
 * pool tile, background/dark windows dropped ({@link TissueFilter}), each scored with {@link PaperTileScore}, then
 * greedy non-overlap ({@link NonMaxSuppression}) and the top {@code budget}.
 */
public final class UgaStrategy implements SelectionStrategy {

    public static final String NAME = "uga";
    /** The variant that scores each window against its own maximum, as the paper's code does. */
    public static final String PATCH_MAX_NAME = "uga-patchmax";

    private final TissueFilter filter;
    private final PaperTileScore.Reference reference;

    /** Paper tissue filter, threshold relative to the tile maximum. */
    public UgaStrategy() {
        this(TissueFilter.PAPER, PaperTileScore.Reference.TILE);
    }

    public UgaStrategy(TissueFilter filter, PaperTileScore.Reference reference) {
        this.filter = filter;
        this.reference = reference;
    }

    @Override
    public String name() {
        return reference == PaperTileScore.Reference.TILE ? NAME : PATCH_MAX_NAME;
    }

    @Override
    public List<ScoredPatch> select(List<Tile> pool, Map<String, UncertaintyMap> maps, SelectionParams params) {
        List<ScoredPatch> candidates = Candidates.paperScored(pool, maps, params, filter, reference);
        return NonMaxSuppression.select(candidates, params.budget());
    }
}
