package org.uga.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uga.activities.SlideScoring;
import org.uga.imaging.ImageIoSlideReader;
import org.uga.imaging.SlideGenerator;
import org.uga.imaging.StoredSlides;
import org.uga.imaging.TiledTiffWriter;
import org.uga.ml.data.Images;
import org.uga.ml.data.Tile;
import org.uga.ml.model.SegmentationModel;
import org.uga.ml.model.UNetConfig;
import org.uga.store.ObjectKeys;
import org.uga.workflows.TaskQueues;
import org.uga.workflows.UgaCampaigns;
import org.uga.workflows.model.AnnotatedPatch;
import org.uga.workflows.model.AnnotationPolicy;
import org.uga.workflows.model.AnnotationResult;
import org.uga.workflows.model.CampaignResult;
import org.uga.workflows.model.CampaignSpec;
import org.uga.workflows.model.CampaignStatus;
import org.uga.workflows.model.CycleSummary;
import org.uga.workflows.model.DeadlineAction;
import org.uga.workflows.model.FineTuneConfig;
import org.uga.workflows.model.LocalData;
import org.uga.workflows.model.ModelSource;
import org.uga.workflows.model.PatchStatus;
import org.uga.workflows.model.Phase;
import org.uga.workflows.model.SlideWindowing;
import org.uga.workflows.model.StopRules;
import org.uga.workflows.model.UncertaintyConfig;

/**
 * A campaign whose pool is a whole slide (a generated tiled pyramidal TIFF at {@code slides/<id>/<file>}) plus one
 * dataset tile, on the embedded stack with real DJL: scoring walks the slide in the campaign's windows and stores
 * the maps, selection crops patches from slide windows with region reads, the annotator fetches each patch and
 * submits a mask through the real path, fine-tuning crops the same windows, validation gives Dice.
 */
class SlideCampaignEndToEndTest {

    static final String CAMPAIGN = "e2e-slide";
    static final String SLIDE = "slides/s1/slide.tif";
    static final int WIDTH = 768;
    static final int HEIGHT = 512;
    static final int PATCH = 64;
    /** Not the defaults (256/32), so the window size of the patches shows the campaign's value arrived: 5 x 3 windows. */
    static final SlideWindowing WINDOWS = new SlideWindowing(192, 16, 0.05);

    @TempDir
    Path dir;

    /** The pathologist's mask of a patch: the generator's nucleus ground truth at the patch's slide position. */
    static byte[] groundTruth(byte[] slideMask, int x0, int y0, int w, int h) {
        byte[] mask = new byte[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(slideMask, (y0 + y) * WIDTH + x0, mask, y * w, w);
        }
        return mask;
    }

    @Test
    void aCampaignOverAWholeSlideScoresSelectsWindowsAndFineTunesOnTheirMasks() throws Exception {
        try (E2eSupport e = new E2eSupport(dir.resolve("stack"))) {
            SlideGenerator gen = new SlideGenerator(WIDTH, HEIGHT, 31);
            Path tif = gen.writeTiff(dir.resolve("slide.tif"), 256, TiledTiffWriter.Compression.DEFLATE);
            StoredSlides.upload(e.store, tif, SLIDE, StoredSlides.TIFF);
            byte[] slideRgb = gen.renderRows(0, HEIGHT);
            byte[] slideMask = gen.renderMaskRows(0, HEIGHT);

            // One 64-px dataset tile yields at most one patch, so at least two of the three come from the slide.
            String tileId = e.poolIds.get(0);
            // The initial model is a stored checkpoint (initial training is CampaignEndToEndTest's subject), with
            // the central tiles as fine-tuning replay data.
            String initialModel;
            try (SegmentationModel m = SegmentationModel.create(UNetConfig.cpuDefault(), 5)) {
                initialModel = e.data.putModel(m.toBytes());
            }
            CampaignSpec spec = new CampaignSpec(CAMPAIGN, "E2E whole slide", "coordinator",
                    new ModelSource(initialModel, "central", e.centralIds, 0),
                    new LocalData("local", List.of(SLIDE, tileId), e.validationIds, WINDOWS), 3, PATCH, "uga",
                    new UncertaintyConfig("mc-dropout", 2, "paper-ce"), 1, StopRules.none(), List.of("alice", "bob"),
                    new AnnotationPolicy(Duration.ofDays(7), Duration.ofDays(1), DeadlineAction.PROCEED_WITH_RECEIVED, 1),
                    new FineTuneConfig(1, 0.5, 1e-3, 4), 10, 17L);
            assertEquals(List.of(), spec.validate());

            try (UgaWorkerRuntime worker = UgaWorkerRuntime.create(e.client, e.store, TaskQueues.ALL, 1, 2).start()) {
                long startedAt = System.nanoTime();
                UgaCampaigns.start(e.client, spec);
                CampaignStatus s = e.awaitStatus(CAMPAIGN, "annotating", Duration.ofMinutes(4), E2eSupport.annotating(1));
                long annotatingAt = System.nanoTime();
                System.out.printf("slide campaign: start -> annotating %.1f s%n", (annotatingAt - startedAt) / 1e9);

                // Scoring stored the slide's maps at its full size, its window scores, and removed its checkpoint.
                String imageId = SlideScoring.imageId(SLIDE);
                for (String key : List.of(ObjectKeys.slideUncertaintyMap(CAMPAIGN, 1, imageId),
                        ObjectKeys.slideProbabilityMap(CAMPAIGN, 1, imageId))) {
                    try (ImageIoSlideReader map = StoredSlides.open(e.store, key)) {
                        assertEquals(WIDTH, map.info().width(), key);
                        assertEquals(HEIGHT, map.info().height(), key);
                    }
                }
                assertTrue(e.store.exists(ObjectKeys.slideWindowScores(CAMPAIGN, 1, imageId)));
                assertTrue(e.store.list(ObjectKeys.cyclePrefix(CAMPAIGN, 1) + "slide-walks/").isEmpty(),
                        "a finished walk leaves no checkpoint behind");

                assertEquals(3, s.patches().size());
                List<AnnotationResult> results = new ArrayList<>();
                int fromSlide = 0;
                for (PatchStatus p : s.patches()) {
                    BufferedImage patch = Images.read(e.store.getBytes(p.imageKey()), p.imageKey());
                    assertEquals(PATCH, patch.getWidth());
                    assertEquals(PATCH, patch.getHeight());
                    assertTrue(e.store.exists(p.predictionKey()) && e.store.exists(p.uncertaintyKey()));
                    byte[] mask;
                    if (SlideScoring.SlideWindow.isWindowId(p.imageId())) {
                        fromSlide++;
                        SlideScoring.SlideWindow w = SlideScoring.SlideWindow.parse(p.imageId());
                        assertEquals(SLIDE, w.slideKey());
                        assertEquals(WINDOWS.windowSize(), w.width(), p.imageId());
                        assertEquals(WINDOWS.windowSize(), w.height(), p.imageId());
                        // The patch is the slide's pixels at window origin + patch offset (a region read).
                        for (int y = 0; y < PATCH; y++) {
                            for (int x = 0; x < PATCH; x++) {
                                int i = ((w.y() + p.y() + y) * WIDTH + w.x() + p.x() + x) * 3;
                                int rgb = ((slideRgb[i] & 0xff) << 16) | ((slideRgb[i + 1] & 0xff) << 8) | (slideRgb[i + 2] & 0xff);
                                if ((patch.getRGB(x, y) & 0xffffff) != rgb) {
                                    throw new AssertionError("patch " + p.patchId() + " pixel " + x + "," + y
                                            + " is not the slide's pixel at " + (w.x() + p.x() + x) + "," + (w.y() + p.y() + y));
                                }
                            }
                        }
                        mask = groundTruth(slideMask, w.x() + p.x(), w.y() + p.y(), PATCH, PATCH);
                    } else {
                        assertEquals(tileId, p.imageId());
                        Tile truth = e.localTruth.get(p.imageId()).crop(p.x(), p.y(), p.w(), p.h());
                        mask = truth.mask();
                    }
                    results.add(e.submitMask(CAMPAIGN, p, mask));
                }
                assertTrue(fromSlide >= 2, "patches from slide windows: " + fromSlide);
                for (AnnotationResult r : results) {
                    assertEquals(AnnotationResult.Status.ACCEPTED, r.status(), r.toString());
                }

                CampaignResult r = e.client.newUntypedWorkflowStub(CAMPAIGN, Optional.empty(), Optional.empty())
                        .getResult(Duration.ofMinutes(4).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS,
                                CampaignResult.class);
                System.out.printf("slide campaign: annotated -> completed %.1f s%n", (System.nanoTime() - annotatingAt) / 1e9);
                assertEquals(Phase.COMPLETED, r.phase());
                assertEquals(1, r.cycles().size());
                CycleSummary c = r.cycles().get(0);
                assertEquals(3, c.patchesAnnotated());
                assertNotNull(c.diceBefore(), c.toString());
                assertNotNull(c.diceAfter(), c.toString());
                assertTrue(c.diceAfter() >= 0 && c.diceAfter() <= 1, c.toString());
                // The candidate was fine-tuned on all three annotations, slide windows included.
                Set<String> ids = results.stream().map(AnnotationResult::annotationId).collect(Collectors.toSet());
                assertEquals(ids, Set.copyOf(r.lineage().get(1).annotationIds()));
                assertEquals(initialModel, r.lineage().get(1).parentKey());
                assertEquals(ids, r.annotations().stream().map(AnnotatedPatch::annotationId).collect(Collectors.toSet()));
                assertTrue(r.annotations().stream().filter(a -> SlideScoring.SlideWindow.isWindowId(a.imageId())).count() >= 2);
            }
        }
    }
}
