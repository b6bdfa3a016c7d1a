package org.uga.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uga.ml.data.Images;
import org.uga.ml.data.Tile;
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
 *
 * <p>A pool entry {@code slides/<slideId>/<file>} is a whole slide: {@link SlideScoring} walks it tile by tile with
 * the same per-tile function, stores tiled TIFF maps and returns one score per scored window (window ids, see
 * {@link SlideScoring.SlideWindow}), windowed as the request's {@code slideWindowing} says (the campaign's
 * {@code LocalData.slideWindowing}; null: this worker's defaults). Heartbeats then carry {@link ScoringProgress}
 * with the walk's {@code resumeFrom}, and the walk's state is mirrored to the store before each new
 * {@code resumeFrom} is heartbeated ({@link SlideScoring#scoreResumable}), so a retried attempt on any worker
 * continues at the first unfinished tile.
 */
public class ScoringActivitiesImpl implements ScoringActivities {

    private static final Logger LOG = LoggerFactory.getLogger(ScoringActivitiesImpl.class);

    /** Heartbeat details: pool entries finished, and inside the next entry (a slide) the walk's resume point. */
    public record ScoringProgress(int entriesDone, int slideResumeFrom) {
    }

    private final CampaignData data;
    private final SlideScoring.Params defaultSlideParams;
    private final Path slideWorkRoot;

    public ScoringActivitiesImpl(CampaignData data) {
        this(data, SlideScoring.Params.defaults(),
                Path.of(System.getProperty("java.io.tmpdir"), "uga-slide-scoring"));
    }

    /**
     * @param defaultSlideParams slide windowing for requests without {@code slideWindowing}
     * @param slideWorkRoot      local scratch for the slide walks' band files (mirrored to the store, deleted when
     *                           a slide is done)
     */
    public ScoringActivitiesImpl(CampaignData data, SlideScoring.Params defaultSlideParams, Path slideWorkRoot) {
        this.data = data;
        this.defaultSlideParams = defaultSlideParams;
        this.slideWorkRoot = slideWorkRoot;
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
        CampaignModel.requireKnownEstimator(estimator); // before loading any model
        boolean hasSlides = r.tileIds().stream().anyMatch(SlideScoring::isSlideKey);
        SlideScoring slides = new SlideScoring(data,
                r.slideWindowing() == null ? defaultSlideParams : SlideScoring.Params.of(r.slideWindowing()));
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        ScoringProgress last = lastProgress(ctx);
        if (last.entriesDone() > 0 || last.slideResumeFrom() > 0) {
            LOG.info("scoring {} cycle {}: resuming after {} of {} entries (slide tile {})", r.campaignId(), r.cycle(),
                    last.entriesDone(), r.tileIds().size(), last.slideResumeFrom());
        }
        return GpuGate.run(() -> {
            List<TileScore> scores = new ArrayList<>();
            try (CampaignModel model = CampaignModel.load(data, r.modelKey()); Heartbeater hb = new Heartbeater(ctx, last)) {
                model.requireSupports(estimator);
                if (hasSlides) {
                    // Ensemble members share one architecture, so the first one decides.
                    requireWindowFits(slides.params(), model.models().primary(), r.slideWindowing() != null);
                }
                for (int i = 0; i < r.tileIds().size(); i++) {
                    String tileId = r.tileIds().get(i);
                    if (SlideScoring.isSlideKey(tileId)) {
                        int entry = i;
                        int resumeFrom = i == last.entriesDone() ? last.slideResumeFrom() : 0;
                        SlideScoring.SlideOutcome outcome = slides.scoreResumable(r.campaignId(), r.cycle(), r.modelKey(),
                                tileId, SlideScoring.perTile(model, measure, r.uncertainty().estimator(),
                                        r.uncertainty().passes(), r.seed() * 31 + i),
                                slideWorkDir(r, tileId), resumeFrom,
                                (tile, total, resume) -> hb.progress(new ScoringProgress(entry, resume)));
                        if (!outcome.readBack()) {
                            LOG.info("scored slide {}: {} tiles, {} scored, {} background, {} resumed from a checkpoint",
                                    tileId, outcome.tilesTotal(), outcome.tilesScored(), outcome.tilesSkipped(),
                                    outcome.tilesResumed());
                        }
                        scores.addAll(outcome.windows());
                    } else {
                        scores.add(scoreTile(model, measure, r, tileId, i));
                    }
                    hb.progress(new ScoringProgress(i + 1, 0));
                }
            }
            return new ScoringResult(ObjectKeys.cyclePrefix(r.campaignId(), r.cycle()) + "uncertainty/", r.modelKey(), scores);
        });
    }

    /**
     * The model pads odd sizes by reflection, but a window that is not a multiple of the network's size multiple
     * wastes compute and blends padded borders: a campaign's own windowing must fit the model.
     */
    static void requireWindowFits(SlideScoring.Params params, SegmentationModel model, boolean fromCampaign) {
        int m = model.config().sizeMultiple();
        if (params.tileSize() % m != 0) {
            throw CampaignData.invalid((fromCampaign ? "localData.slideWindowing.windowSize " : "slide window size ")
                    + params.tileSize() + " is not a multiple of " + m + ", the size multiple of the campaign model "
                    + "(U-Net depth " + model.config().depth() + ")");
        }
    }

    /** Details of the last attempt's heartbeat; older workers heartbeated a plain tile count. */
    private static ScoringProgress lastProgress(ActivityExecutionContext ctx) {
        try {
            return ctx.getHeartbeatDetails(ScoringProgress.class).orElse(new ScoringProgress(0, 0));
        } catch (RuntimeException e) {
            try {
                return new ScoringProgress(ctx.getHeartbeatDetails(Integer.class).orElse(0), 0);
            } catch (RuntimeException e2) {
                return new ScoringProgress(0, 0);
            }
        }
    }

    /** Per campaign, cycle, model and slide, so band files of another model or cycle are never resumed. */
    private Path slideWorkDir(ScoringRequest r, String slideKey) {
        String model = CampaignData.sha256(r.modelKey().getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16);
        String slide;
        try {
            slide = SlideScoring.imageId(slideKey);
        } catch (IllegalArgumentException e) {
            throw CampaignData.invalid(e.getMessage());
        }
        return slideWorkRoot.resolve(r.campaignId()).resolve("cycle-" + r.cycle()).resolve(model).resolve(slide);
    }

    private TileScore scoreTile(CampaignModel model, UncertaintyMeasure measure, ScoringRequest r, String tileId, int index) {
        String uKey = ObjectKeys.uncertaintyMap(r.campaignId(), r.cycle(), tileId);
        String pKey = ObjectKeys.probabilityMap(r.campaignId(), r.cycle(), tileId);
        if (data.store().exists(uKey) && data.store().exists(pKey)) {
            // Written by an earlier attempt with the same model (keys are per campaign and cycle).
            Images.FloatMap u = Images.floatMapFromBytes(data.bytes(uKey));
            return summary(tileId, uKey, u.width(), u.height(), u.values());
        }
        Tile tile = data.tile(r.datasetPrefix(), tileId, false);
        float[][] members = model.members(tile, r.uncertainty().estimator(), r.uncertainty().passes(), r.seed() * 31 + index);
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
