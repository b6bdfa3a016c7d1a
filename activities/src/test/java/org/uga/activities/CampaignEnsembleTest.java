package org.uga.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.uga.ml.data.HeGenerator;
import org.uga.ml.data.Images;
import org.uga.ml.data.Tile;
import org.uga.ml.model.SegmentationModel;
import org.uga.ml.model.UNetConfig;
import org.uga.ml.train.Trainer;
import org.uga.ml.uncertainty.MemberPredictions;
import org.uga.ml.uncertainty.UncertaintyMeasures;
import org.uga.store.EmbeddedS3;
import org.uga.store.ObjectKeys;
import org.uga.store.S3ObjectStore;
import org.uga.workflows.activities.FineTuneRequest;
import org.uga.workflows.activities.InitialTrainingRequest;
import org.uga.workflows.activities.ScoringActivities;
import org.uga.workflows.activities.ScoringRequest;
import org.uga.workflows.activities.ScoringResult;
import org.uga.workflows.activities.TrainedModel;
import org.uga.workflows.activities.TrainingActivities;
import org.uga.workflows.activities.ValidationActivities;
import org.uga.workflows.activities.ValidationRequest;
import org.uga.workflows.activities.ValidationResult;
import org.uga.workflows.model.AnnotatedPatch;
import org.uga.workflows.model.AnnotationPolicy;
import org.uga.workflows.model.CampaignSpec;
import org.uga.workflows.model.DeadlineAction;
import org.uga.workflows.model.FineTuneConfig;
import org.uga.workflows.model.LocalData;
import org.uga.workflows.model.ModelSource;
import org.uga.workflows.model.StopRules;
import org.uga.workflows.model.UncertaintyConfig;

/**
 * Campaign deep ensembles through the real activities: the real U-Net (DJL), real S3 (S3Proxy of the embedded
 * stack), Temporal's activity test environment for heartbeats. Tiny: 64 px generated H&E tiles, one epoch of
 * {@code UGA_TRAIN_STEPS} (default 8) steps per member, 2 members, trained once for the class.
 */
class CampaignEnsembleTest {

    static final int MEMBERS = 2;
    static final long SEED = 17;
    static final ActivityOptions OPTIONS = ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(10)).build();

    @TempDir
    static Path dir;

    @RegisterExtension
    static final EmbeddedS3 S3 = new EmbeddedS3();
    static S3ObjectStore store;
    static CampaignData data;
    static List<String> centralIds;
    static List<String> localIds;
    static TrainedModel ensemble;
    static List<TrainingProgress> initialBeats = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        store = S3.store();
        data = new CampaignData(store);
        centralIds = upload("central", HeGenerator.generate(4, 64, 64, HeGenerator.CENTRAL,
                HeGenerator.StainShift.NONE, 3).tiles());
        localIds = upload("local", HeGenerator.generate(3, 64, 64, HeGenerator.LOCAL,
                HeGenerator.StainShift.LOCAL_DEFAULT, 5).tiles());
        ensemble = withEnv(env -> env.setActivityHeartbeatListener(TrainingProgress.class, initialBeats::add),
                TrainingActivities.class, new TrainingActivitiesImpl(data),
                t -> t.trainInitialModel(initialRequest("camp-e", SEED)));
    }

    static List<String> upload(String dataset, List<Tile> tiles) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Tile t : tiles) {
            store.putBytes(ObjectKeys.datasetImage(dataset, t.id()), Images.encodePng(Images.toImage(t)), "image/png");
            store.putBytes(ObjectKeys.datasetMask(dataset, t.id()),
                    Images.encodePng(Images.maskToImage(t.mask(), t.width(), t.height())), "image/png");
            ids.add(t.id());
        }
        return ids;
    }

    static InitialTrainingRequest initialRequest(String campaignId, long seed) {
        return new InitialTrainingRequest(campaignId, "central", centralIds, 1, 2e-3, 2, seed, MEMBERS);
    }

    /** Runs one activity call in a fresh test environment (the activity context heartbeats need). */
    static <A, R> R withEnv(Consumer<TestActivityEnvironment> setup, Class<A> type, Object impl, Function<A, R> call) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        try {
            setup.accept(env);
            env.registerActivitiesImplementations(impl);
            return call.apply(env.newActivityStub(type, OPTIONS));
        } finally {
            env.close();
        }
    }

    static <A, R> R withEnv(Class<A> type, Object impl, Function<A, R> call) {
        return withEnv(env -> { }, type, impl, call);
    }

    static List<SegmentationModel> loadMembers(List<String> keys) {
        List<SegmentationModel> out = new ArrayList<>();
        for (String k : keys) {
            out.add(data.model(k));
        }
        return out;
    }

    @Test
    void initialTrainingStoresAManifestOfDistinctlySeededMembers() {
        assertTrue(ObjectKeys.isModelEnsemble(ensemble.modelKey()), ensemble.modelKey());
        assertTrue(ensemble.modelKey().startsWith(ModelSource.ENSEMBLE_MANIFEST_PREFIX),
                "spec validation and the store agree on the manifest key shape");
        assertFalse(ObjectKeys.isModelEnsemble(ObjectKeys.modelCheckpoint("c".repeat(64))), "a checkpoint is no manifest");
        assertFalse(ObjectKeys.isModelEnsemble("models/ensembles/not-a-hash.json"));
        byte[] manifestBytes = store.getBytes(ensemble.modelKey());
        assertEquals(ObjectKeys.modelEnsemble(CampaignData.sha256(manifestBytes)), ensemble.modelKey(), "content-addressed");
        List<String> members = EnsembleManifest.read(data, ensemble.modelKey()).members();
        assertEquals(MEMBERS, members.size());
        assertEquals(MEMBERS, members.stream().distinct().count(), "different seeds give different weights");
        for (String m : members) {
            assertTrue(m.startsWith(ObjectKeys.modelCheckpointPrefix() + "/sha256/"), m);
        }
        assertEquals(1, ensemble.epochs());
        assertEquals(4, ensemble.trainingSamples());

        // The manifest's lineage lists the members and their own lineage records.
        @SuppressWarnings("unchecked")
        Map<String, Object> lineage = store.getJson(ensemble.lineageKey(), Map.class);
        assertEquals(members, lineage.get("members"));
        assertEquals(ensemble.modelKey(), lineage.get("modelKey"));
        assertEquals(null, lineage.get("parentKey"));
        @SuppressWarnings("unchecked")
        List<String> memberLineage = (List<String>) lineage.get("memberLineage");
        assertEquals(MEMBERS, memberLineage.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> member1 = store.getJson(memberLineage.get(1), Map.class);
        assertEquals(members.get(1), member1.get("modelKey"));
        assertEquals(1, member1.get("ensembleMember"));

        // Heartbeats name the member being trained (the test environment delivers only the first few).
        assertFalse(initialBeats.isEmpty());
        assertEquals(0, initialBeats.get(0).member());

        // Same data, config and member count: the content-hash cache answers; a single model is another entry.
        TrainedModel again = withEnv(TrainingActivities.class, new TrainingActivitiesImpl(data),
                t -> t.trainInitialModel(initialRequest("camp-other", SEED)));
        assertEquals(ensemble, again);
        List<Tile> tiles = data.tiles("central", centralIds, true);
        UNetConfig net = UNetConfig.forAvailableDevice();
        var config = new org.uga.ml.train.TrainConfig(1, TrainingActivitiesImpl.STEPS_PER_EPOCH, 2, 64, 2e-3f, 1, 0.0,
                1f, true, SEED);
        assertNotEquals(TrainingActivitiesImpl.initialModelCacheKey(tiles, net, config, 1),
                TrainingActivitiesImpl.initialModelCacheKey(tiles, net, config, MEMBERS));
        assertEquals(TrainingActivitiesImpl.initialModelCacheKey(tiles, net, config),
                TrainingActivitiesImpl.initialModelCacheKey(tiles, net, config, 1), "one model keeps its old cache key");
    }

    @Test
    void aRetriedEnsembleTrainingKeepsTheMembersAnEarlierAttemptFinished() {
        List<String> members = EnsembleManifest.read(data, ensemble.modelKey()).members();
        // Another seed so the cache misses; the "earlier attempt" finished member 0 (a borrowed key).
        TrainedModel resumed = withEnv(env -> env.setHeartbeatDetails(new TrainingProgress(0, null, 1,
                        members.subList(0, 1))), TrainingActivities.class, new TrainingActivitiesImpl(data),
                t -> t.trainInitialModel(initialRequest("camp-r", SEED + 100)));
        List<String> got = EnsembleManifest.read(data, resumed.modelKey()).members();
        assertEquals(MEMBERS, got.size());
        assertEquals(members.get(0), got.get(0), "a finished member is not retrained");
        assertFalse(members.contains(got.get(1)), "member 1 trained with the new request's seed");
    }

    @Test
    void ensembleScoringIsThePaperCrossEntropyOfTheMembersPredictions() throws Exception {
        ScoringResult result = withEnv(ScoringActivities.class,
                new ScoringActivitiesImpl(data, SlideScoring.Params.defaults(), dir.resolve("slide-work")),
                s -> s.scoreTiles(new ScoringRequest("camp-e", 1, ensemble.modelKey(), "local", localIds,
                        new UncertaintyConfig("ensemble", MEMBERS, "paper-ce"), 9)));
        assertEquals(localIds.size(), result.tiles().size());
        List<String> memberKeys = EnsembleManifest.read(data, ensemble.modelKey()).members();
        List<SegmentationModel> models = loadMembers(memberKeys);
        try {
            for (String id : localIds) {
                Tile tile = data.tile("local", id, false);
                float[][] preds = new float[MEMBERS][];
                for (int k = 0; k < MEMBERS; k++) {
                    preds[k] = models.get(k).predict(tile);
                }
                MemberPredictions mp = new MemberPredictions(tile.width(), tile.height(), preds);
                float[] expected = UncertaintyMeasures.byName("paper-ce").compute(mp);
                float[] stored = Images.floatMapFromBytes(store.getBytes(ObjectKeys.uncertaintyMap("camp-e", 1, id))).values();
                assertArrayEquals(expected, stored, 1e-6f, "uncertainty of " + id);
                float[] prob = Images.floatMapFromBytes(store.getBytes(ObjectKeys.probabilityMap("camp-e", 1, id))).values();
                assertArrayEquals(mp.mean(), prob, 1e-6f, "probability of " + id);
                double max = 0;
                for (float v : expected) {
                    max = Math.max(max, v);
                }
                assertTrue(max > 0, "members disagree somewhere on " + id);
            }
            // MC dropout and TTA on an ensemble spread their samples over the members.
            try (CampaignModel cm = CampaignModel.load(data, ensemble.modelKey())) {
                assertEquals(MEMBERS, cm.size());
                Tile tile = data.tile("local", localIds.get(0), false);
                assertEquals(4, cm.members(tile, "mc-dropout", 4, 1).length);
                assertEquals(MEMBERS, cm.members(tile, "mc-dropout", 1, 1).length, "at least one sample per member");
                float[][] tta = cm.members(tile, "tta", 3, 1);
                assertEquals(3, tta.length);
                assertArrayEquals(preds(models, tile, 0), tta[0], 1e-6f, "view 0 of member 0 is its plain prediction");
                assertArrayEquals(preds(models, tile, 1), tta[1], 1e-6f, "view 0 of member 1");
            }
        } finally {
            models.forEach(SegmentationModel::close);
        }
    }

    private static float[] preds(List<SegmentationModel> models, Tile tile, int k) {
        return models.get(k).predict(tile);
    }

    @Test
    void aSingleCheckpointCannotBeScoredWithTheEnsembleEstimator() {
        String single = EnsembleManifest.read(data, ensemble.modelKey()).members().get(0);
        ActivityFailure f = assertThrows(ActivityFailure.class, () -> withEnv(ScoringActivities.class,
                new ScoringActivitiesImpl(data, SlideScoring.Params.defaults(), dir.resolve("slide-work-2")),
                s -> s.scoreTiles(new ScoringRequest("camp-s", 1, single, "local", localIds,
                        new UncertaintyConfig("ensemble", MEMBERS, "paper-ce"), 9))));
        ApplicationFailure cause = (ApplicationFailure) f.getCause();
        assertTrue(cause.isNonRetryable());
        assertTrue(cause.getOriginalMessage().contains(single + " is a single checkpoint"), cause.getOriginalMessage());
    }

    @Test
    void validationIsTheDiceOfTheMemberMean() {
        ValidationResult v = withEnv(ValidationActivities.class, new ValidationActivitiesImpl(data),
                a -> a.validateModel(new ValidationRequest("camp-e", ensemble.modelKey(), "local", localIds)));
        List<SegmentationModel> models = loadMembers(EnsembleManifest.read(data, ensemble.modelKey()).members());
        try {
            double sum = 0;
            for (String id : localIds) {
                Tile t = data.tile("local", id, true);
                float[][] preds = new float[MEMBERS][];
                for (int k = 0; k < MEMBERS; k++) {
                    preds[k] = models.get(k).predict(t);
                }
                double d = Trainer.dice(new MemberPredictions(t.width(), t.height(), preds).mean(), t.mask());
                assertEquals(d, v.perTile().get(id), 1e-9, id);
                sum += d;
            }
            assertEquals(sum / localIds.size(), v.dice(), 1e-9);
            assertEquals(ensemble.modelKey(), v.modelKey());
        } finally {
            models.forEach(SegmentationModel::close);
        }
    }

    @Test
    void fineTuningAnEnsembleFineTunesEveryMemberIntoANewManifest() throws Exception {
        // One clinician mask: the ground truth of a 32 px patch of a local tile.
        Tile local = HeGenerator.generate(3, 64, 64, HeGenerator.LOCAL, HeGenerator.StainShift.LOCAL_DEFAULT, 5).tiles().get(0);
        Tile patch = local.crop(8, 8, 32, 32);
        byte[] mask = Images.encodePng(Images.maskToImage(patch.mask(), 32, 32));
        String maskKey = ObjectKeys.annotationMask("camp-e", 1, "a1");
        store.putBytes(maskKey, mask, "image/png");
        AnnotatedPatch a = new AnnotatedPatch("a1", 1, "p1", local.id(), 8, 8, 32, 32, maskKey,
                CampaignData.sha256(mask), "alice");
        TrainedModel tuned = withEnv(TrainingActivities.class, new TrainingActivitiesImpl(data),
                t -> t.fineTune(new FineTuneRequest("camp-e", 1, ensemble.modelKey(), "local", List.of(a), List.of("a1"),
                        "central", centralIds, new FineTuneConfig(1, 0.5, 1e-3, 2), 23)));
        assertTrue(ObjectKeys.isModelEnsemble(tuned.modelKey()), tuned.modelKey());
        assertNotEquals(ensemble.modelKey(), tuned.modelKey());
        assertEquals(ensemble.modelKey(), tuned.parentKey());
        List<String> parents = EnsembleManifest.read(data, ensemble.modelKey()).members();
        List<String> children = EnsembleManifest.read(data, tuned.modelKey()).members();
        assertEquals(MEMBERS, children.size());
        for (String c : children) {
            assertFalse(parents.contains(c), "every member is fine-tuned");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> lineage = store.getJson(tuned.lineageKey(), Map.class);
        assertEquals(ensemble.modelKey(), lineage.get("parentKey"));
        assertEquals(children, lineage.get("members"));
        assertEquals(parents, lineage.get("memberParents"), "member k is fine-tuned from parent member k");
        assertEquals(List.of("a1"), lineage.get("annotationIds"));
    }

    @Test
    void heartbeatsOfWorkersBeforeEnsemblesStillRead() {
        Payload old = Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .setData(ByteString.copyFrom("{\"completedEpochs\":2,\"checkpointKey\":\"models/sha256/"
                        + "a".repeat(64) + "\"}", StandardCharsets.UTF_8)).build();
        TrainingProgress p = DefaultDataConverter.STANDARD_INSTANCE.fromPayload(old, TrainingProgress.class,
                TrainingProgress.class);
        assertEquals(new TrainingProgress(2, "models/sha256/" + "a".repeat(64), 0, List.of()), p);
        // Old requests (no member count in the history) mean one model.
        assertEquals(1, new InitialTrainingRequest("c", "central", List.of(), 1, 1e-3, 2, 1, 0).members());
    }

    @Test
    void aSpecWithTheEnsembleEstimatorAndASinglePretrainedCheckpointIsRejected() {
        String checkpoint = ObjectKeys.modelCheckpoint("b".repeat(64));
        List<String> problems = spec(ModelSource.checkpoint(checkpoint), new UncertaintyConfig("ensemble", 3, "paper-ce"))
                .validate();
        assertEquals(1, problems.size(), problems.toString());
        String p = problems.get(0);
        assertTrue(p.contains("uncertainty.estimator") && p.contains("modelSource.initialModelKey")
                && p.contains(checkpoint) && p.contains("modelSource.centralDatasetPrefix"), p);

        // Fine: an ensemble manifest, members trained from central data, or a single checkpoint with mc-dropout.
        assertEquals(List.of(), spec(ModelSource.checkpoint(ensemble.modelKey()),
                new UncertaintyConfig("ensemble", 3, "paper-ce")).validate());
        assertEquals(List.of(), spec(ModelSource.trainOn("central", centralIds, 2),
                new UncertaintyConfig("ensemble", 3, "paper-ce")).validate());
        assertEquals(List.of(), spec(ModelSource.checkpoint(checkpoint),
                new UncertaintyConfig("mc-dropout", 16, "paper-ce")).validate());

        // Members between 2 and 8.
        List<String> tooMany = spec(ModelSource.trainOn("central", centralIds, 2),
                new UncertaintyConfig("ensemble", 9, "paper-ce")).validate();
        assertEquals(1, tooMany.size(), tooMany.toString());
        assertTrue(tooMany.get(0).contains("uncertainty.passes") && tooMany.get(0).contains("between 2 and 8"), tooMany.get(0));
    }

    static CampaignSpec spec(ModelSource source, UncertaintyConfig uncertainty) {
        return new CampaignSpec("camp-v", "ensemble spec", "coordinator", source,
                new LocalData("local", localIds.subList(1, localIds.size()), List.of(localIds.get(0))), 2, 32, "uga", uncertainty, 2,
                StopRules.none(), List.of("alice"),
                new AnnotationPolicy(Duration.ofDays(7), Duration.ofDays(1), DeadlineAction.PROCEED_WITH_RECEIVED, 1),
                new FineTuneConfig(1, 0.5, 1e-3, 2), 10, 11L);
    }
}
