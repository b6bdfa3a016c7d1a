package org.uga.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.uga.imaging.TiledTiffWriter.Compression;
import org.uga.imaging.TiledTiffWriter.Spec;

class TiledTiffRoundTripTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Compression.class)
    void rgbPyramidReadsBackRegionExact(Compression compression) throws Exception {
        // Odd sizes on purpose: partial edge tiles and odd-sized reduced levels.
        SlideGenerator gen = new SlideGenerator(1000, 690, 42);
        Path file = gen.writeTiff(dir.resolve("slide-" + compression + ".tif"), 128, compression);
        byte[] full = gen.renderRows(0, 690);

        try (ImageIoSlideReader slide = ImageIoSlideReader.open(file)) {
            SlideInfo info = slide.info();
            assertEquals(4, info.levelCount(), "1000 -> 500 -> 250 -> 125 fits one 128 tile");
            int[][] sizes = {{1000, 690}, {500, 345}, {250, 173}, {125, 87}};
            for (int i = 0; i < 4; i++) {
                assertEquals(sizes[i][0], info.level(i).width(), "level " + i + " width");
                assertEquals(sizes[i][1], info.level(i).height(), "level " + i + " height");
                assertEquals(128, info.level(i).tileWidth());
                assertEquals(128, info.level(i).tileHeight());
                assertEquals(1000.0 / sizes[i][0], info.level(i).downsample(), 1e-9);
            }
            // A region straddling four tiles and the right/bottom image edge.
            assertRegion(full, 1000, slide.readRegion(0, 100, 60, 200, 150), 100, 60);
            assertRegion(full, 1000, slide.readRegion(0, 900, 600, 100, 90), 900, 600);

            // Level 1 is the 2x2 average of level 0, rounded half up.
            byte[] level1 = downsample(full, 1000, 690);
            assertRegion(level1, 500, slide.readRegion(1, 37, 200, 300, 145), 37, 200);

            // Only the four intersecting tiles were decoded for the first region.
            assertTrue(slide.tilesDecoded() < 20, "decoded " + slide.tilesDecoded() + " tiles");

            // Outside the slide: white background, size as requested.
            BufferedImage outside = slide.readRegion(0, 950, 650, 100, 100);
            assertEquals(100, outside.getWidth());
            assertEquals(0xFFFFFF, outside.getRGB(99, 99) & 0xFFFFFF);
            assertEquals(rgbAt(full, 1000, 960, 660), outside.getRGB(10, 10) & 0xFFFFFF);
        }
        // An independent decoder (ImageIO's TIFF plugin, whole images) agrees on levels 0 and 1.
        javax.imageio.ImageReader other = ImageIO.getImageReadersByFormatName("tiff").next();
        try (var in = ImageIO.createImageInputStream(file.toFile())) {
            other.setInput(in);
            assertEquals(4, other.getNumImages(true));
            assertRegion(full, 1000, other.read(0), 0, 0);
            assertRegion(downsample(full, 1000, 690), 500, other.read(1), 0, 0);
        } finally {
            other.dispose();
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void float32MapReadsBackExactly(Compression compression) throws Exception {
        int w = 300;
        int h = 210;
        float[] values = new float[w * h];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i * 0.001) * (i % 7) + (i % 3 == 0 ? -0.0f : 1e-6f * i);
        }
        Path file = dir.resolve("map-" + compression + ".tif");
        try (TiledTiffWriter writer = TiledTiffWriter.create(file, Spec.float32(w, h, 64).withCompression(compression))) {
            // Rows arrive in uneven chunks, as the whole-slide scorer delivers them.
            int y = 0;
            int[] chunks = {1, 63, 64, 17, 65};
            for (int c : chunks) {
                float[] part = new float[c * w];
                System.arraycopy(values, y * w, part, 0, c * w);
                writer.writeRows(part, c);
                y += c;
            }
            float[] rest = new float[(h - y) * w];
            System.arraycopy(values, y * w, rest, 0, rest.length);
            writer.writeRows(rest, h - y);
        }
        try (ImageIoSlideReader map = ImageIoSlideReader.open(file)) {
            assertEquals(4, map.info().levelCount());
            float[] region = map.readSamples(0, 50, 40, 200, 170, 0);
            for (int r = 0; r < 170; r++) {
                for (int c = 0; c < 200; c++) {
                    assertEquals(values[(40 + r) * w + 50 + c], region[r * 200 + c], 0f, "pixel " + (50 + c) + "," + (40 + r));
                }
            }
            float[] level1 = map.readSamples(1, 0, 0, 150, 105, 0);
            float expected = 0.25f * (values[0] + values[1] + values[w] + values[w + 1]);
            assertEquals(expected, level1[0], 1e-6f);
        }
    }

    @Test
    void bigTiffIsReadByTwelveMonkeys() throws Exception {
        SlideGenerator gen = new SlideGenerator(520, 300, 3);
        Path file = dir.resolve("big.tif");
        Spec spec = Spec.rgb(520, 300, 64).withBigTiff(true).withCompression(Compression.LZW);
        try (TiledTiffWriter w = TiledTiffWriter.create(file, spec)) {
            w.writeRows(gen.renderRows(0, 300), 300);
        }
        byte[] head = new byte[4];
        try (var in = Files.newInputStream(file)) {
            in.readNBytes(head, 0, 4);
        }
        assertEquals(43, ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getShort(2), "BigTIFF magic");
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(file)) {
            assertEquals(5, slide.info().levelCount());
            assertRegion(gen.renderRows(0, 300), 520, slide.readRegion(0, 5, 7, 500, 280), 5, 7);
        }
    }

    @Test
    void singleLevelAndPlainFormats() throws Exception {
        SlideGenerator gen = new SlideGenerator(200, 150, 9);
        byte[] rgb = gen.renderRows(0, 150);
        Path png = dir.resolve("tile.png");
        ImageIO.write(Images.fromInterleavedRgb(rgb, 200, 150), "png", png.toFile());
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(png)) {
            assertEquals(1, slide.info().levelCount());
            assertEquals(200, slide.info().level(0).tileWidth(), "untiled image is one tile");
            assertRegion(rgb, 200, slide.readRegion(0, 20, 30, 64, 64), 20, 30);
        }
        Path jpg = dir.resolve("tile.jpg");
        ImageIO.write(Images.fromInterleavedRgb(rgb, 200, 150), "jpeg", jpg.toFile());
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(jpg)) {
            assertEquals(200, slide.info().width());
            assertEquals(64, slide.readRegion(0, 20, 30, 64, 64).getWidth());
        }
        Path single = dir.resolve("single.tif");
        try (TiledTiffWriter w = TiledTiffWriter.create(single, Spec.rgb(200, 150, 64).withMaxLevels(1))) {
            w.writeRows(rgb, 150);
        }
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(single)) {
            assertEquals(1, slide.info().levelCount());
            assertRegion(rgb, 200, slide.readRegion(0, 0, 0, 200, 150), 0, 0);
        }
    }

    @Test
    void writerRejectsWrongInput() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Spec.rgb(100, 100, 100));
        Path file = dir.resolve("bad.tif");
        try (TiledTiffWriter w = TiledTiffWriter.create(file, Spec.rgb(64, 64, 16))) {
            assertThrows(IllegalArgumentException.class, () -> w.writeRows(new byte[10], 1));
            assertThrows(IllegalStateException.class, () -> w.writeRows(new float[64], 1));
            w.writeRows(new byte[64 * 3 * 10], 10);
            IllegalStateException e = assertThrows(IllegalStateException.class, w::finish);
            assertTrue(e.getMessage().contains("10 of 64 rows"), e.getMessage());
        }
        assertThrows(java.io.IOException.class, () -> ImageIoSlideReader.open(dir.resolve("missing.tif")));
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void tilesInAnyOrderGiveTheSameFileContentAsRows(Compression compression) throws Exception {
        int w = 333;
        int h = 197;
        int t = 32;
        float[] values = new float[w * h];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.cos(i * 0.0007) * (i % 5) - 1e-5f * (i % 13);
        }
        Path rows = dir.resolve("rows-" + compression + ".tif");
        try (TiledTiffWriter writer = TiledTiffWriter.create(rows, Spec.float32(w, h, t).withCompression(compression))) {
            writer.writeRows(values, h);
        }
        Path tiles = dir.resolve("tiles-" + compression + ".tif");
        try (TiledTiffWriter writer = TiledTiffWriter.create(tiles, Spec.float32(w, h, t).withCompression(compression))) {
            int across = writer.tilesAcross();
            int down = writer.tilesDown();
            assertEquals(11, across);
            assertEquals(7, down);
            // Column-major, bottom-up: nothing like the row order; garbage beyond the image edge must be ignored.
            for (int tx = 0; tx < across; tx++) {
                for (int ty = down - 1; ty >= 0; ty--) {
                    float[] tile = new float[t * t];
                    java.util.Arrays.fill(tile, Float.NaN);
                    for (int r = 0; r < t && ty * t + r < h; r++) {
                        for (int c = 0; c < t && tx * t + c < w; c++) {
                            tile[r * t + c] = values[(ty * t + r) * w + tx * t + c];
                        }
                    }
                    writer.writeTile(tx, ty, tile);
                }
            }
            assertEquals(across * down, writer.tilesWritten());
        }
        try (ImageIoSlideReader a = ImageIoSlideReader.open(rows);
             ImageIoSlideReader b = ImageIoSlideReader.open(tiles)) {
            assertEquals(5, b.info().levelCount(), "333 -> 167 -> 84 -> 42 -> 21");
            for (int level = 0; level < 5; level++) {
                SlideLevel l = a.info().level(level);
                assertArrayEquals(a.readSamples(level, 0, 0, l.width(), l.height(), 0),
                        b.readSamples(level, 0, 0, l.width(), l.height(), 0), "level " + level);
            }
            float[] level0 = b.readSamples(0, 0, 0, w, h, 0);
            assertArrayEquals(values, level0);
            // Odd width/height: the last column/row of level 1 pairs a pixel with itself.
            float[] level1 = b.readSamples(1, 166, 98, 1, 1, 0);
            float expected = 0.25f * (values[196 * w + 332] + values[196 * w + 332] + values[196 * w + 332]
                    + values[196 * w + 332]);
            assertEquals(expected, level1[0], 1e-6f);
        }
    }

    @Test
    void rgbTilesMatchRowsAndAreReadByTwelveMonkeys() throws Exception {
        SlideGenerator gen = new SlideGenerator(270, 150, 21);
        byte[] rgb = gen.renderRows(0, 150);
        int t = 64;
        Path rows = dir.resolve("rgb-rows.tif");
        try (TiledTiffWriter w = TiledTiffWriter.create(rows, Spec.rgb(270, 150, t))) {
            w.writeRows(rgb, 150);
        }
        Path tiles = dir.resolve("rgb-tiles.tif");
        try (TiledTiffWriter w = TiledTiffWriter.create(tiles, Spec.rgb(270, 150, t))) {
            for (int ty = w.tilesDown() - 1; ty >= 0; ty--) {
                for (int tx = w.tilesAcross() - 1; tx >= 0; tx--) {
                    byte[] tile = new byte[t * t * 3];
                    for (int r = 0; r < t && ty * t + r < 150; r++) {
                        int cols = Math.min(t, 270 - tx * t);
                        System.arraycopy(rgb, ((ty * t + r) * 270 + tx * t) * 3, tile, r * t * 3, cols * 3);
                    }
                    w.writeTile(tx, ty, tile);
                }
            }
        }
        try (ImageIoSlideReader a = ImageIoSlideReader.open(rows);
             ImageIoSlideReader b = ImageIoSlideReader.open(tiles)) {
            assertEquals(a.info().levelCount(), b.info().levelCount());
            for (int level = 0; level < a.info().levelCount(); level++) {
                SlideLevel l = a.info().level(level);
                assertArrayEquals(Images.toInterleavedRgb(a.readRegion(level, 0, 0, l.width(), l.height())),
                        Images.toInterleavedRgb(b.readRegion(level, 0, 0, l.width(), l.height())), "level " + level);
            }
        }
        javax.imageio.ImageReader other = ImageIO.getImageReadersByFormatName("tiff").next();
        try (var in = ImageIO.createImageInputStream(tiles.toFile())) {
            other.setInput(in);
            assertRegion(rgb, 270, other.read(0), 0, 0);
            assertRegion(downsample(rgb, 270, 150), 135, other.read(1), 0, 0);
        } finally {
            other.dispose();
        }
    }

    @Test
    void tileWriterRejectsWrongInput() throws Exception {
        Path file = dir.resolve("bad-tiles.tif");
        try (TiledTiffWriter w = TiledTiffWriter.create(file, Spec.float32(100, 40, 32))) {
            assertThrows(IllegalArgumentException.class, () -> w.writeTile(4, 0, new float[32 * 32]), "outside the grid");
            assertThrows(IllegalArgumentException.class, () -> w.writeTile(0, 0, new float[10]), "too short");
            assertThrows(IllegalStateException.class, () -> w.writeTile(0, 0, new byte[32 * 32 * 3]), "wrong type");
            w.writeTile(1, 1, new float[32 * 32]);
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> w.writeTile(1, 1, new float[32 * 32]));
            assertTrue(twice.getMessage().contains("already written"), twice.getMessage());
            assertThrows(IllegalStateException.class, () -> w.writeRows(new float[100], 1), "no mixing with rows");
            IllegalStateException incomplete = assertThrows(IllegalStateException.class, w::finish);
            assertTrue(incomplete.getMessage().contains("1 of 8 level-0 tiles")
                    && incomplete.getMessage().contains("column 0, row 0"), incomplete.getMessage());
        }
        try (TiledTiffWriter w = TiledTiffWriter.create(dir.resolve("rows-then-tiles.tif"), Spec.float32(100, 40, 32))) {
            w.writeRows(new float[100], 1);
            assertThrows(IllegalStateException.class, () -> w.writeTile(0, 0, new float[32 * 32]));
        }
    }

    static byte[] downsample(byte[] rgb, int w, int h) {
        int nw = (w + 1) / 2;
        int nh = (h + 1) / 2;
        byte[] out = new byte[nw * nh * 3];
        for (int y = 0; y < nh; y++) {
            for (int x = 0; x < nw; x++) {
                int x0 = 2 * x;
                int x1 = Math.min(x0 + 1, w - 1);
                int y0 = 2 * y;
                int y1 = Math.min(y0 + 1, h - 1);
                for (int c = 0; c < 3; c++) {
                    int s = (rgb[(y0 * w + x0) * 3 + c] & 0xff) + (rgb[(y0 * w + x1) * 3 + c] & 0xff)
                            + (rgb[(y1 * w + x0) * 3 + c] & 0xff) + (rgb[(y1 * w + x1) * 3 + c] & 0xff);
                    out[(y * nw + x) * 3 + c] = (byte) ((s + 2) >> 2);
                }
            }
        }
        return out;
    }

    static int rgbAt(byte[] rgb, int w, int x, int y) {
        int i = (y * w + x) * 3;
        return ((rgb[i] & 0xff) << 16) | ((rgb[i + 1] & 0xff) << 8) | (rgb[i + 2] & 0xff);
    }

    static void assertRegion(byte[] expectedFull, int fullWidth, BufferedImage region, int x0, int y0) {
        byte[] got = Images.toInterleavedRgb(region);
        int w = region.getWidth();
        byte[] expected = new byte[got.length];
        for (int r = 0; r < region.getHeight(); r++) {
            System.arraycopy(expectedFull, ((y0 + r) * fullWidth + x0) * 3, expected, r * w * 3, w * 3);
        }
        assertArrayEquals(expected, got, "region at " + x0 + "," + y0);
    }
}
