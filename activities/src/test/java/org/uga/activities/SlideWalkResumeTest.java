package org.uga.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.uga.imaging.ImageIoSlideReader;
import org.uga.imaging.SlideGenerator;
import org.uga.imaging.StoredSlides;
import org.uga.imaging.TiledTiffWriter;
import org.uga.ml.data.Tile;
import org.uga.ml.model.SegmentationModel;
import org.uga.ml.model.UNetConfig;
import org.uga.ml.uncertainty.UncertaintyMap;
import org.uga.ml.uncertainty.UncertaintyMeasures;
import org.uga.store.EmbeddedS3;
import org.uga.store.ObjectInfo;
import org.uga.store.ObjectKeys;
import org.uga.store.ObjectStore;
import org.uga.store.S3ObjectStore;
import org.uga.workflows.activities.ScoringActivities;
import org.uga.workflows.activities.ScoringRequest;
import org.uga.workflows.activities.ScoringResult;
import org.uga.workflows.activities.TileScore;
import org.uga.workflows.model.SlideWindowing;
import org.uga.workflows.model.UncertaintyConfig;

/**
 * Slide walks that resume on another worker: the work directory is mirrored to the store (real S3Proxy of the
 * embedded stack), a walk dies part-way, and a second "worker" with an empty local directory continues from the
 * heartbeated resume point. Also the campaign's slide windowing reaching the scoring activity.
 */
class SlideWalkResumeTest {

    @TempDir
    static Path dir;

    @RegisterExtension
    static final EmbeddedS3 S3 = new EmbeddedS3();
    static S3ObjectStore store;
    static CampaignData data;
    static String modelKey;
    static final SlideScoring.Params PARAMS = new SlideScoring.Params(64, 16, 0.0, 4);
    static final UncertaintyConfig MC = new UncertaintyConfig("mc-dropout", 2, "paper-ce");

    @BeforeAll
    static void start() {
        store = S3.store();
        data = new CampaignData(store);
        try (SegmentationModel m = SegmentationModel.create(UNetConfig.cpuDefault(), 5)) {
            modelKey = data.putModel(m.toBytes());
        }
    }

    static void uploadSlide(String key, int w, int h, long seed) throws Exception {
        Path file = new SlideGenerator(w, h, seed).writeTiff(dir.resolve(key.replace('/', '_')), 64,
                TiledTiffWriter.Compression.DEFLATE);
        StoredSlides.upload(store, file, key, StoredSlides.TIFF);
    }

    static List<String> names(String prefix) {
        List<String> out = new ArrayList<>();
        for (ObjectInfo o : store.list(prefix)) {
            out.add(o.key().substring(prefix.length()));
        }
        return out;
    }

    static void writeAtomically(Path file, String content) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void slideWalkKeysAreValidAndScopedPerCampaignCycleModelAndSlide() {
        String prefix = ObjectKeys.slideWalkPrefix("c1", 3, SlideScoring.modelId("models/sha256/ab"), "s1@original.tif");
        assertEquals("campaigns/c1/cycles/3/slide-walks/" + SlideScoring.modelId("models/sha256/ab") + "/s1@original.tif/",
                prefix);
        assertEquals(16, SlideScoring.modelId("models/sha256/ab").length());
        assertEquals(prefix + "band-000001.bin", ObjectKeys.underPrefix(prefix, "band-000001.bin"));
        assertEquals(prefix + "sub/f.bin", ObjectKeys.underPrefix(prefix, "sub/f.bin"));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.underPrefix(prefix, "../escape"));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.underPrefix(prefix, ""));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.underPrefix("campaigns/c1", "x"));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.slideWalkPrefix("c1", 1, "a/b", "s@f"));
    }

    @Test
    void mirrorUploadsNewAndChangedFilesSkipsTempFilesRemovesDeletedOnesAndRestoresElsewhere() throws Exception {
        String prefix = "campaigns/m1/cycles/1/slide-walks/0123456789abcdef/s@f.tif/";
        RecordingStore recording = new RecordingStore(store);
        Path a = dir.resolve("mirror-a");
        WorkDirMirror mirror = new WorkDirMirror(recording, prefix, a, SlideScoring::isWalkState);
        assertEquals(0, mirror.restore(true).remoteFiles());
        writeAtomically(a.resolve("fingerprint.txt"), "v1|job");
        writeAtomically(a.resolve("band-000000.bin"), "band zero");
        Files.writeString(a.resolve("band-000001.bin.tmp"), "half a band");
        Files.writeString(a.resolve("probability.tif"), "assembled map, uploaded elsewhere");

        assertEquals(2, mirror.sync());
        assertEquals(List.of("band-000000.bin", "fingerprint.txt"), names(prefix));
        assertEquals(List.of(prefix + "band-000000.bin", prefix + "fingerprint.txt"), recording.puts,
                "the fingerprint goes last, so a half-finished sync never vouches for files that are not there");
        assertEquals(0, mirror.sync(), "nothing changed");

        // A file replaced by an atomic move (same size) counts as changed; a removed one is removed remotely.
        writeAtomically(a.resolve("band-000000.bin"), "band ZERO");
        assertEquals(1, mirror.sync());
        assertEquals("band ZERO", new String(store.getBytes(prefix + "band-000000.bin"), StandardCharsets.UTF_8));
        Files.delete(a.resolve("band-000000.bin"));
        writeAtomically(a.resolve("band-000002.bin"), "band two");
        Files.move(a.resolve("band-000001.bin.tmp"), a.resolve("band-000001.bin"), StandardCopyOption.ATOMIC_MOVE);
        assertEquals(2, mirror.sync());
        assertEquals(List.of("band-000001.bin", "band-000002.bin", "fingerprint.txt"), names(prefix));
        assertEquals(1, mirror.removals());

        // Another worker: an empty (or stale) directory becomes the store's copy.
        Path b = dir.resolve("mirror-b");
        Files.createDirectories(b);
        Files.writeString(b.resolve("band-000009.bin"), "stale local leftover");
        WorkDirMirror other = new WorkDirMirror(store, prefix, b, SlideScoring::isWalkState);
        WorkDirMirror.Restored restored = other.restore(true);
        assertEquals(3, restored.downloadedFiles());
        assertEquals("half a band", Files.readString(b.resolve("band-000001.bin")));
        assertEquals("v1|job", Files.readString(b.resolve("fingerprint.txt")));
        assertFalse(Files.exists(b.resolve("band-000009.bin")));
        assertEquals(0, other.sync(), "restored files are known to be in the store");

        // A walk that starts over does not download, but its first sync removes the stale objects.
        Path c = dir.resolve("mirror-c");
        WorkDirMirror fresh = new WorkDirMirror(store, prefix, c, SlideScoring::isWalkState);
        assertEquals(0, fresh.restore(false).downloadedFiles());
        writeAtomically(c.resolve("fingerprint.txt"), "v1|other job");
        fresh.sync();
        assertEquals(List.of("fingerprint.txt"), names(prefix));

        // The progress wrapper syncs before the heartbeat sees a new resume point, and only then.
        AtomicInteger beats = new AtomicInteger();
        var progress = fresh.syncing((i, total, resumeFrom) -> {
            beats.incrementAndGet();
            assertEquals(resumeFrom == 0 ? List.of("fingerprint.txt") : List.of("band-000000.bin", "fingerprint.txt"),
                    names(prefix), "heartbeat of " + resumeFrom);
        }, 0);
        progress.tileDone(0, 4, 0);
        writeAtomically(c.resolve("band-000000.bin"), "row 0");
        progress.tileDone(1, 4, 2);
        progress.tileDone(2, 4, 2);
        assertEquals(3, beats.get());

        fresh.clear();
        assertTrue(names(prefix).isEmpty());
        assertFalse(Files.exists(c));
    }

    @Test
    void aWalkThatDiesResumesOnAnotherWorkerWithAnEmptyWorkDirectory() throws Exception {
        String slide = "slides/w1/original.tif";
        uploadSlide(slide, 160, 160, 21); // 3 x 3 windows of 64 (stride 48)
        SlideScoring scoring = new SlideScoring(data, PARAMS);
        String checkpoint = ObjectKeys.slideWalkPrefix("walk1", 1, SlideScoring.modelId(modelKey), "w1@original.tif");
        try (CampaignModel m = CampaignModel.load(data, modelKey)) {
            Function<Tile, UncertaintyMap> real = SlideScoring.perTile(m, UncertaintyMeasures.byName("paper-ce"), "mc-dropout", 2, 9);
            AtomicInteger calls = new AtomicInteger();
            int dieAfter = 5;
            Function<Tile, UncertaintyMap> dying = t -> {
                if (calls.incrementAndGet() > dieAfter) {
                    throw new IllegalStateException("worker lost");
                }
                return real.apply(t);
            };
            int[] heartbeat = {0};
            List<String> problems = new ArrayList<>();
            Path workerA = dir.resolve("worker-a");
            IllegalStateException crash = assertThrows(IllegalStateException.class, () -> scoring.scoreResumable("walk1", 1,
                    modelKey, slide, dying, workerA, 0, (i, total, resumeFrom) -> {
                        // What a heartbeat names must already be in the store.
                        if (resumeFrom > 0 && !names(checkpoint).contains("fingerprint.txt")) {
                            problems.add("heartbeat " + resumeFrom + " before its checkpoint was stored");
                        }
                        heartbeat[0] = resumeFrom;
                    }));
            assertEquals("worker lost", crash.getMessage());
            assertTrue(problems.isEmpty(), problems.toString());
            assertTrue(heartbeat[0] > 0 && heartbeat[0] <= dieAfter, "heartbeated resume point " + heartbeat[0]);
            assertFalse(names(checkpoint).isEmpty(), "the walk's state is in the store");
            assertFalse(store.exists(ObjectKeys.slideWindowScores("walk1", 1, "w1@original.tif")));

            // Worker B: a different, empty local directory, the heartbeated resume point.
            Path workerB = dir.resolve("worker-b");
            calls.set(0);
            Function<Tile, UncertaintyMap> counting = t -> {
                calls.incrementAndGet();
                return real.apply(t);
            };
            SlideScoring.SlideOutcome resumed = scoring.scoreResumable("walk1", 1, modelKey, slide, counting, workerB,
                    heartbeat[0], null);
            assertFalse(resumed.readBack());
            assertEquals(heartbeat[0], resumed.tilesResumed(), "resumed from the heartbeated tile");
            assertEquals(resumed.tilesTotal() - resumed.tilesResumed(), calls.get(), "only the remaining tiles were scored");
            assertTrue(names(checkpoint).isEmpty(), "the checkpoint is deleted once the slide is done");
            assertFalse(Files.exists(workerB));

            // Same windows and maps as an uninterrupted walk (cycle 2 keys).
            SlideScoring.SlideOutcome clean = scoring.scoreResumable("walk1", 2, modelKey, slide, real,
                    dir.resolve("worker-c"), 0, null);
            assertEquals(0, clean.tilesResumed());
            assertEquals(clean.tilesTotal(), resumed.tilesTotal());
            assertEquals(clean.windows().size(), resumed.windows().size());
            for (int i = 0; i < clean.windows().size(); i++) {
                assertEquals(clean.windows().get(i).tileId(), resumed.windows().get(i).tileId());
                assertEquals(clean.windows().get(i).meanUncertainty(), resumed.windows().get(i).meanUncertainty(), 1e-9);
            }
            for (boolean uncertainty : new boolean[] {true, false}) {
                String k1 = uncertainty ? ObjectKeys.slideUncertaintyMap("walk1", 1, "w1@original.tif")
                        : ObjectKeys.slideProbabilityMap("walk1", 1, "w1@original.tif");
                String k2 = uncertainty ? ObjectKeys.slideUncertaintyMap("walk1", 2, "w1@original.tif")
                        : ObjectKeys.slideProbabilityMap("walk1", 2, "w1@original.tif");
                try (ImageIoSlideReader x = StoredSlides.open(store, k1); ImageIoSlideReader y = StoredSlides.open(store, k2)) {
                    assertArrayEquals(y.readSamples(0, 0, 0, 160, 160, 0), x.readSamples(0, 0, 0, 160, 160, 0), k1);
                }
            }

            // A retry after the results were stored reads them back (and removes any leftover checkpoint).
            store.putBytes(ObjectKeys.underPrefix(checkpoint, "fingerprint.txt"), "leftover".getBytes(StandardCharsets.UTF_8), null);
            SlideScoring.SlideOutcome again = scoring.scoreResumable("walk1", 1, modelKey, slide, t -> {
                throw new AssertionError("a finished slide is not walked again");
            }, dir.resolve("worker-d"), 0, null);
            assertTrue(again.readBack());
            assertEquals(resumed.windows(), again.windows());
            assertTrue(names(checkpoint).isEmpty());
        }
    }

    @Test
    void theScoringActivityResumesAnotherWorkersWalkFromItsHeartbeat() throws Exception {
        String slide = "slides/w2/original.tif";
        uploadSlide(slide, 176, 160, 22);
        long seed = 4;
        String checkpoint = ObjectKeys.slideWalkPrefix("walk2", 1, SlideScoring.modelId(modelKey), "w2@original.tif");
        // Worker A dies part-way through the walk; what it heartbeated is what Temporal hands the retry.
        int[] heartbeat = {0};
        try (CampaignModel m = CampaignModel.load(data, modelKey)) {
            // The activity's per-tile function for pool entry 0 (seed * 31 + index).
            Function<Tile, UncertaintyMap> real = SlideScoring.perTile(m, UncertaintyMeasures.byName(MC.measure()),
                    MC.estimator(), MC.passes(), seed * 31);
            AtomicInteger calls = new AtomicInteger();
            assertThrows(IllegalStateException.class, () -> new SlideScoring(data, PARAMS).scoreResumable("walk2", 1,
                    modelKey, slide, t -> {
                        if (calls.incrementAndGet() > 7) {
                            throw new IllegalStateException("worker lost");
                        }
                        return real.apply(t);
                    }, dir.resolve("activity-worker-a"), 0, (i, total, resumeFrom) -> heartbeat[0] = resumeFrom));
        }
        assertTrue(heartbeat[0] > 0, "worker A got past the first tiles");
        assertFalse(names(checkpoint).isEmpty());

        ScoringRequest request = new ScoringRequest("walk2", 1, modelKey, "local", List.of(slide), MC, seed);
        List<ScoringActivitiesImpl.ScoringProgress> beats = new ArrayList<>();
        ScoringResult resumed = runScoring(request, dir.resolve("activity-worker-b"),
                new ScoringActivitiesImpl.ScoringProgress(0, heartbeat[0]), beats);
        // The first heartbeat of the retry is at the resume point, not at tile 0: it did not start over.
        assertEquals(new ScoringActivitiesImpl.ScoringProgress(0, heartbeat[0]), beats.get(0));
        assertTrue(names(checkpoint).isEmpty());

        ScoringResult clean = runScoring(new ScoringRequest("walk2", 2, modelKey, "local", List.of(slide), MC, seed),
                dir.resolve("activity-worker-c"), null, new ArrayList<>());
        assertEquals(clean.tiles().size(), resumed.tiles().size());
        for (int i = 0; i < clean.tiles().size(); i++) {
            TileScore a = clean.tiles().get(i);
            TileScore b = resumed.tiles().get(i);
            assertEquals(a.tileId(), b.tileId());
            assertEquals(a.meanUncertainty(), b.meanUncertainty(), 1e-9);
            assertEquals(a.maxUncertainty(), b.maxUncertainty(), 1e-9);
        }
    }

    @Test
    void theCampaignsSlideWindowingReachesTheWalkAndMustFitTheModel() throws Exception {
        String slide = "slides/w3/original.tif";
        uploadSlide(slide, 200, 120, 23);
        ScoringResult r = runScoring(new ScoringRequest("walk3", 1, modelKey, "local", List.of(slide), MC, 1,
                new SlideWindowing(96, 16, 0.0)), dir.resolve("windowing"), null, new ArrayList<>());
        // 200 wide, stride 80: x 0, 80, 104; 120 high: y 0, 24 -> 6 windows of 96 x 96.
        assertEquals(6, r.tiles().size());
        for (TileScore t : r.tiles()) {
            SlideScoring.SlideWindow w = SlideScoring.SlideWindow.parse(t.tileId());
            assertEquals(96, w.width(), t.tileId());
            assertEquals(96, w.height(), t.tileId());
        }

        // A depth-5 U-Net needs multiples of 32: a 48-pixel window is a clear, non-retryable problem.
        String deepKey;
        try (SegmentationModel deep = SegmentationModel.create(new UNetConfig(16, 5, 0.2f), 6)) {
            deepKey = data.putModel(deep.toBytes());
        }
        ActivityFailure f = assertThrows(ActivityFailure.class, () -> runScoring(new ScoringRequest("walk3", 2, deepKey,
                "local", List.of(slide), MC, 1, new SlideWindowing(48, 8, 0.0)), dir.resolve("windowing-2"), null,
                new ArrayList<>()));
        ApplicationFailure cause = (ApplicationFailure) f.getCause();
        assertTrue(cause.isNonRetryable());
        assertTrue(cause.getOriginalMessage().contains("localData.slideWindowing.windowSize 48 is not a multiple of 32"),
                cause.getOriginalMessage());
    }

    private static ScoringResult runScoring(ScoringRequest request, Path workRoot, Object heartbeatDetails,
                                            List<ScoringActivitiesImpl.ScoringProgress> beats) {
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        try {
            env.setActivityHeartbeatListener(ScoringActivitiesImpl.ScoringProgress.class, beats::add);
            if (heartbeatDetails != null) {
                env.setHeartbeatDetails(heartbeatDetails);
            }
            env.registerActivitiesImplementations(new ScoringActivitiesImpl(data, PARAMS, workRoot));
            ScoringActivities scoring = env.newActivityStub(ScoringActivities.class,
                    ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(5)).build());
            return scoring.scoreTiles(request);
        } finally {
            env.close();
        }
    }

    /** The real store, with the keys of puts recorded in order. */
    private static final class RecordingStore implements ObjectStore {
        final ObjectStore delegate;
        final List<String> puts = new ArrayList<>();

        RecordingStore(ObjectStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public ObjectInfo put(String key, InputStream in, long size, String contentType) {
            puts.add(key);
            return delegate.put(key, in, size, contentType);
        }

        @Override
        public ObjectInfo putBytes(String key, byte[] bytes, String contentType) {
            puts.add(key);
            return delegate.putBytes(key, bytes, contentType);
        }

        @Override
        public String putContentAddressed(String prefix, byte[] bytes, String contentType) {
            return delegate.putContentAddressed(prefix, bytes, contentType);
        }

        @Override
        public ObjectInfo putJson(String key, Object value) {
            puts.add(key);
            return delegate.putJson(key, value);
        }

        @Override
        public <T> T getJson(String key, Class<T> type) {
            return delegate.getJson(key, type);
        }

        @Override
        public InputStream get(String key) {
            return delegate.get(key);
        }

        @Override
        public byte[] getBytes(String key) {
            return delegate.getBytes(key);
        }

        @Override
        public InputStream getRange(String key, long offset, long length) {
            return delegate.getRange(key, offset, length);
        }

        @Override
        public ObjectInfo stat(String key) {
            return delegate.stat(key);
        }

        @Override
        public boolean exists(String key) {
            return delegate.exists(key);
        }

        @Override
        public List<ObjectInfo> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public void delete(String key) {
            delegate.delete(key);
        }

        @Override
        public void ensureBucket() {
            delegate.ensureBucket();
        }

        @Override
        public void close() {
        }
    }
}
