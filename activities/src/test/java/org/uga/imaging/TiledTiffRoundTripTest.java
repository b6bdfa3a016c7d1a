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
