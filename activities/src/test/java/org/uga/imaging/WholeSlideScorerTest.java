package org.uga.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    /** Probability = red of the pixel times a per-tile factor, uncertainty = green x (1 + tile origin / 100). */
    static Function<Tile, UncertaintyMap> perTileVarying(AtomicInteger calls) {
        return tile -> {
            calls.incrementAndGet();
            int n = tile.pixels();
            String[] coords = tile.id().substring(tile.id().indexOf(':') + 1).split(",");
            int x = Integer.parseInt(coords[0]);
            int y = Integer.parseInt(coords[1]);
            float[] p = new float[n];
            float[] u = new float[n];
            float f = 0.5f + ((x * 7 + y * 13) % 11) / 20f;
            for (int i = 0; i < n; i++) {
                p[i] = tile.rgb()[i] * f;
                u[i] = tile.rgb()[n + i] * (1 + (x + 3 * y) / 100f);
            }
            return new UncertaintyMap(tile.id(), tile.width(), tile.height(), p, u);
        };
    }

    @ParameterizedTest(name = "tile {0}, overlap {1}, output tile {2}, stripe {3}")
    @CsvSource({
        "64, 16, 32, 64",   // stripe borders inside tiles; the last stripe owns no tile column (only spill)
        "64, 24, 64, 128",
        "64, 0, 32, 96",
        "96, 40, 16, 112",  // a tile reaches over most of the next stripe
    })
    void stripedWalkGivesTheSameMapsAsOneStripe(int tile, int overlap, int outTile, int stripe) throws Exception {
        SlideGenerator gen = new SlideGenerator(300, 170, 12);
        Path slideFile = gen.writeTiff(dir.resolve("s.tif"), 64, TiledTiffWriter.Compression.DEFLATE);
        WholeSlideScorer.Params wide = new WholeSlideScorer.Params(0, tile, overlap, 0, outTile,
                TiledTiffWriter.Compression.DEFLATE, 1024);
        WholeSlideScorer.Params striped = wide.withStripeWidth(stripe);
        AtomicInteger wideCalls = new AtomicInteger();
        AtomicInteger stripedCalls = new AtomicInteger();
        List<Integer> order = new ArrayList<>();
        WholeSlideScorer.Result a;
        WholeSlideScorer.Result b;
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(slideFile)) {
            a = new WholeSlideScorer(wide).score(slide, null, perTileVarying(wideCalls), dir.resolve("w1"),
                    dir.resolve("p1.tif"), dir.resolve("u1.tif"), 0, null);
            b = new WholeSlideScorer(striped).score(slide, null, perTileVarying(stripedCalls), dir.resolve("w2"),
                    dir.resolve("p2.tif"), dir.resolve("u2.tif"), 0, (i, total, resume) -> order.add(i));
        }
        assertEquals(a.tilesTotal(), b.tilesTotal());
        assertEquals(a.tilesTotal(), wideCalls.get());
        assertEquals(a.tilesTotal(), stripedCalls.get(), "every tile scored once, also where it straddles a stripe border");
        // Walk order: indices rise by one per tile, stripe after stripe.
        List<Integer> perTile = new ArrayList<>();
        for (WholeSlideScorer.TileScore t : b.tiles()) {
            perTile.add(t.index());
        }
        for (int i = 0; i < perTile.size(); i++) {
            assertEquals(i, perTile.get(i));
        }
        assertTrue(b.tiles().get(b.tiles().size() - 1).x() >= 300 - tile, "the last tile walked is in the last stripe");
        assertEquals(sortedByPosition(a.tiles()), sortedByPosition(b.tiles()));
        assertMapsClose(dir.resolve("p1.tif"), dir.resolve("p2.tif"), 300, 170);
        assertMapsClose(dir.resolve("u1.tif"), dir.resolve("u2.tif"), 300, 170);
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary map files left");
        }
    }

    /** Tile scores without their walk index, ordered by position. */
    static List<String> sortedByPosition(List<WholeSlideScorer.TileScore> tiles) {
        return tiles.stream().sorted(Comparator.comparingInt(WholeSlideScorer.TileScore::y)
                        .thenComparingInt(WholeSlideScorer.TileScore::x))
                .map(t -> t.x() + "," + t.y() + " " + t.width() + "x" + t.height() + " " + t.scored() + " "
                        + t.tissueFraction() + " " + t.uncertaintySum() + " " + t.uncertaintyMax() + " " + t.meanProbability())
                .toList();
    }

    static void assertMapsClose(Path expected, Path actual, int w, int h) throws Exception {
        try (ImageIoSlideReader e = ImageIoSlideReader.open(expected);
             ImageIoSlideReader a = ImageIoSlideReader.open(actual)) {
            assertEquals(e.info().levelCount(), a.info().levelCount());
            for (int level = 0; level < e.info().levelCount(); level++) {
                SlideLevel l = e.info().level(level);
                assertEquals(l.width(), a.info().level(level).width());
                assertEquals(l.height(), a.info().level(level).height());
                float[] ev = e.readSamples(level, 0, 0, l.width(), l.height(), 0);
                float[] av = a.readSamples(level, 0, 0, l.width(), l.height(), 0);
                for (int i = 0; i < ev.length; i++) {
                    assertEquals(ev[i], av[i], 1e-6f, "level " + level + " pixel " + (i % l.width()) + "," + (i / l.width()));
                }
            }
        }
    }

    @Test
    void resumesInsideALaterStripeFromACopiedWorkDir() throws Exception {
        SlideGenerator gen = new SlideGenerator(290, 200, 4);
        Path slideFile = gen.writeTiff(dir.resolve("r.tif"), 64, TiledTiffWriter.Compression.DEFLATE);
        // Tiles 64, stride 48: x 0,48,96,144,192,226; y 0,48,96,136. Stripes of 96: owners {0,48} {96,144} {192,226}.
        WholeSlideScorer scorer = new WholeSlideScorer(new WholeSlideScorer.Params(0, 64, 16, 0, 32,
                TiledTiffWriter.Compression.LZW, 96));
        Path work = dir.resolve("work");
        Path copy = dir.resolve("copied");
        AtomicInteger calls = new AtomicInteger();
        int[] resumeAt = {-1};
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(slideFile)) {
            // Stripe 1 starts at tile 8 (2 columns x 4 rows); die at its third row's second tile (index 13): the
            // work dir is copied at that very moment, as a mirror would have it.
            Exception crash = assertThrows(IllegalStateException.class, () -> scorer.score(slide, null,
                    perTileVarying(calls), work, dir.resolve("p1.tif"), dir.resolve("u1.tif"), 0,
                    (i, total, resume) -> {
                        assertEquals(24, total);
                        if (i == 13) {
                            resumeAt[0] = resume;
                            copyDurableFiles(work, copy);
                            throw new IllegalStateException("worker lost");
                        }
                    }));
            assertEquals("worker lost", crash.getMessage());
            assertEquals(12, resumeAt[0], "stripe 0 (8 tiles) and two rows of stripe 1 are saved");
            int before = calls.get();

            WholeSlideScorer.Result resumed = scorer.score(slide, null, perTileVarying(calls), copy,
                    dir.resolve("p1.tif"), dir.resolve("u1.tif"), resumeAt[0], null);
            assertEquals(12, resumed.tilesResumed());
            assertEquals(24 - 12, calls.get() - before, "only the missing tiles are scored");

            AtomicInteger fresh = new AtomicInteger();
            WholeSlideScorer.Result clean = scorer.score(slide, null, perTileVarying(fresh), dir.resolve("work2"),
                    dir.resolve("p2.tif"), dir.resolve("u2.tif"), 0, null);
            assertEquals(24, fresh.get());
            assertEquals(clean.tiles(), resumed.tiles());
        }
        try (ImageIoSlideReader a = ImageIoSlideReader.open(dir.resolve("u1.tif"));
             ImageIoSlideReader b = ImageIoSlideReader.open(dir.resolve("u2.tif"))) {
            assertArrayEquals(b.readSamples(0, 0, 0, 290, 200, 0), a.readSamples(0, 0, 0, 290, 200, 0));
            assertArrayEquals(b.readSamples(1, 0, 0, 145, 100, 0), a.readSamples(1, 0, 0, 145, 100, 0));
        }
        try (ImageIoSlideReader a = ImageIoSlideReader.open(dir.resolve("p1.tif"));
             ImageIoSlideReader b = ImageIoSlideReader.open(dir.resolve("p2.tif"))) {
            assertArrayEquals(b.readSamples(0, 0, 0, 290, 200, 0), a.readSamples(0, 0, 0, 290, 200, 0));
        }
    }

    /** What a generic mirror sees: the durable files (never {@code *.tmp}); the fingerprint among them. */
    static void copyDurableFiles(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!p.getFileName().toString().endsWith(".tmp")) {
                    Files.copy(p, to.resolve(p.getFileName()));
                }
            }
        }
        assertTrue(Files.exists(to.resolve("fingerprint.txt")));
    }

    /**
     * A 32768 x 256 slide scored in a JVM capped at {@value #WIDE_HEAP_MB} MiB. The row-major walk this replaced held
     * two 256-row accumulators of the full width (64 MiB) plus two full-width TIFF bands per pyramid level, so it
     * could not run there; the striped walk needs O(stripe x tile) whatever the width.
     */
    static final int WIDE_HEAP_MB = 40;

    /** Cheap deterministic RGB of the wide slide: red and green vary with x and y, blue constant. */
    static int wideRed(int x, int y) {
        return (x * 5 + y * 3 + (x >> 7) * 11) & 0xff;
    }

    @Test
    void scoresAVeryWideSlideUnderASmallHeap() throws Exception {
        int w = 32768;
        int h = 256;
        int t = 256;
        Path slide = dir.resolve("wide.tif");
        // Written tile by tile, so this JVM never holds a full-width band either.
        try (TiledTiffWriter writer = TiledTiffWriter.create(slide, TiledTiffWriter.Spec.rgb(w, h, t))) {
            byte[] tile = new byte[t * t * 3];
            for (int tx = 0; tx < writer.tilesAcross(); tx++) {
                for (int y = 0; y < t; y++) {
                    for (int x = 0; x < t; x++) {
                        int i = (y * t + x) * 3;
                        tile[i] = (byte) wideRed(tx * t + x, y);
                        tile[i + 1] = (byte) ((x ^ y) & 0xff);
                        tile[i + 2] = (byte) 200;
                    }
                }
                writer.writeTile(tx, 0, tile);
            }
        }
        Path prob = dir.resolve("wide-prob.tif");
        Path unc = dir.resolve("wide-unc.tif");
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(javaBin.toString(), "-Xmx" + WIDE_HEAP_MB + "m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), WideSlideScoringMain.class.getName(),
                slide.toString(), dir.resolve("wide-work").toString(), prob.toString(), unc.toString(), "256", "32")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), output);
        assertEquals(0, process.exitValue(), "forked scorer failed:\n" + output);
        assertTrue(output.contains("scored 147 tiles of 32768x256"), output); // origins every 224 px, one tile row
        try (ImageIoSlideReader p = ImageIoSlideReader.open(prob);
             ImageIoSlideReader u = ImageIoSlideReader.open(unc)) {
            assertEquals(w, p.info().width());
            assertEquals(h, p.info().height());
            assertEquals(w, u.info().width());
            assertEquals(h, u.info().height());
            assertEquals(8, p.info().levelCount(), "32768 -> ... -> 256 wide");
            // Around a stripe border (2048) and at the right edge: probability is the red channel exactly.
            for (int x0 : new int[] {1990, 20450, w - 100}) {
                float[] region = p.readSamples(0, x0, 0, 100, h, 0);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < 100; x++) {
                        assertEquals(wideRed(x0 + x, y) / 255f, region[y * 100 + x], 1e-5f, "pixel " + (x0 + x) + "," + y);
                    }
                }
            }
            float[] top = u.readSamples(7, 0, 0, 256, 2, 0);
            for (float v : top) {
                assertTrue(v > 0 && v < 2, "uncertainty at level 7: " + v);
            }
        }
    }

    @Test
    void validatesStripeWidth() {
        assertEquals(2048, WholeSlideScorer.Params.of(64, 8).stripeWidth());
        assertEquals(3072, WholeSlideScorer.Params.defaultStripeWidth(3000, 256));
        assertEquals(2048, new WholeSlideScorer.Params(0, 256, 32, 0, 256, TiledTiffWriter.Compression.DEFLATE)
                .withMinTissue(0.05).withLevel(1).stripeWidth());
        IllegalArgumentException notMultiple = assertThrows(IllegalArgumentException.class,
                () -> WholeSlideScorer.Params.of(64, 8).withStripeWidth(1000));
        assertTrue(notMultiple.getMessage().contains("stripeWidth"), notMultiple.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WholeSlideScorer.Params(0, 512, 8, 0, 256,
                TiledTiffWriter.Compression.DEFLATE, 256), "a stripe narrower than a tile");
        assertThrows(IllegalArgumentException.class, () -> new WholeSlideScorer.Params(0, 64, 8, 0, 40,
                TiledTiffWriter.Compression.DEFLATE));
    }
}
