package org.uga.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.uga.store.EmbeddedS3;
import org.uga.store.S3ObjectStore;

/** Slides read straight from a real S3 endpoint (S3Proxy of the embedded stack) with ranged GETs. */
class S3RangedSlideTest {

    @TempDir
    static Path dataDir;

    @RegisterExtension
    static final EmbeddedS3 S3 = new EmbeddedS3();
    static S3ObjectStore store;

    @BeforeAll
    static void startS3() {
        store = S3.store();
    }

    @Test
    void readingOneTileTransfersFarLessThanTheSlide() throws Exception {
        SlideGenerator gen = new SlideGenerator(4096, 4096, 17);
        Path local = gen.writeTiff(dataDir.resolve("large.tif"), 256, TiledTiffWriter.Compression.DEFLATE);
        long size = Files.size(local);
        StoredSlides.upload(store, local, "slides/large.tif", StoredSlides.TIFF);

        try (ImageIoSlideReader slide = StoredSlides.open(store, "slides/large.tif")) {
            RangeImageInputStream in = (RangeImageInputStream) slide.input();
            long afterOpen = in.bytesTransferred();
            assertEquals(5, slide.info().levelCount(), "4096 .. 256");
            var region = slide.readRegion(0, 2048 + 256, 1024 + 256, 256, 256); // exactly one TIFF tile
            long oneTile = in.bytesTransferred();
            TiledTiffRoundTripTest.assertRegion(gen.renderRows(1280, 256), 4096,
                    slide.readRegion(0, 2304, 1280, 256, 256), 2304, 0);
            assertEquals(256, region.getWidth());
            assertEquals(1, slide.tilesDecoded(), "one tile decoded (the second read hit the tile cache)");
            System.out.printf("slide %d bytes; open %d bytes; one tile %d bytes in %d requests%n",
                    size, afterOpen, oneTile, in.requests());
            assertTrue(oneTile < size / 50, "one tile cost " + oneTile + " of " + size + " bytes");

            // A low-resolution overview for tissue detection only touches the small levels.
            TissueMask tissue = TissueDetector.defaults().detect(slide, 32);
            assertEquals(128, tissue.width());
            assertTrue(tissue.tissueFraction() > 0.1 && tissue.tissueFraction() < 0.95, "tissue " + tissue.tissueFraction());
            assertTrue(in.bytesTransferred() < size / 5, "overview cost " + in.bytesTransferred() + " of " + size);
        }
    }

    @Test
    void scoresAStoredSlideAndStoresTheMaps() throws Exception {
        SlideGenerator gen = new SlideGenerator(400, 300, 23);
        Path local = gen.writeTiff(dataDir.resolve("small.tif"), 128, TiledTiffWriter.Compression.LZW);
        StoredSlides.upload(store, local, "slides/small.tif", StoredSlides.TIFF);
        AtomicInteger calls = new AtomicInteger();
        WholeSlideScorer.Result r = StoredSlides.scoreToStore(store, "slides/small.tif", "maps/small-prob.tif",
                "maps/small-unc.tif", new WholeSlideScorer(WholeSlideScorer.Params.of(128, 32)), null, 8,
                WholeSlideScorerTest.redAndTileConstant(calls), dataDir.resolve("work"), 0, null);
        assertEquals(r.tilesTotal(), calls.get());
        assertTrue(store.exists("maps/small-unc.tif"));
        try (ImageIoSlideReader p = StoredSlides.open(store, "maps/small-prob.tif")) {
            assertEquals(400, p.info().width());
            float[] prob = p.readSamples(0, 100, 100, 50, 50, 0);
            byte[] rgb = gen.renderRows(100, 50);
            float[] expected = new float[50 * 50];
            for (int y = 0; y < 50; y++) {
                for (int x = 0; x < 50; x++) {
                    expected[y * 50 + x] = (rgb[(y * 400 + 100 + x) * 3] & 0xff) / 255f;
                }
            }
            assertArrayEquals(expected, prob, 1e-5f);
        }
        try (var files = Files.list(dataDir.resolve("work"))) {
            assertEquals(0, files.count(), "work directory emptied after upload");
        }
    }
}
