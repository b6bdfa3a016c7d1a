package org.uga.activities;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uga.ml.data.Images;
import org.uga.ml.data.Tile;
import org.uga.ml.select.PatchRegion;
import org.uga.ml.select.ScoredPatch;
import org.uga.ml.select.SelectionParams;
import org.uga.ml.select.SelectionStrategies;
import org.uga.ml.select.SelectionStrategy;
import org.uga.ml.uncertainty.UncertaintyMap;
import org.uga.store.ObjectKeys;
import org.uga.workflows.activities.PatchDescriptor;
import org.uga.workflows.activities.SelectionActivities;
import org.uga.workflows.activities.SelectionRequest;
import org.uga.workflows.activities.TileScore;
import org.uga.workflows.model.AnnotatedPatch;

/**
 * Ranks patches with the campaign's strategy on the stored maps and writes, per picked patch, the image crop, the
 * model's binary prediction (for the annotator to correct) and the uncertainty heat map. Deterministic for a
 * seed, so a retry rewrites identical objects.
 */
public class SelectionActivitiesImpl implements SelectionActivities {

    private final CampaignData data;

    public SelectionActivitiesImpl(CampaignData data) {
        this.data = data;
    }

    @Override
    public List<PatchDescriptor> selectPatches(SelectionRequest r) {
        SelectionStrategy strategy;
        try {
            strategy = SelectionStrategies.byName(r.strategy());
        } catch (IllegalArgumentException e) {
            throw CampaignData.invalid(e.getMessage());
        }
        if (r.budget() <= 0) {
            return List.of();
        }
        List<Tile> pool = new ArrayList<>();
        Map<String, UncertaintyMap> maps = new LinkedHashMap<>();
        for (TileScore ts : candidates(r.scoring().tiles(), r.strategy(), r.budget() + r.alreadyAnnotated().size(), r.seed())) {
            Tile t = data.tile(r.datasetPrefix(), ts.tileId(), false); // strategies must not see ground truth
            pool.add(t);
            if (SlideScoring.SlideWindow.isWindowId(ts.tileId())) {
                maps.put(ts.tileId(), SlideScoring.readWindowMaps(data, r.campaignId(), r.cycle(),
                        SlideScoring.SlideWindow.parse(ts.tileId())));
                continue;
            }
            Images.FloatMap u = Images.floatMapFromBytes(data.bytes(ts.mapKey()));
            Images.FloatMap p = Images.floatMapFromBytes(data.bytes(ObjectKeys.probabilityMap(r.campaignId(), r.cycle(), ts.tileId())));
            maps.put(ts.tileId(), new UncertaintyMap(ts.tileId(), u.width(), u.height(), p.values(), u.values()));
        }
        List<PatchRegion> annotated = new ArrayList<>();
        for (AnnotatedPatch a : r.alreadyAnnotated()) {
            annotated.add(new PatchRegion(a.imageId(), a.x(), a.y(), a.w(), a.h()));
        }
        // Ask for extra candidates so that dropping already-annotated regions still leaves a full budget.
        SelectionParams params = SelectionParams.of(r.budget() + annotated.size(), r.patchSize(), r.seed());
        List<PatchDescriptor> out = new ArrayList<>();
        for (ScoredPatch sp : strategy.select(pool, maps, params)) {
            PatchRegion region = sp.region();
            if (annotated.stream().anyMatch(region::overlaps)) {
                continue;
            }
            out.add(store(r, pool, maps, sp));
            if (out.size() == r.budget()) {
                break;
            }
        }
        return out;
    }

    /** Slide windows loaded per wanted patch: enough spare for the strategy's tissue filter and diversity. */
    static final int WINDOWS_PER_PATCH = 4;

    /**
     * The scores the strategy sees. Dataset tiles: all of them (unchanged). Slide windows: a slide has thousands,
     * and loading each window's pixels and maps would read the whole slide, so only {@code WINDOWS_PER_PATCH ×
     * wanted} windows go to the strategy: the most uncertain by mean (for {@code random}, a seeded random sample
     * instead, so the baseline stays unbiased).
     */
    static List<TileScore> candidates(List<TileScore> scored, String strategy, int wanted, long seed) {
        List<TileScore> tiles = new ArrayList<>();
        List<TileScore> windows = new ArrayList<>();
        for (TileScore ts : scored) {
            (SlideScoring.SlideWindow.isWindowId(ts.tileId()) ? windows : tiles).add(ts);
        }
        int keep = Math.max(1, wanted) * WINDOWS_PER_PATCH;
        if (windows.size() > keep) {
            if ("random".equalsIgnoreCase(strategy == null ? "" : strategy.trim())) {
                java.util.Collections.shuffle(windows, new java.util.Random(seed));
            } else {
                windows.sort(java.util.Comparator.comparingDouble(TileScore::meanUncertainty).reversed()
                        .thenComparing(TileScore::tileId));
            }
            windows = new ArrayList<>(windows.subList(0, keep));
            windows.sort(java.util.Comparator.comparing(TileScore::tileId));
        }
        tiles.addAll(windows);
        return tiles;
    }

    private PatchDescriptor store(SelectionRequest r, List<Tile> pool, Map<String, UncertaintyMap> maps, ScoredPatch sp) {
        PatchRegion g = sp.region();
        String patchId = "c" + r.cycle() + "-" + g.key();
        Tile tile = pool.stream().filter(t -> t.id().equals(g.imageId())).findFirst().orElseThrow();
        UncertaintyMap m = maps.get(g.imageId());
        Tile crop = tile.crop(g.x(), g.y(), g.width(), g.height());
        float[] prob = cropPlane(m.probability(), m.width(), g);
        float[] unc = cropPlane(m.uncertainty(), m.width(), g);
        byte[] predicted = new byte[prob.length];
        float umax = 0;
        for (int i = 0; i < prob.length; i++) {
            predicted[i] = (byte) (prob[i] >= 0.5f ? 1 : 0);
            umax = Math.max(umax, unc[i]);
        }
        String imageKey = ObjectKeys.patchImage(r.campaignId(), r.cycle(), patchId);
        String predictionKey = ObjectKeys.patchPrediction(r.campaignId(), r.cycle(), patchId);
        String uncertaintyKey = ObjectKeys.patchUncertainty(r.campaignId(), r.cycle(), patchId);
        try {
            data.store().putBytes(imageKey, Images.encodePng(Images.toImage(crop)), "image/png");
            data.store().putBytes(predictionKey, Images.encodePng(Images.maskToImage(predicted, g.width(), g.height())), "image/png");
            data.store().putBytes(uncertaintyKey, Images.encodePng(Images.heatMap(unc, g.width(), g.height(), 0, Math.max(umax, 1e-6f))), "image/png");
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the PNGs of patch " + patchId, e);
        }
        return new PatchDescriptor(patchId, g.imageId(), g.x(), g.y(), g.width(), g.height(), sp.score(), imageKey,
                predictionKey, uncertaintyKey);
    }

    private static float[] cropPlane(float[] plane, int width, PatchRegion g) {
        float[] out = new float[g.width() * g.height()];
        for (int y = 0; y < g.height(); y++) {
            System.arraycopy(plane, (g.y() + y) * width + g.x(), out, y * g.width(), g.width());
        }
        return out;
    }
}
