package org.uga.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.uga.imaging.AperioStyleTiffFixture.Colour;
import org.uga.imaging.AperioStyleTiffFixture.Damage;
import org.uga.imaging.AperioStyleTiffFixture.DamageKind;
import org.uga.imaging.AperioStyleTiffFixture.Level;
import org.uga.imaging.AperioStyleTiffFixture.Options;
import org.uga.imaging.AperioStyleTiffFixture.Written;

/**
 * JPEG-compressed tiled TIFFs shaped like Aperio SVS files ({@link AperioStyleTiffFixture}): levels, calibration,
 * region reads against an independent decode of the same tiles (exact) and against the source pixels (JPEG
 * error), ranged reads of one tile, and damaged tiles.
 */
class JpegTiledTiffTest {

    static final int W = 1000;
    static final int H = 760;
    /** Level 0 pixels: a generated H&E-like slide (tissue, nuclei, fine grain, white glass). */
    static final byte[] SOURCE = new SlideGenerator(W, H, 5).renderRows(0, H);

    /**
     * Largest per-channel error against the source pixels, at quality 0.9. Measured over every tile of
     * {@link #SOURCE} with the JDK writer and reader: YCbCr 4:2:0 max 55 (still 50 at quality 1.0, where
     * quantisation is nearly lossless: the error is the 2x2 chroma subsampling at a dark nucleus edge, where one
     * Cb/Cr pair cannot follow a hue change inside its block), RGB 4:4:4 max 27 (2 at quality 1.0: quantisation
     * alone). The bounds are those maxima plus 5; the fixed seed and the JDK's libjpeg make them deterministic.
     * A wrong colour conversion, a swapped channel or a shifted tile breaks the means (< 4, measured 1.2-2.5)
     * and the tail (samples off by more than 16: 1.3 % YCbCr, 0.03 % RGB; bound 2 %) long before these.
     */
    static final int MAX_ERROR_YCBCR = 60;
    static final int MAX_ERROR_RGB = 32;

    @TempDir
    Path dir;

    static Stream<Options> variants() {
        List<Options> all = new ArrayList<>();
        for (boolean big : new boolean[] {false, true}) {
            for (boolean shared : new boolean[] {true, false}) {
                for (Colour c : new Colour[] {Colour.YCBCR, Colour.RGB}) {
                    all.add(Options.of(big, shared, c));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void aperioStylePyramidReadsBackRegionExact(Options o) throws Exception {
        Written w = AperioStyleTiffFixture.write(dir.resolve("slide.svs"), SOURCE, W, H, new int[] {1, 2, 4}, o);
        assertEquals(6, w.ifdCount(), "level 0, thumbnail, 2 reduced levels, label, macro");
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(w.file())) {
            SlideInfo info = slide.info();
            assertEquals(3, info.levelCount(), "thumbnail, label and macro are not levels");
            int[][] sizes = {{1000, 760}, {500, 380}, {250, 190}};
            int[] ifds = {0, 2, 3};
            for (int i = 0; i < 3; i++) {
                SlideLevel l = info.level(i);
                assertEquals(ifds[i], l.imageIndex(), "level " + i + " IFD (IFD 1 is the stripped thumbnail)");
                assertEquals(sizes[i][0], l.width());
                assertEquals(sizes[i][1], l.height());
                assertEquals(240, l.tileWidth());
                assertEquals(240, l.tileHeight());
                assertEquals(1 << i, l.downsample(), 1e-9);
            }
            assertEquals(0.25, info.micronsPerPixel());
            assertEquals(40.0, info.magnification());

            int maxError = o.colour() == Colour.YCBCR ? MAX_ERROR_YCBCR : MAX_ERROR_RGB;
            Level level0 = w.levels().get(0);
            // Crosses tile columns 0..2 and rows 0..2: nine tiles, each decoded once.
            BufferedImage region = slide.readRegion(0, 200, 220, 300, 290);
            assertEquals(9, slide.tilesDecoded());
            assertSameRgb(reference(level0, 240, 240, 200, 220, 300, 290), rgb(region), "level 0 region vs reference decoder");
            ErrorStats e0 = ErrorStats.of(SOURCE, W, 200, 220, rgb(region), 300, 290);
            System.out.printf("%s level 0: mean abs error R %.2f G %.2f B %.2f, max %d, off by > 16: %.3f %%%n",
                    o, e0.mean()[0], e0.mean()[1], e0.mean()[2], e0.max(), 100 * e0.fractionOver16());
            e0.check(4.0, maxError);

            // The bottom-right corner: partial edge tiles, the part outside the level is white.
            BufferedImage corner = slide.readRegion(0, 900, 700, 150, 100);
            int[] cornerRgb = rgb(corner);
            int[] cornerRef = reference(level0, 240, 240, 900, 700, 100, 60);
            for (int y = 0; y < 100; y++) {
                for (int x = 0; x < 150; x++) {
                    int expected = x < 100 && y < 60 ? cornerRef[y * 100 + x] : 0xFFFFFF;
                    assertEquals(expected, cornerRgb[y * 150 + x], "corner pixel " + (900 + x) + "," + (700 + y));
                }
            }

            // Level 1 (500x380) across the tile corner at (240, 240).
            Level level1 = w.levels().get(1);
            BufferedImage l1 = slide.readRegion(1, 150, 160, 200, 150);
            assertSameRgb(reference(level1, 240, 240, 150, 160, 200, 150), rgb(l1), "level 1 region vs reference decoder");
            ErrorStats e1 = ErrorStats.of(level1.rgb(), level1.width(), 150, 160, rgb(l1), 200, 150);
            System.out.printf("%s level 1: mean abs error %.2f, max %d%n", o, e1.meanOfChannels(), e1.max());
            e1.check(4.0, maxError);

            // Bands as samples agree with the image.
            float[] green = slide.readSamples(0, 200, 220, 300, 290, 1);
            int[] regionRgb = rgb(region);
            for (int i = 0; i < green.length; i++) {
                assertEquals((regionRgb[i] >> 8) & 0xff, green[i], 0f);
            }
        }
    }

    @Test
    void tiledLabelAndMacroAreToldApartByTheirAperioDescription() throws Exception {
        Options o = Options.of(false, true, Colour.RGB).withAssociatedTiled();
        Written w = AperioStyleTiffFixture.write(dir.resolve("tiled-label.svs"), SOURCE, W, H, new int[] {1, 4}, o);
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(w.file())) {
            // Label (125x95) and macro (63x48) are tiled reductions of level 0; "label"/"macro" lines exclude them.
            assertEquals(2, slide.info().levelCount());
            assertEquals(2, slide.info().level(1).imageIndex());
            assertEquals(250, slide.info().level(1).width());
        }
    }

    @Test
    void grayJpegTilesReadAsStored() throws Exception {
        Written w = AperioStyleTiffFixture.write(dir.resolve("gray.svs"), SOURCE, W, H, new int[] {1, 2},
                Options.of(false, true, Colour.GRAY));
        byte[] grayAsRgb = new byte[SOURCE.length];
        for (int i = 0; i < SOURCE.length; i += 3) {
            grayAsRgb[i] = grayAsRgb[i + 1] = grayAsRgb[i + 2] = SOURCE[i + 1];
        }
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(w.file())) {
            assertEquals(2, slide.info().levelCount());
            BufferedImage region = slide.readRegion(0, 200, 220, 300, 290);
            assertSameRgb(reference(w.levels().get(0), 240, 240, 200, 220, 300, 290), rgb(region), "gray level 0");
            ErrorStats e = ErrorStats.of(grayAsRgb, W, 200, 220, rgb(region), 300, 290);
            System.out.printf("GRAY level 0: mean abs error %.2f, max %d%n", e.meanOfChannels(), e.max());
            e.check(4.0, MAX_ERROR_RGB); // measured max 15: one component, quantisation only, as RGB
            float[] band0 = slide.readSamples(0, 200, 220, 300, 290, 0);
            assertEquals(rgb(region)[0] & 0xff, band0[0], 0f);
            assertThrows(IllegalArgumentException.class, () -> slide.readSamples(0, 0, 0, 10, 10, 1), "one band only");
        }
    }

    @Test
    void strippedJpegImageReadsBackWithAShortLastStrip() throws Exception {
        byte[] rgb = new SlideGenerator(300, 150, 8).renderRows(0, 150);
        for (Colour c : new Colour[] {Colour.YCBCR, Colour.RGB}) {
            Path file = dir.resolve("stripped-" + c + ".tif");
            Level l = AperioStyleTiffFixture.writeStripped(file, rgb, 300, 150, 64, Options.of(false, true, c));
            try (ImageIoSlideReader slide = ImageIoSlideReader.open(file)) {
                assertEquals(1, slide.info().levelCount());
                assertNull(slide.info().micronsPerPixel(), "not an Aperio file");
                // Strips of 64, 64 and 22 rows.
                BufferedImage all = slide.readRegion(0, 0, 0, 300, 150);
                assertSameRgb(reference(l, 300, 64, 0, 0, 300, 150), rgb(all), c.toString());
                assertEquals(3, slide.tilesDecoded());
                ErrorStats es = ErrorStats.of(rgb, 300, 0, 0, rgb(all), 300, 150);
                System.out.printf("stripped %s: mean abs error %.2f, max %d%n", c, es.meanOfChannels(), es.max());
                es.check(4.0, c == Colour.YCBCR ? MAX_ERROR_YCBCR : MAX_ERROR_RGB);
            }
        }
    }

    @Test
    void oneTileTransfersLittleMoreThanTheTile() throws Exception {
        int w = 2400;
        int h = 1920;
        byte[] rgb = new SlideGenerator(w, h, 11).renderRows(0, h);
        Written written = AperioStyleTiffFixture.write(dir.resolve("big.svs"), rgb, w, h, new int[] {1, 4},
                Options.of(true, true, Colour.YCBCR));
        long size = Files.size(written.file());
        List<long[]> ranges = new ArrayList<>();
        ByteRangeSource file = ByteRangeSource.ofFile(written.file());
        int block = 4096;
        RangeImageInputStream in = new RangeImageInputStream((offset, length) -> {
            ranges.add(new long[] {offset, length});
            return file.open(offset, length);
        }, size, block, 64);
        try (ImageIoSlideReader slide = ImageIoSlideReader.open("big.svs", in)) {
            long afterOpen = in.bytesTransferred();
            int requestsAtOpen = ranges.size();
            Level level0 = written.levels().get(0);
            int tile = 2 * 10 + 3; // column 3, row 2 of 10x8
            BufferedImage region = slide.readRegion(0, 3 * 240, 2 * 240, 240, 240);
            long tileCost = in.bytesTransferred() - afterOpen;
            long tileBytes = level0.byteCounts()[tile];
            System.out.printf("JPEG slide %d bytes; open %d bytes in %d requests; one tile (%d bytes) cost %d bytes in %d requests%n",
                    size, afterOpen, requestsAtOpen, tileBytes, tileCost, ranges.size() - requestsAtOpen);
            assertSameRgb(reference(level0, 240, 240, 720, 480, 240, 240), rgb(region));
            assertTrue(tileCost >= tileBytes && tileCost <= tileBytes + 2L * block,
                    "one tile of " + tileBytes + " bytes cost " + tileCost);
            // Every range fetched for the region overlaps that tile's bytes: no other tile was touched.
            long start = level0.offsets()[tile];
            long end = start + tileBytes;
            for (long[] r : ranges.subList(requestsAtOpen, ranges.size())) {
                assertTrue(r[0] < end && r[0] + r[1] > start, "fetched " + r[0] + "+" + r[1] + " outside tile " + start + ".." + end);
            }
            assertTrue(in.bytesTransferred() < size / 20, "open + one tile cost " + in.bytesTransferred() + " of " + size);
        }
    }

    @ParameterizedTest
    @EnumSource(DamageKind.class)
    void damagedTileIsAnErrorNamingTileAndFile(DamageKind kind) throws Exception {
        byte[] rgb = new SlideGenerator(600, 480, 2).renderRows(0, 480);
        Path file = dir.resolve("damaged-" + kind + ".svs");
        Written w = AperioStyleTiffFixture.write(file, rgb, 600, 480, new int[] {1},
                Options.of(false, true, Colour.YCBCR).withDamage(new Damage(0, 4, kind)));
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(file)) {
            // Tile 4 is column 1, row 1 of the 3x2 grid.
            IOException e = assertThrows(IOException.class, () -> slide.readRegion(0, 300, 300, 50, 50));
            System.out.println(kind + ": " + e.getMessage());
            assertTrue(e.getMessage().startsWith("slide damaged-" + kind + ".svs: tile 4 (column 1, row 1) of TIFF image 0"),
                    e.getMessage());
            String detail = switch (kind) {
                case TRUNCATE -> "corrupt JPEG data";
                case ZERO -> "not a JPEG stream";
                case OFFSET_PAST_END -> "past the end of the file";
            };
            assertTrue(e.getMessage().contains(detail), e.getMessage());
            // The reader stays usable: a sound tile next to it still reads exactly.
            assertSameRgb(reference(w.levels().get(0), 240, 240, 10, 300, 50, 50), rgb(slide.readRegion(0, 10, 300, 50, 50)));
        }
    }

    @Test
    void aperioDescriptionGivesCalibration() {
        // ImageDescription of OpenSlide's public test slide CMU-1.svs (shortened user id).
        String cmu1 = "Aperio Image Library v10.0.51\r\n46920x33014 [0,100 46000x32914] (256x256) JPEG/RGB Q=30"
                + "|AppMag = 20|StripeWidth = 2040|ScanScope ID = CPAPERIOCS|Filename = CMU-1|Date = 12/29/09"
                + "|Time = 09:59:15|User = b414003d|Parmset = USM Filter|MPP = 0.4990|Left = 25.691574|Top = 23.449873"
                + "|LineCameraSkew = -0.000424|LineAreaXOffset = 0.019265|LineAreaYOffset = -0.000313"
                + "|Focus Offset = 0.000000|ImageID = 1004486|OriginalWidth = 46920|Originalheight = 33014"
                + "|Filtered = 5|OriginalWidth = 46000|OriginalHeight = 32914";
        Map<String, String> p = ImageIoSlideReader.aperioProperties(cmu1);
        assertEquals("0.4990", p.get("MPP"));
        assertEquals("20", p.get("AppMag"));
        assertEquals("46920", p.get("OriginalWidth"), "first of a repeated key");
        assertEquals("USM Filter", p.get("Parmset"));
        assertTrue(ImageIoSlideReader.aperioProperties("UGA generated H&E-like slide seed=3|MPP = 1").isEmpty());
        assertTrue(ImageIoSlideReader.aperioProperties(null).isEmpty());
    }

    @Test
    void unusableCalibrationIsLeftOut() throws Exception {
        Options o = new Options(false, true, Colour.YCBCR, 240, 0.9f, -1, 0, false, null);
        Written w = AperioStyleTiffFixture.write(dir.resolve("uncalibrated.svs"), SOURCE, W, H, new int[] {1}, o);
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(w.file())) {
            assertNull(slide.info().micronsPerPixel(), "MPP = -1.0 is not a pixel size");
            assertNull(slide.info().magnification(), "AppMag = 0 is not a magnification");
        }
    }

    @Test
    void independentTiffReaderAgreesOnTheFixture() throws Exception {
        // TwelveMonkeys' TIFF plugin (JPEG tiles with JPEGTables, its own colour handling) reads the fixture too,
        // so the files follow TIFF Technical Note 2 and not just this reader's reading of it.
        for (Colour c : new Colour[] {Colour.YCBCR, Colour.RGB}) {
            Written w = AperioStyleTiffFixture.write(dir.resolve("tm-" + c + ".svs"), SOURCE, W, H, new int[] {1, 2},
                    Options.of(true, true, c));
            ImageReader tm = null;
            for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("tiff"); it.hasNext(); ) {
                ImageReader r = it.next();
                if (r.getClass().getName().startsWith("com.twelvemonkeys")) {
                    tm = r;
                }
            }
            assertTrue(tm != null, "TwelveMonkeys TIFF plugin on the class path");
            int[] theirs;
            try (ImageInputStream in = ImageIO.createImageInputStream(w.file().toFile())) {
                tm.setInput(in);
                assertEquals(5, tm.getNumImages(true), "level 0, thumbnail, level 1, label, macro");
                theirs = rgb(tm.read(2));
            } finally {
                tm.dispose();
            }
            try (ImageIoSlideReader slide = ImageIoSlideReader.open(w.file())) {
                int[] ours = rgb(slide.readRegion(1, 0, 0, 500, 380));
                int max = 0;
                for (int i = 0; i < ours.length; i++) {
                    for (int s = 0; s < 24; s += 8) {
                        max = Math.max(max, Math.abs(((ours[i] >> s) & 0xff) - ((theirs[i] >> s) & 0xff)));
                    }
                }
                System.out.println(c + ": largest difference to TwelveMonkeys " + max);
                assertTrue(max <= 2, c + ": largest difference to TwelveMonkeys " + max);
            }
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /**
     * The region as the JDK's JPEG reader decodes each complete tile JPEG the writer produced (its own colour
     * conversion, no tables splicing): what a region read must give exactly.
     */
    static int[] reference(Level level, int tileW, int tileH, int x0, int y0, int w, int h) throws IOException {
        int across = (level.width() + tileW - 1) / tileW;
        Map<Integer, BufferedImage> decoded = new HashMap<>();
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int px = x0 + x;
                int py = y0 + y;
                int t = (py / tileH) * across + px / tileW;
                BufferedImage tile = decoded.get(t);
                if (tile == null) {
                    tile = decodeJdk(level.referenceJpegs().get(t));
                    decoded.put(t, tile);
                }
                if (tile.getType() == BufferedImage.TYPE_BYTE_GRAY) {
                    // getRGB would map the linear gray colour space to sRGB; the stored value is what counts.
                    out[y * w + x] = tile.getRaster().getSample(px % tileW, py % tileH, 0) * 0x010101;
                } else {
                    out[y * w + x] = tile.getRGB(px % tileW, py % tileH) & 0xFFFFFF;
                }
            }
        }
        return out;
    }

    private static BufferedImage decodeJdk(byte[] jpeg) throws IOException {
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext(); ) {
            ImageReader r = it.next();
            if (r.getClass().getName().startsWith("com.sun.imageio")) {
                try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
                    r.setInput(in);
                    return r.read(0);
                } finally {
                    r.dispose();
                }
            }
        }
        throw new IllegalStateException("the JDK JPEG reader is not available");
    }

    static int[] rgb(BufferedImage img) {
        int[] argb = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        for (int i = 0; i < argb.length; i++) {
            argb[i] &= 0xFFFFFF;
        }
        return argb;
    }

    /** Same 0xRRGGBB pixels; on failure names the first differing pixel, how many differ and by how much. */
    static void assertSameRgb(int[] expected, int[] actual) {
        assertSameRgb(expected, actual, "pixels");
    }

    static void assertSameRgb(int[] expected, int[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": pixel count");
        int first = -1;
        int count = 0;
        int max = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                first = first < 0 ? i : first;
                count++;
                for (int s = 0; s < 24; s += 8) {
                    max = Math.max(max, Math.abs(((expected[i] >> s) & 0xff) - ((actual[i] >> s) & 0xff)));
                }
            }
        }
        if (count > 0) {
            throw new AssertionError(String.format("%s: %d of %d pixels differ (by up to %d), first at index %d: "
                    + "expected %06X, got %06X", what, count, expected.length, max, first, expected[first], actual[first]));
        }
    }

    /** Per-channel mean and overall max absolute error of a decoded region against source pixels. */
    record ErrorStats(double[] mean, int max, double fractionOver16) {

        static ErrorStats of(byte[] source, int sourceWidth, int x0, int y0, int[] region, int w, int h) {
            double[] sum = new double[3];
            int max = 0;
            long over16 = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int s = ((y0 + y) * sourceWidth + x0 + x) * 3;
                    int p = region[y * w + x];
                    for (int c = 0; c < 3; c++) {
                        int d = Math.abs((source[s + c] & 0xff) - ((p >> (16 - 8 * c)) & 0xff));
                        sum[c] += d;
                        max = Math.max(max, d);
                        over16 += d > 16 ? 1 : 0;
                    }
                }
            }
            int n = w * h;
            return new ErrorStats(new double[] {sum[0] / n, sum[1] / n, sum[2] / n}, max, over16 / (3.0 * n));
        }

        double meanOfChannels() {
            return (mean[0] + mean[1] + mean[2]) / 3;
        }

        void check(double meanBound, int maxBound) {
            for (int c = 0; c < 3; c++) {
                assertTrue(mean[c] < meanBound, "channel " + c + " mean abs error " + mean[c]);
            }
            assertTrue(max <= maxBound, "max abs error " + max + " > " + maxBound);
            assertTrue(fractionOver16 < 0.02, "fraction of samples off by more than 16: " + fractionOver16);
        }
    }
}
