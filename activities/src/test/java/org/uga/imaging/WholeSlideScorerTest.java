package org.uga.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uga.ml.data.Tile;
import org.uga.ml.uncertainty.UncertaintyMap;

class WholeSlideScorerTest {

    @TempDir
    Path dir;

    /** Probability = red of the pixel, uncertainty = a per-tile constant (its x origin / 1000). */
    static Function<Tile, UncertaintyMap> redAndTileConstant(AtomicInteger calls) {
        return tile -> {
            calls.incrementAndGet();
            int n = tile.pixels();
            float[] p = new float[n];
            System.arraycopy(tile.rgb(), 0, p, 0, n);
            String coords = tile.id().substring(tile.id().indexOf(':') + 1);
            float c = Integer.parseInt(coords.split(",")[0]) / 1000f;
            float[] u = new float[n];
            java.util.Arrays.fill(u, c);
            return new UncertaintyMap(tile.id(), tile.width(), tile.height(), p, u);
        };
    }

    @Test
    void blendsTilesWithoutSeamsAndWritesPyramidalMaps() throws Exception {
        SlideGenerator gen = new SlideGenerator(300, 200, 5);
        Path slideFile = gen.writeTiff(dir.resolve("s.tif"), 64, TiledTiffWriter.Compression.DEFLATE);
        byte[] rgb = gen.renderRows(0, 200);
        AtomicInteger calls = new AtomicInteger();
        WholeSlideScorer scorer = new WholeSlideScorer(new WholeSlideScorer.Params(0, 64, 16, 0, 64,
                TiledTiffWriter.Compression.LZW));
        AtomicInteger heartbeats = new AtomicInteger();
        WholeSlideScorer.Result result;
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(slideFile)) {
            result = scorer.score(slide, null, redAndTileConstant(calls), dir.resolve("work"), dir.resolve("p.tif"),
                    dir.resolve("u.tif"), 0, (i, total, resume) -> heartbeats.incrementAndGet());
        }
        // x origins 0,48,96,144,192,236 (last flush right); y 0,48,96,136.
        assertEquals(24, result.tilesTotal());
        assertEquals(24, calls.get());
        assertTrue(heartbeats.get() >= 24, "a heartbeat per tile");
        try (ImageIoSlideReader p = ImageIoSlideReader.open(result.probabilityTiff());
             ImageIoSlideReader u = ImageIoSlideReader.open(result.uncertaintyTiff())) {
            assertEquals(300, p.info().width());
            assertEquals(4, p.info().levelCount(), "300 -> 150 -> 75 -> 38 with 64 px tiles");
            float[] prob = p.readSamples(0, 0, 0, 300, 200, 0);
            // Every tile agrees on the probability of a pixel, so blending must give it back exactly.
            for (int i = 0; i < 300 * 200; i++) {
                assertEquals((rgb[i * 3] & 0xff) / 255f, prob[i], 1e-5f, "pixel " + i);
            }
            float[] unc = u.readSamples(0, 0, 0, 300, 200, 0);
            // Outside overlaps the tile's own constant; across the overlap 48..64 a linear ramp from 0 to 0.048.
            assertEquals(0f, unc[100 * 300 + 20], 1e-6f);
            assertEquals(0.048f, unc[100 * 300 + 70], 1e-6f);
            float w0 = (64 - 56 - 0.5f) / 16;  // tile at 0, pixel 56: falling ramp
            float w1 = (56 - 48 + 0.5f) / 16;  // tile at 48: rising ramp
            assertEquals((w0 * 0 + w1 * 0.048f) / (w0 + w1), unc[100 * 300 + 56], 1e-6f);
            for (int x = 1; x < 300; x++) {
                float step = Math.abs(unc[100 * 300 + x] - unc[100 * 300 + x - 1]);
                assertTrue(step < 0.01f, "no seam at x=" + x + ": step " + step);
            }
        }
        assertEquals(24, result.tiles().size());
        assertEquals(0.048 * 64 * 64, result.tiles().get(1).uncertaintySum(), 1e-2);
    }

    @Test
    void resumesAfterAFailedAttempt() throws Exception {
        SlideGenerator gen = new SlideGenerator(260, 230, 8);
        Path slideFile = gen.writeTiff(dir.resolve("r.tif"), 64, TiledTiffWriter.Compression.DEFLATE);
        WholeSlideScorer scorer = new WholeSlideScorer(WholeSlideScorer.Params.of(64, 8));
        Path work = dir.resolve("work");
        AtomicInteger calls = new AtomicInteger();
        int[] lastResume = {0};
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(slideFile)) {
            // First attempt dies in the middle of tile row 2 (e.g. the worker is killed).
            Exception crash = assertThrows(IllegalStateException.class, () -> scorer.score(slide, null,
                    redAndTileConstant(calls), work, dir.resolve("p1.tif"), dir.resolve("u1.tif"), 0,
                    (i, total, resume) -> {
                        lastResume[0] = resume;
                        if (i == 13) {
                            throw new IllegalStateException("worker lost");
                        }
                    }));
            assertEquals("worker lost", crash.getMessage());
            assertEquals(10, lastResume[0], "tile rows 0 and 1 (5 tiles each) are saved");
            int firstAttemptCalls = calls.get();

            WholeSlideScorer.Result resumed = scorer.score(slide, null, redAndTileConstant(calls), work,
                    dir.resolve("p1.tif"), dir.resolve("u1.tif"), lastResume[0], null);
            assertEquals(10, resumed.tilesResumed());
            assertEquals(resumed.tilesTotal() - 10, calls.get() - firstAttemptCalls, "only the missing tiles are scored");

            AtomicInteger fresh = new AtomicInteger();
            WholeSlideScorer.Result clean = scorer.score(slide, null, redAndTileConstant(fresh), dir.resolve("work2"),
                    dir.resolve("p2.tif"), dir.resolve("u2.tif"), 0, null);
            assertEquals(clean.tilesTotal(), fresh.get());
            assertEquals(clean.tiles(), resumed.tiles());
        }
        try (ImageIoSlideReader a = ImageIoSlideReader.open(dir.resolve("u1.tif"));
             ImageIoSlideReader b = ImageIoSlideReader.open(dir.resolve("u2.tif"))) {
            assertArrayEquals(b.readSamples(0, 0, 0, 260, 230, 0), a.readSamples(0, 0, 0, 260, 230, 0));
        }
        try (ImageIoSlideReader a = ImageIoSlideReader.open(dir.resolve("p1.tif"));
             ImageIoSlideReader b = ImageIoSlideReader.open(dir.resolve("p2.tif"))) {
            assertArrayEquals(b.readSamples(0, 0, 0, 260, 230, 0), a.readSamples(0, 0, 0, 260, 230, 0));
        }
    }

    @Test
    void skipsBackgroundTilesByTissueMask() throws Exception {
        // Left half tissue-like pink, right half glass.
        int w = 256;
        int h = 128;
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            boolean left = (i % w) < 128;
            rgb[i * 3] = (byte) (left ? 220 : 245);
            rgb[i * 3 + 1] = (byte) (left ? 140 : 245);
            rgb[i * 3 + 2] = (byte) (left ? 190 : 246);
        }
        Path file = dir.resolve("half.tif");
        try (TiledTiffWriter tw = TiledTiffWriter.create(file, TiledTiffWriter.Spec.rgb(w, h, 32))) {
            tw.writeRows(rgb, h);
        }
        AtomicInteger calls = new AtomicInteger();
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(file)) {
            TissueMask tissue = TissueDetector.defaults().detect(slide, 4);
            assertEquals(0.5, tissue.tissueFraction(), 0.02);
            WholeSlideScorer.Result r = new WholeSlideScorer(WholeSlideScorer.Params.of(64, 0).withMinTissue(0.1))
                    .score(slide, tissue, redAndTileConstant(calls), dir.resolve("w"), dir.resolve("p.tif"),
                            dir.resolve("u.tif"), 0, null);
            assertEquals(8, r.tilesTotal());
            assertEquals(4, r.tilesScored());
            assertEquals(4, r.tilesSkipped());
            assertEquals(4, calls.get());
        }
        try (ImageIoSlideReader p = ImageIoSlideReader.open(dir.resolve("p.tif"))) {
            assertEquals(220 / 255f, p.readSamples(0, 10, 10, 1, 1, 0)[0], 1e-6f);
            assertEquals(0f, p.readSamples(0, 200, 10, 1, 1, 0)[0], "skipped background scores 0");
        }
        assertTrue(Files.exists(dir.resolve("u.tif")));
    }
}
