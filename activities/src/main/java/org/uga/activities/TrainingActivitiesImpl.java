package org.uga.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
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
 *
 * <p>Deep ensembles: an initial request with {@code members} > 1 trains that many models on the same data with
 * seeds {@code seed + k}, one after the other (the heartbeat names the member and the finished ones), and returns
 * the key of their {@link EnsembleManifest}. Fine-tuning an ensemble fine-tunes every member (seed + member index)
 * and stores a new manifest. Each member checkpoint has its own lineage record; the manifest's lists the members.
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
        List<String> parentMembers = EnsembleManifest.memberKeys(data, r.parentModelKey());
        List<Tile> train = annotated;
        List<Tile> replayTiles = replay;
        double replayShare = share;
        return train("fine-tune " + r.campaignId() + " cycle " + r.cycle(), parentMembers.size(),
                k -> config.withSeed(r.seed() + k),
                (trainer, k) -> {
                    try (SegmentationModel parent = data.model(parentMembers.get(k))) {
                        return trainer.fineTune(parent, train, replayTiles, replayShare, List.of());
                    }
                },
                r.parentModelKey(), parentMembers, lineage -> {
                    lineage.put("campaignId", r.campaignId());
                    lineage.put("cycle", r.cycle());
                    lineage.put("annotationIds", r.newAnnotationIds());
                    lineage.put("allAnnotationIds", r.annotations().stream().map(AnnotatedPatch::annotationId).toList());
                    lineage.put("config", r.config());
                    lineage.put("replayDataset", r.replayDatasetPrefix());
                }, annotated.size() + replay.size());
    }

    @Override
    public TrainedModel trainInitialModel(InitialTrainingRequest r) {
        List<String> ids = r.tileIds().isEmpty() ? data.tileIds(r.centralDatasetPrefix()) : r.tileIds();
        List<Tile> tiles = data.tiles(r.centralDatasetPrefix(), ids, true);
        int crop = Math.min(96, tiles.stream().mapToInt(t -> Math.min(t.width(), t.height())).min().orElse(96));
        TrainConfig config = new TrainConfig(r.epochs(), STEPS_PER_EPOCH, r.batchSize(), crop, (float) r.learningRate(),
                r.epochs(), 0.0, 1f, true, r.seed());
        UNetConfig net = UNetConfig.forAvailableDevice();
        // Same pixels, masks, network, training config and member count -> same model(s): reuse (training is deterministic).
        String cacheKey = initialModelCacheKey(tiles, net, config, r.members());
        if (data.store().exists(cacheKey)) {
            TrainedModel cached = data.store().getJson(cacheKey, TrainedModel.class);
            if (data.store().exists(cached.modelKey())) {
                LOG.info("initial model of {}: reusing {} (cached by content hash)", r.campaignId(), cached.modelKey());
                return cached;
            }
        }
        TrainedModel trained = train("initial model of " + r.campaignId(), r.members(),
                k -> config.withSeed(r.seed() + k),
                (trainer, k) -> trainer.train(net, tiles, List.of()),
                null, null, lineage -> {
                    lineage.put("campaignId", r.campaignId());
                    lineage.put("centralDataset", r.centralDatasetPrefix());
                    lineage.put("tileIds", ids);
                    lineage.put("epochs", r.epochs());
                }, tiles.size());
        data.store().putJson(cacheKey, trained);
        return trained;
    }

    /** {@link #initialModelCacheKey(List, UNetConfig, TrainConfig, int)} of one model. */
    static String initialModelCacheKey(List<Tile> tiles, UNetConfig net, TrainConfig config) {
        return initialModelCacheKey(tiles, net, config, 1);
    }

    /**
     * {@code models/initial/<sha256 of tiles, masks, network, training config and member count>.json}. One model
     * hashes exactly as before ensembles existed, so earlier cache entries stay valid.
     */
    static String initialModelCacheKey(List<Tile> tiles, UNetConfig net, TrainConfig config, int members) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update((net + "|" + config).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (members > 1) {
                md.update(("|ensemble-members=" + members).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
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

    /** How member {@code k} is trained with a trainer already configured (and resumed) for it. */
    private interface MemberRun {
        TrainResult apply(Trainer trainer, int member);
    }

    /**
     * Trains {@code members} models one after the other, heartbeating {@link TrainingProgress} (member index,
     * finished members) after every epoch and member, and resuming from the last heartbeat of a failed attempt.
     * One member returns its checkpoint as today; several return their stored {@link EnsembleManifest}.
     *
     * @param parentMembers member checkpoints of the parent (fine-tuning; same count), null for initial training
     */
    private TrainedModel train(String what, int members, IntFunction<TrainConfig> configOf, MemberRun run,
                               String parentKey, List<String> parentMembers,
                               Consumer<Map<String, Object>> lineageFields, int samples) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        TrainingProgress previous = ctx.getHeartbeatDetails(TrainingProgress.class).orElse(null);
        return GpuGate.run(() -> {
            List<String> finished = new ArrayList<>();
            if (previous != null) {
                finished.addAll(previous.finishedMembers().subList(0, Math.min(members, previous.finishedMembers().size())));
            }
            if (!finished.isEmpty()) {
                LOG.info("{}: attempt {} keeps the {} member(s) an earlier attempt finished", what,
                        ctx.getInfo().getAttempt(), finished.size());
            }
            List<TrainedModel> done = new ArrayList<>();
            for (String key : finished) {
                done.add(storedMember(key, parentMembers == null ? null : parentMembers.get(done.size()), samples));
            }
            TrainingProgress start = previous == null ? new TrainingProgress(0, null) : previous;
            try (Heartbeater hb = new Heartbeater(ctx, start)) {
                for (int k = finished.size(); k < members; k++) {
                    int member = k;
                    String memberWhat = members == 1 ? what : what + " member " + (k + 1) + "/" + members;
                    Trainer trainer = new Trainer(configOf.apply(k));
                    if (previous != null && previous.member() == k && previous.checkpointKey() != null) {
                        LOG.info("{}: attempt {} resumes after epoch {} from {}", memberWhat, ctx.getInfo().getAttempt(),
                                previous.completedEpochs(), previous.checkpointKey());
                        trainer.resumeFrom(new Resume(data.bytes(previous.checkpointKey()), previous.completedEpochs()));
                    }
                    List<String> finishedSoFar = List.copyOf(finished);
                    trainer.listener(p -> {
                        String key = data.putModel(p.model().toBytes());
                        hb.progress(new TrainingProgress(p.epoch(), key, member, finishedSoFar));
                        LOG.info("{}: epoch {}/{} loss {} checkpoint {}", memberWhat, p.epoch(), p.maxEpochs(),
                                String.format("%.4f", p.loss()), key);
                    });
                    TrainResult result = run.apply(trainer, k);
                    Consumer<Map<String, Object>> fields = members == 1 ? lineageFields : lineage -> {
                        lineageFields.accept(lineage);
                        lineage.put("ensembleMember", member);
                        lineage.put("ensembleMembers", members);
                    };
                    TrainedModel m = storeMember(result, parentMembers == null ? parentKey : parentMembers.get(k),
                            fields, samples);
                    done.add(m);
                    finished.add(m.modelKey());
                    hb.progress(new TrainingProgress(0, null, k + 1, finished));
                }
            }
            return members == 1 ? done.get(0) : storeEnsemble(done, parentKey, lineageFields, samples);
        });
    }

    /** Stores a trained member's checkpoint and lineage record (once). */
    private TrainedModel storeMember(TrainResult result, String parentKey, Consumer<Map<String, Object>> lineageFields,
                                     int samples) {
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

    /** A member an earlier attempt finished, with epochs and loss from its lineage record. */
    private TrainedModel storedMember(String key, String parentKey, int samples) {
        String lineageKey = ObjectKeys.modelLineage(key.substring(key.lastIndexOf('/') + 1));
        Map<?, ?> lineage = data.store().getJson(lineageKey, Map.class);
        int epochs = lineage.get("epochsRun") instanceof Number n ? n.intValue() : 0;
        double loss = lineage.get("finalLoss") instanceof Number n ? n.doubleValue() : Double.NaN;
        return new TrainedModel(key, parentKey, lineageKey, epochs, loss, samples);
    }

    /**
     * Stores the members' manifest and its lineage (members, their lineage records, the request's fields); the
     * result's epochs are the most any member ran and its loss the members' mean final loss.
     */
    private TrainedModel storeEnsemble(List<TrainedModel> members, String parentKey,
                                       Consumer<Map<String, Object>> lineageFields, int samples) {
        List<String> keys = members.stream().map(TrainedModel::modelKey).toList();
        String key = EnsembleManifest.of(keys).store(data);
        int epochs = members.stream().mapToInt(TrainedModel::epochs).max().orElse(0);
        double loss = members.stream().mapToDouble(TrainedModel::finalLoss).average().orElse(Double.NaN);
        String hex = key.substring(key.lastIndexOf('/') + 1, key.length() - ".json".length());
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("modelKey", key);
        lineage.put("parentKey", parentKey);
        lineage.put("members", keys);
        lineage.put("memberLineage", members.stream().map(TrainedModel::lineageKey).toList());
        lineage.put("memberParents", members.stream().map(TrainedModel::parentKey).toList());
        lineageFields.accept(lineage);
        lineage.put("epochsRun", epochs);
        lineage.put("memberFinalLoss", members.stream().map(TrainedModel::finalLoss).toList());
        lineage.put("finalLoss", loss);
        lineage.put("trainingSamples", samples);
        lineage.put("createdAt", Instant.now().toString());
        String lineageKey = ObjectKeys.modelLineage(hex);
        if (!data.store().exists(lineageKey)) {
            data.store().putJson(lineageKey, lineage);
        }
        return new TrainedModel(key, parentKey, lineageKey, epochs, loss, samples);
    }
}
