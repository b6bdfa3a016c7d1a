package org.uga.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uga.ml.data.Images;
import org.uga.ml.data.Tile;
import org.uga.ml.model.Dihedral;
import org.uga.ml.model.SegmentationModel;
import org.uga.ml.uncertainty.MemberPredictions;
import org.uga.ml.uncertainty.UncertaintyMeasure;
import org.uga.ml.uncertainty.UncertaintyMeasures;
import org.uga.store.ObjectKeys;
import org.uga.workflows.activities.ScoringActivities;
import org.uga.workflows.activities.ScoringRequest;
import org.uga.workflows.activities.ScoringResult;
import org.uga.workflows.activities.TileScore;

/**
 * Uncertainty maps with the campaign's current model. Per tile it stores the mean foreground probability and the
 * uncertainty as lossless float maps ({@code .f32}) plus an uncertainty heat-map preview. Resumable: heartbeat
 * details hold the number of finished tiles, and a tile whose maps already exist is read back instead of recomputed.
 */
public class ScoringActivitiesImpl implements ScoringActivities {

    private static final Logger LOG = LoggerFactory.getLogger(ScoringActivitiesImpl.class);

    private final CampaignData data;

    public ScoringActivitiesImpl(CampaignData data) {
        this.data = data;
    }

    @Override
    public ScoringResult scoreTiles(ScoringRequest r) {
        UncertaintyMeasure measure;
        try {
            measure = UncertaintyMeasures.byName(r.uncertainty().measure());
        } catch (IllegalArgumentException e) {
            throw CampaignData.invalid(e.getMessage());
        }
        String estimator = r.uncertainty().estimator();
        if (!estimator.equals("mc-dropout") && !estimator.equals("tta")) {
            throw CampaignData.invalid("estimator '" + estimator + "' is not supported by this worker: a campaign "
                    + "model is one checkpoint; use mc-dropout or tta");
        }
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        int done = ctx.getHeartbeatDetails(Integer.class).orElse(0);
        if (done > 0) {
            LOG.info("scoring {} cycle {}: resuming after {} of {} tiles", r.campaignId(), r.cycle(), done, r.tileIds().size());
        }
        return GpuGate.run(() -> {
            List<TileScore> scores = new ArrayList<>();
            try (SegmentationModel model = data.model(r.modelKey()); Heartbeater hb = new Heartbeater(ctx, done)) {
                for (int i = 0; i < r.tileIds().size(); i++) {
                    String tileId = r.tileIds().get(i);
                    scores.add(scoreTile(model, measure, r, tileId, i));
                    hb.progress(i + 1);
                }
            }
            return new ScoringResult(ObjectKeys.cyclePrefix(r.campaignId(), r.cycle()) + "uncertainty/", r.modelKey(), scores);
        });
    }

    private TileScore scoreTile(SegmentationModel model, UncertaintyMeasure measure, ScoringRequest r, String tileId, int index) {
        String uKey = ObjectKeys.uncertaintyMap(r.campaignId(), r.cycle(), tileId);
        String pKey = ObjectKeys.probabilityMap(r.campaignId(), r.cycle(), tileId);
        if (data.store().exists(uKey) && data.store().exists(pKey)) {
            // Written by an earlier attempt with the same model (keys are per campaign and cycle).
            Images.FloatMap u = Images.floatMapFromBytes(data.bytes(uKey));
            return summary(tileId, uKey, u.width(), u.height(), u.values());
        }
        Tile tile = data.tile(r.datasetPrefix(), tileId, false);
        float[][] members = members(model, tile, r.uncertainty().estimator(), r.uncertainty().passes(), r.seed() * 31 + index);
        MemberPredictions mp = new MemberPredictions(tile.width(), tile.height(), members);
        float[] uncertainty = measure.compute(mp);
        float[] probability = mp.mean();
        data.store().putBytes(pKey, Images.floatMapToBytes(probability, tile.width(), tile.height()), "application/octet-stream");
        try {
            data.store().putBytes(ObjectKeys.uncertaintyPreview(r.campaignId(), r.cycle(), tileId),
                    Images.encodePng(Images.heatMap(uncertainty, tile.width(), tile.height(), 0, max(uncertainty))), "image/png");
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the uncertainty preview of " + tileId, e);
        }
        // The .f32 map last: its presence marks the tile as done.
        data.store().putBytes(uKey, Images.floatMapToBytes(uncertainty, tile.width(), tile.height()), "application/octet-stream");
        return summary(tileId, uKey, tile.width(), tile.height(), uncertainty);
    }

    static float[][] members(SegmentationModel model, Tile tile, String estimator, int passes, long seed) {
        if (estimator.equals("mc-dropout")) {
            return model.predictMcDropout(tile, passes, seed);
        }
        int views = Math.min(passes, Dihedral.COUNT);
        float[][] out = new float[views][];
        for (int k = 0; k < views; k++) {
            Tile view = Dihedral.apply(tile, k);
            float[] p = model.predict(view);
            out[k] = Dihedral.invert(p, tile.width(), tile.height(), k);
        }
        return out;
    }

    private static TileScore summary(String tileId, String key, int w, int h, float[] u) {
        double sum = 0;
        for (float v : u) {
            sum += v;
        }
        return new TileScore(tileId, key, w, h, sum / u.length, max(u));
    }

    private static float max(float[] a) {
        float m = 0;
        for (float v : a) {
            m = Math.max(m, v);
        }
        return m;
    }
}
