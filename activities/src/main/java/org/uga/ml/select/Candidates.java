package org.uga.ml.select;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.uga.ml.data.Tile;
import org.uga.ml.uncertainty.UncertaintyMap;

/** Candidate windows shared by the strategies: a regular grid per tile, tissue-filtered. */
public final class Candidates {

    private Candidates() {
    }

    /**
     * Window offsets along one axis: 0, stride, 2*stride, ... and the last one flush with the edge, so the whole
     * axis is covered.
     */
    public static List<Integer> offsets(int size, int window, int stride) {
        List<Integer> out = new ArrayList<>();
        int last = size - window;
        for (int o = 0; o <= last; o += stride) {
            out.add(o);
        }
        if (out.isEmpty() || out.get(out.size() - 1) != last) {
            out.add(last);
        }
        return out;
    }

    /** The pool sorted by id, so the result does not depend on the caller's order. */
    public static List<Tile> sortedById(List<Tile> pool) {
        List<Tile> sorted = new ArrayList<>(pool);
        sorted.sort(Comparator.comparing(Tile::id));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).id().equals(sorted.get(i - 1).id())) {
                throw new IllegalArgumentException("pool has tile id " + sorted.get(i).id() + " twice");
            }
        }
        return sorted;
    }

    /** Tissue windows of {@code min(patchSize, side)} on the params' stride grid, raster order. */
    public static List<PatchRegion> tissueWindows(Tile tile, SelectionParams params, TissueFilter filter) {
        int pw = Math.min(params.patchSize(), tile.width());
        int ph = Math.min(params.patchSize(), tile.height());
        TissueFilter.Prepared prepared = filter.prepare(tile);
        List<PatchRegion> out = new ArrayList<>();
        for (int y : offsets(tile.height(), ph, params.stride())) {
            for (int x : offsets(tile.width(), pw, params.stride())) {
                if (prepared.keep(x, y, pw, ph)) {
                    out.add(new PatchRegion(tile.id(), x, y, pw, ph));
                }
            }
        }
        return out;
    }

    /** Every tissue window of the pool scored with the paper's formula. */
    public static List<ScoredPatch> paperScored(List<Tile> pool, Map<String, UncertaintyMap> maps,
                                                SelectionParams params, TissueFilter filter,
                                                PaperTileScore.Reference reference) {
        List<ScoredPatch> out = new ArrayList<>();
        for (Tile tile : sortedById(pool)) {
            UncertaintyMap map = maps.get(tile.id());
            if (map == null) {
                throw new IllegalArgumentException("no uncertainty map for pool tile " + tile.id());
            }
            if (map.width() != tile.width() || map.height() != tile.height()) {
                throw new IllegalArgumentException("uncertainty map of " + tile.id() + " is " + map.width() + "x"
                        + map.height() + " but the tile is " + tile.width() + "x" + tile.height());
            }
            float[] u = map.uncertainty();
            double tileMax = PaperTileScore.max(u, tile.width(), 0, 0, tile.width(), tile.height());
            for (PatchRegion r : tissueWindows(tile, params, filter)) {
                double s = PaperTileScore.score(u, tile.width(), r.x(), r.y(), r.width(), r.height(),
                        params.threshold(), reference, tileMax);
                out.add(new ScoredPatch(r, s));
            }
        }
        return out;
    }
}
