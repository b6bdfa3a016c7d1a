package org.uga.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uga.ml.data.Tile;
import org.uga.ml.model.SegmentationModel;
import org.uga.ml.model.UNetConfig;
import org.uga.ml.train.Resume;
import org.uga.ml.train.TrainConfig;
import org.uga.ml.train.TrainResult;
import org.uga.ml.train.Trainer;
import org.uga.store.ObjectKeys;
import org.uga.workflows.activities.FineTuneRequest;
import org.uga.workflows.activities.InitialTrainingRequest;
import org.uga.workflows.activities.TrainedModel;
import org.uga.workflows.activities.TrainingActivities;
import org.uga.workflows.model.AnnotatedPatch;

/**
 * Training on the GPU queue. After every epoch the live model is stored content-addressed and the
 * {@link TrainingProgress} heartbeated; a retried attempt (worker killed, heartbeat timed out) reads it and
 * resumes from that checkpoint. The result is stored content-addressed with a lineage record.
 */
public class TrainingActivitiesImpl implements TrainingActivities {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingActivitiesImpl.class);

    /** Optimiser steps per epoch; {@code UGA_TRAIN_STEPS} overrides (small values for tests and demos). */
    static final int STEPS_PER_EPOCH = Integer.parseInt(System.getenv().getOrDefault("UGA_TRAIN_STEPS", "8"));

    private final CampaignData data;

    public TrainingActivitiesImpl(CampaignData data) {
        this.data = data;
    }

    @Override
    public TrainedModel fineTune(FineTuneRequest r) {
        if (r.annotations().isEmpty()) {
            throw CampaignData.invalid("fine-tuning needs at least one annotation");
        }
        List<Tile> annotated = new ArrayList<>();
        Map<String, Tile> sources = new LinkedHashMap<>();
        for (AnnotatedPatch a : r.annotations()) {
            Tile tile = sources.computeIfAbsent(a.imageId(), id -> data.tile(r.localDatasetPrefix(), id, false));
            byte[] maskBytes = data.bytes(a.maskKey());
            String sha = CampaignData.sha256(maskBytes);
            if (a.maskSha256() != null && !a.maskSha256().equals(sha)) {
                throw CampaignData.invalid("mask " + a.maskKey() + " of annotation " + a.annotationId()
                        + " has SHA-256 " + sha + ", the annotation recorded " + a.maskSha256());
            }
            byte[] mask = data.mask(a.maskKey(), a.w(), a.h());
            annotated.add(tile.crop(a.x(), a.y(), a.w(), a.h()).withMask(mask));
        }
        List<Tile> replay = List.of();
        // replayRatio counts replay samples per annotated one; the trainer wants the replay share of a batch.
        double share = r.config().replayRatio() / (1 + r.config().replayRatio());
        if (share > 0 && r.replayDatasetPrefix() != null) {
            List<String> ids = r.replayTileIds().isEmpty() ? data.tileIds(r.replayDatasetPrefix()) : r.replayTileIds();
            replay = data.tiles(r.replayDatasetPrefix(), ids, true);
        } else {
            share = 0;
        }
        int crop = Math.min(96, annotated.stream().mapToInt(t -> Math.min(t.width(), t.height())).min().orElse(96));
        TrainConfig config = new TrainConfig(r.config().epochs(), STEPS_PER_EPOCH, r.config().batchSize(), Math.max(8, crop),
                (float) r.config().learningRate(), r.config().epochs(), 0.0, 1f, true, r.seed());
        List<Tile> train = annotated;
        List<Tile> replayTiles = replay;
        double replayShare = share;
        TrainedModel out = train("fine-tune " + r.campaignId() + " cycle " + r.cycle(), config,
                trainer -> {
                    try (SegmentationModel parent = data.model(r.parentModelKey())) {
                        return trainer.fineTune(parent, train, replayTiles, replayShare, List.of());
                    }
                },
                r.parentModelKey(), lineage -> {
                    lineage.put("campaignId", r.campaignId());
                    lineage.put("cycle", r.cycle());
                    lineage.put("annotationIds", r.newAnnotationIds());
                    lineage.put("allAnnotationIds", r.annotations().stream().map(AnnotatedPatch::annotationId).toList());
                    lineage.put("config", r.config());
                    lineage.put("replayDataset", r.replayDatasetPrefix());
                }, annotated.size() + replay.size());
        return out;
    }

    @Override
    public TrainedModel trainInitialModel(InitialTrainingRequest r) {
        List<String> ids = r.tileIds().isEmpty() ? data.tileIds(r.centralDatasetPrefix()) : r.tileIds();
        List<Tile> tiles = data.tiles(r.centralDatasetPrefix(), ids, true);
        int crop = Math.min(96, tiles.stream().mapToInt(t -> Math.min(t.width(), t.height())).min().orElse(96));
        TrainConfig config = new TrainConfig(r.epochs(), STEPS_PER_EPOCH, r.batchSize(), crop, (float) r.learningRate(),
                r.epochs(), 0.0, 1f, true, r.seed());
        UNetConfig net = UNetConfig.forAvailableDevice();
        // Same pixels, masks, network and training config -> same model: reuse it (training is deterministic).
        String cacheKey = initialModelCacheKey(tiles, net, config);
        if (data.store().exists(cacheKey)) {
            TrainedModel cached = data.store().getJson(cacheKey, TrainedModel.class);
            if (data.store().exists(cached.modelKey())) {
                LOG.info("initial model of {}: reusing {} (cached by content hash)", r.campaignId(), cached.modelKey());
                return cached;
            }
        }
        TrainedModel trained = train("initial model of " + r.campaignId(), config,
                trainer -> trainer.train(net, tiles, List.of()),
                null, lineage -> {
                    lineage.put("campaignId", r.campaignId());
                    lineage.put("centralDataset", r.centralDatasetPrefix());
                    lineage.put("tileIds", ids);
                    lineage.put("epochs", r.epochs());
                }, tiles.size());
        data.store().putJson(cacheKey, trained);
        return trained;
    }

    /** {@code models/initial/<sha256 of tiles, masks, network and training config>.json}. */
    static String initialModelCacheKey(List<Tile> tiles, UNetConfig net, TrainConfig config) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update((net + "|" + config).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4);
            for (Tile t : tiles) {
                md.update((t.id() + "|" + t.width() + "x" + t.height()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                for (float v : t.rgb()) {
                    md.update(buf.clear().putFloat(v).array());
                }
                md.update(t.mask());
            }
            return ObjectKeys.modelCheckpointPrefix() + "/initial/" + java.util.HexFormat.of().formatHex(md.digest()) + ".json";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private TrainedModel train(String what, TrainConfig config, Function<Trainer, TrainResult> run, String parentKey,
                               java.util.function.Consumer<Map<String, Object>> lineageFields, int samples) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        TrainingProgress previous = ctx.getHeartbeatDetails(TrainingProgress.class).orElse(null);
        return GpuGate.run(() -> {
            Trainer trainer = new Trainer(config);
            if (previous != null && previous.checkpointKey() != null) {
                LOG.info("{}: attempt {} resumes after epoch {} from {}", what, ctx.getInfo().getAttempt(),
                        previous.completedEpochs(), previous.checkpointKey());
                trainer.resumeFrom(new Resume(data.bytes(previous.checkpointKey()), previous.completedEpochs()));
            }
            try (Heartbeater hb = new Heartbeater(ctx, previous == null ? new TrainingProgress(0, null) : previous)) {
                trainer.listener(p -> {
                    String key = data.putModel(p.model().toBytes());
                    hb.progress(new TrainingProgress(p.epoch(), key));
                    LOG.info("{}: epoch {}/{} loss {} checkpoint {}", what, p.epoch(), p.maxEpochs(),
                            String.format("%.4f", p.loss()), key);
                });
                TrainResult result = run.apply(trainer);
                try (SegmentationModel model = result.model()) {
                    String key = data.putModel(model.toBytes());
                    String hex = key.substring(key.lastIndexOf('/') + 1);
                    Map<String, Object> lineage = new LinkedHashMap<>();
                    lineage.put("modelKey", key);
                    lineage.put("parentKey", parentKey);
                    lineageFields.accept(lineage);
                    lineage.put("epochsRun", result.startEpoch() + result.epochsRun());
                    lineage.put("resumedAfterEpoch", result.startEpoch());
                    lineage.put("finalLoss", result.lastLoss());
                    lineage.put("trainingSamples", samples);
                    lineage.put("createdAt", Instant.now().toString());
                    String lineageKey = ObjectKeys.modelLineage(hex);
                    if (!data.store().exists(lineageKey)) {
                        data.store().putJson(lineageKey, lineage);
                    }
                    return new TrainedModel(key, parentKey, lineageKey, result.startEpoch() + result.epochsRun(),
                            result.lastLoss(), samples);
                }
            }
        });
    }
}
