package org.uga.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.testing.TestActivityEnvironment;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
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
import org.uga.ml.data.Images;
import org.uga.ml.data.Tile;
import org.uga.ml.model.SegmentationModel;
import org.uga.ml.model.UNetConfig;
import org.uga.ml.uncertainty.UncertaintyMap;
import org.uga.ml.uncertainty.UncertaintyMeasures;
import org.uga.store.EmbeddedS3;
import org.uga.store.ObjectKeys;
import org.uga.store.S3ObjectStore;
import org.uga.workflows.activities.PatchDescriptor;
import org.uga.workflows.activities.ScoringActivities;
import org.uga.workflows.activities.ScoringRequest;
import org.uga.workflows.activities.ScoringResult;
import org.uga.workflows.activities.SelectionRequest;
import org.uga.workflows.activities.TileScore;
import org.uga.workflows.model.UncertaintyConfig;

/**
 * Whole slides in the campaign's scoring and selection activities: real S3 (S3Proxy of the embedded stack),
 * generated tiled TIFF slides, the real U-Net with MC dropout. Small sizes: 64 px windows.
 */
class SlideScoringTest {

    @TempDir
    static Path dir;

    @RegisterExtension
    static final EmbeddedS3 S3 = new EmbeddedS3();
    static S3ObjectStore store;
    static CampaignData data;
    static String modelKey;
    static final SlideScoring.Params PARAMS = new SlideScoring.Params(64, 16, 0.0, 4);

    @BeforeAll
    static void start() {
        store = S3.store();
        data = new CampaignData(store);
        try (SegmentationModel m = SegmentationModel.create(UNetConfig.cpuDefault(), 3)) {
            modelKey = data.putModel(m.toBytes());
        }
    }

    static SlideGenerator uploadSlide(String key, int w, int h, long seed) throws Exception {
        SlideGenerator gen = new SlideGenerator(w, h, seed);
        Path file = gen.writeTiff(dir.resolve(key.replace('/', '_')), 64, TiledTiffWriter.Compression.DEFLATE);
        StoredSlides.upload(store, file, key, StoredSlides.TIFF);
        return gen;
    }

    @Test
    void windowIdsRoundTripAndRejectBadKeys() {
        SlideScoring.SlideWindow w = new SlideScoring.SlideWindow("slides/s-1/original.tif", 48, 96, 64, 64);
        assertEquals("s-1@original.tif@x48y96w64h64", w.id());
        assertEquals(w, SlideScoring.SlideWindow.parse(w.id()));
        assertEquals(w.id(), ObjectKeys.id("tileId", w.id()), "a window id is a valid single-segment id");
        assertTrue(SlideScoring.isSlideKey("slides/s-1/original.tif"));
        assertTrue(!SlideScoring.SlideWindow.isWindowId("tile-7"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new SlideScoring.SlideWindow("slides/a/b/c.tif", 0, 0, 8, 8));
        assertTrue(bad.getMessage().contains("slides/<slideId>/<file>"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SlideScoring.imageId("slides/a@b/x.tif"));
    }

    @Test
    void scoringActivityScoresASlideAndSelectionCropsPatchesFromIt() throws Exception {
        SlideGenerator gen = uploadSlide("slides/s1/original.tif", 192, 160, 11);
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        try {
            List<ScoringActivitiesImpl.ScoringProgress> beats = new ArrayList<>();
            env.setActivityHeartbeatListener(ScoringActivitiesImpl.ScoringProgress.class, beats::add);
            env.registerActivitiesImplementations(new ScoringActivitiesImpl(data, PARAMS, dir.resolve("work")));
            ScoringActivities scoring = env.newActivityStub(ScoringActivities.class,
                    io.temporal.activity.ActivityOptions.newBuilder()
                            .setStartToCloseTimeout(java.time.Duration.ofMinutes(5)).build());
            ScoringResult result = scoring.scoreTiles(new ScoringRequest("camp1", 1, modelKey, "local",
                    List.of("slides/s1/original.tif"), new UncertaintyConfig("mc-dropout", 3, "paper-ce"), 5));

            // 192 wide: windows at x 0,48,96,128; 160 high: y 0,48,96 -> 12 windows, all tissue-filter-free here.
            assertEquals(12, result.tiles().size());
            String uKey = ObjectKeys.slideUncertaintyMap("camp1", 1, "s1@original.tif");
            String pKey = ObjectKeys.slideProbabilityMap("camp1", 1, "s1@original.tif");
            for (TileScore ts : result.tiles()) {
                assertTrue(SlideScoring.SlideWindow.isWindowId(ts.tileId()), ts.tileId());
                assertEquals(uKey, ts.mapKey());
                assertTrue(ts.meanUncertainty() > 0 && ts.maxUncertainty() >= ts.meanUncertainty(), ts.toString());
            }
            // The test environment throttles heartbeats, so only the first ones arrive; they carry ScoringProgress.
            assertTrue(!beats.isEmpty() && beats.get(0).entriesDone() == 0, "heartbeats: " + beats);

            // The maps are pyramidal float TIFFs of the slide's size; the window's own mean matches the stored map
            // up to blending at the borders (interior windows have overlap on every side, so compare loosely).
            try (ImageIoSlideReader u = StoredSlides.open(store, uKey); ImageIoSlideReader p = StoredSlides.open(store, pKey)) {
                assertEquals(192, u.info().width());
                assertEquals(160, p.info().height());
                float[] prob = p.readSamples(0, 0, 0, 192, 160, 0);
                for (float v : prob) {
                    assertTrue(v >= 0 && v <= 1, "probability " + v);
                }
            }

            // The same per-tile function on the window alone gives that window's score (deterministic seeds).
            TileScore first = result.tiles().get(0);
            SlideScoring.SlideWindow w0 = SlideScoring.SlideWindow.parse(first.tileId());
            try (CampaignModel m = CampaignModel.load(data, modelKey)) {
                Tile raw;
                try (ImageIoSlideReader s = StoredSlides.open(store, w0.slideKey())) {
                    raw = s.readTile(0, w0.x(), w0.y(), w0.width(), w0.height());
                }
                UncertaintyMap again = SlideScoring.perTile(m, UncertaintyMeasures.byName("paper-ce"), "mc-dropout", 3,
                        5L * 31 + 0).apply(raw);
                double mean = 0;
                for (float v : again.uncertainty()) {
                    mean += v;
                }
                assertEquals(first.meanUncertainty(), mean / again.uncertainty().length, 1e-6);
            }

            // A second attempt (e.g. a retry after the result was lost) reads the finished slide back.
            ScoringResult again = scoring.scoreTiles(new ScoringRequest("camp1", 1, modelKey, "local",
                    List.of("slides/s1/original.tif"), new UncertaintyConfig("mc-dropout", 3, "paper-ce"), 5));
            assertEquals(result.tiles(), again.tiles());

            // Selection ranks the windows and crops each patch from the slide with a region read.
            List<PatchDescriptor> patches = new SelectionActivitiesImpl(data).selectPatches(new SelectionRequest("camp1", 1,
                    modelKey, "local", result, "uga", 2, 32, List.of(), 9));
            assertEquals(2, patches.size());
            byte[] rgb = gen.renderRows(0, 160);
            for (PatchDescriptor pd : patches) {
                SlideScoring.SlideWindow w = SlideScoring.SlideWindow.parse(pd.imageId());
                BufferedImage img = Images.read(store.getBytes(pd.imageKey()), pd.imageKey());
                assertEquals(32, img.getWidth());
                for (int y = 0; y < 32; y += 7) {
                    for (int x = 0; x < 32; x += 5) {
                        int sx = w.x() + pd.x() + x;
                        int sy = w.y() + pd.y() + y;
                        int expected = ((rgb[(sy * 192 + sx) * 3] & 0xff) << 16) | ((rgb[(sy * 192 + sx) * 3 + 1] & 0xff) << 8)
                                | (rgb[(sy * 192 + sx) * 3 + 2] & 0xff);
                        assertEquals(expected, img.getRGB(x, y) & 0xffffff, "patch " + pd.patchId() + " pixel " + x + "," + y);
                    }
                }
                assertTrue(store.exists(pd.predictionKey()) && store.exists(pd.uncertaintyKey()));
                // Training and annotation checks crop patches via CampaignData.tile: the window id resolves.
                assertEquals(64, data.tile("local", pd.imageId(), false).width());
            }
        } finally {
            env.close();
        }
    }

    @Test
    void aRetriedSlideWalkResumesFromTheLastFinishedTileRow() throws Exception {
        uploadSlide("slides/s2/original.tif", 160, 176, 12);
        SlideScoring scoring = new SlideScoring(data, PARAMS);
        Path work = dir.resolve("resume-work");
        try (CampaignModel m = CampaignModel.load(data, modelKey)) {
            Function<Tile, UncertaintyMap> real = SlideScoring.perTile(m, UncertaintyMeasures.byName("paper-ce"), "mc-dropout", 2, 4);
            AtomicInteger calls = new AtomicInteger();
            Function<Tile, UncertaintyMap> counting = t -> {
                calls.incrementAndGet();
                return real.apply(t);
            };
            int[] resume = {0};
            // 160 wide: x 0,48,96 (3 across); 176 high: y 0,48,96,112 (4 down): 12 tiles. The worker dies at tile 7.
            IllegalStateException crash = assertThrows(IllegalStateException.class, () -> scoring.scoreResumable("camp2",
                    1, modelKey, "slides/s2/original.tif", counting, work, 0, (i, total, r) -> {
                        resume[0] = r;
                        if (i == 7) {
                            throw new IllegalStateException("worker lost");
                        }
                    }));
            assertEquals("worker lost", crash.getMessage());
            assertTrue(resume[0] > 0 && resume[0] <= 7, "some finished tiles are saved: resume at " + resume[0]);
            assertTrue(!store.exists(ObjectKeys.slideWindowScores("camp2", 1, "s2@original.tif")), "nothing marked done");
            int before = calls.get();
            List<TileScore> resumed = scoring.scoreResumable("camp2", 1, modelKey, "slides/s2/original.tif", counting, work,
                    resume[0], null).windows();
            assertEquals(12 - resume[0], calls.get() - before, "only the unfinished tiles are scored again");
            assertEquals(12, resumed.size());

            // Same numbers as an uninterrupted walk (cycle 2 keys, fresh work dir).
            List<TileScore> clean = scoring.scoreResumable("camp2", 2, modelKey, "slides/s2/original.tif", real,
                    dir.resolve("clean-work"), 0, null).windows();
            for (int i = 0; i < clean.size(); i++) {
                assertEquals(clean.get(i).tileId(), resumed.get(i).tileId());
                assertEquals(clean.get(i).meanUncertainty(), resumed.get(i).meanUncertainty(), 1e-9);
            }
            try (ImageIoSlideReader a = StoredSlides.open(store, ObjectKeys.slideUncertaintyMap("camp2", 1, "s2@original.tif"));
                 ImageIoSlideReader b = StoredSlides.open(store, ObjectKeys.slideUncertaintyMap("camp2", 2, "s2@original.tif"))) {
                assertArrayEquals(b.readSamples(0, 0, 0, 160, 176, 0), a.readSamples(0, 0, 0, 160, 176, 0));
            }
        }
    }

    @Test
    void aMissingSlideIsANonRetryableInvalidInput() {
        SlideScoring scoring = new SlideScoring(data, PARAMS);
        io.temporal.failure.ApplicationFailure f = assertThrows(io.temporal.failure.ApplicationFailure.class,
                () -> scoring.scoreResumable("camp3", 1, modelKey, "slides/nope/original.tif", t -> null, dir.resolve("w3"), 0,
                        null));
        assertTrue(f.isNonRetryable());
        assertTrue(f.getOriginalMessage().contains("slides/nope/original.tif does not exist"), f.getOriginalMessage());
    }
}
