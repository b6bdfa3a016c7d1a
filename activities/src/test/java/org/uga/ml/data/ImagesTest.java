package org.uga.ml.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {

    @TempDir
    Path dir;

    private static Tile gradient(int w, int h) {
        int n = w * h;
        float[] rgb = new float[3 * n];
        for (int i = 0; i < n; i++) {
            rgb[i] = (i % 256) / 255f;
            rgb[n + i] = ((i * 7) % 256) / 255f;
            rgb[2 * n + i] = ((i * 13) % 256) / 255f;
        }
        byte[] mask = new byte[n];
        for (int i = 0; i < n; i += 3) {
            mask[i] = 1;
        }
        return new Tile("g", "d", w, h, rgb, mask);
    }

    @Test
    void tileAndMaskRoundTripThroughPng() throws IOException {
        Tile t = gradient(40, 30);
        Images.writeTilePng(t, dir.resolve("t.png"));
        Images.writeMaskPng(t.mask(), 40, 30, dir.resolve("m.png"));
        Tile back = Images.readTile(dir.resolve("t.png"), "g", "d");
        assertEquals(40, back.width());
        assertEquals(30, back.height());
        assertArrayEquals(t.rgb(), back.rgb(), 1e-6f);
        assertArrayEquals(t.mask(), Images.readMask(dir.resolve("m.png")));
        BufferedImage m = ImageIO.read(dir.resolve("m.png").toFile());
        assertEquals(255, m.getRaster().getSample(0, 0, 0)); // written as 0/255
    }

    @Test
    void grayIsExpandedWithoutColourSpaceConversion() throws IOException {
        BufferedImage g = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setSample(0, 0, 0, 128);
        g.getRaster().setSample(1, 0, 0, 255);
        Images.writePng(g, dir.resolve("g.png"));
        Tile t = Images.readTile(dir.resolve("g.png"), "g", "d");
        for (int c = 0; c < 3; c++) {
            assertEquals(128 / 255f, t.rgb()[c * 2], 1e-6f);
            assertEquals(1f, t.rgb()[c * 2 + 1], 1e-6f);
        }
    }

    @Test
    void alphaIsDropped() throws IOException {
        BufferedImage a = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        a.setRGB(0, 0, 0x40102030);
        Images.writePng(a, dir.resolve("a.png"));
        Tile t = Images.readTile(dir.resolve("a.png"), "a", "d");
        assertArrayEquals(new float[] {0x10 / 255f, 0x20 / 255f, 0x30 / 255f}, t.rgb(), 1e-6f);
    }

    @Test
    void readsTiffAndJpeg() throws IOException {
        BufferedImage img = Images.toImage(gradient(16, 16));
        assertTrue(ImageIO.write(img, "tiff", dir.resolve("x.tif").toFile()), "no TIFF writer");
        Tile tif = Images.readTile(dir.resolve("x.tif"), "x", "d");
        assertArrayEquals(gradient(16, 16).rgb(), tif.rgb(), 1e-6f);
        assertTrue(ImageIO.write(img, "jpeg", dir.resolve("x.jpg").toFile()), "no JPEG writer");
        Tile jpg = Images.readTile(dir.resolve("x.jpg"), "x", "d");
        assertEquals(16, jpg.width());
    }

    @Test
    void maskAcceptsZeroOneAndRejectsOtherValues() throws IOException {
        BufferedImage m = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        m.getRaster().setSample(1, 0, 0, 1);
        Images.writePng(m, dir.resolve("01.png"));
        assertArrayEquals(new byte[] {0, 1, 0}, Images.readMask(dir.resolve("01.png")));

        m.getRaster().setSample(2, 0, 0, 128);
        Images.writePng(m, dir.resolve("bad.png"));
        IOException e = assertThrows(IOException.class, () -> Images.readMask(dir.resolve("bad.png")));
        assertTrue(e.getMessage().contains("bad.png") && e.getMessage().contains("128"), e.getMessage());

        BufferedImage mixed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        mixed.getRaster().setSample(0, 0, 0, 1);
        mixed.getRaster().setSample(1, 0, 0, 255);
        Images.writePng(mixed, dir.resolve("mixed.png"));
        e = assertThrows(IOException.class, () -> Images.readMask(dir.resolve("mixed.png")));
        assertTrue(e.getMessage().contains("mixed.png"), e.getMessage());
    }

    @Test
    void unreadableFilesGiveClearErrors() throws IOException {
        Files.writeString(dir.resolve("junk.png"), "not an image");
        IOException e = assertThrows(IOException.class, () -> Images.read(dir.resolve("junk.png")));
        assertTrue(e.getMessage().contains("junk.png"), e.getMessage());
        e = assertThrows(IOException.class, () -> Images.read(dir.resolve("absent.png")));
        assertTrue(e.getMessage().contains("absent.png"), e.getMessage());
    }

    @Test
    void floatMapBytesRoundTrip() {
        float[] map = {0f, 1.5f, -2f, Float.MIN_VALUE, 9.21f, 0.25f};
        byte[] bytes = Images.floatMapToBytes(map, 3, 2);
        assertEquals(12 + 24, bytes.length);
        assertEquals('U', bytes[0]); // little-endian magic "UGAM"
        assertEquals(3, bytes[4]); // width, little-endian
        Images.FloatMap back = Images.floatMapFromBytes(bytes);
        assertEquals(3, back.width());
        assertEquals(2, back.height());
        assertArrayEquals(map, back.values());
        assertThrows(IllegalArgumentException.class, () -> Images.floatMapFromBytes(new byte[] {1, 2, 3}));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 4);
        assertThrows(IllegalArgumentException.class, () -> Images.floatMapFromBytes(truncated));
    }

    @Test
    void heatMapAndOverlayRender() throws IOException {
        float[] ramp = new float[100];
        for (int i = 0; i < 100; i++) {
            ramp[i] = i;
        }
        Images.writeHeatMapPng(ramp, 10, 10, dir.resolve("heat.png"));
        BufferedImage heat = ImageIO.read(dir.resolve("heat.png").toFile());
        assertEquals(0x440154, heat.getRGB(0, 0) & 0xFFFFFF); // viridis low end
        assertEquals(0xFDE725, heat.getRGB(9, 9) & 0xFFFFFF); // viridis high end
        Tile t = gradient(32, 32);
        BufferedImage o = Images.overlay(t, null, 0, null, List.of(new Rectangle(4, 4, 10, 10)), Color.RED);
        assertEquals(0xFF0000, o.getRGB(4, 4) & 0xFFFFFF);
        assertEquals(Images.toImage(t).getRGB(8, 8), o.getRGB(8, 8)); // inside the box is untouched
        float[] tileHeat = new float[32 * 32];
        tileHeat[0] = 1f;
        BufferedImage withMask = Images.overlay(t, tileHeat, 0.5, t.mask(), List.of(), null);
        assertEquals(0xFFFF00, withMask.getRGB(0, 0) & 0xFFFFFF); // mask pixel on the border: yellow outline
        assertEquals(32, withMask.getWidth());
    }
}
