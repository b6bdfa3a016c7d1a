package org.uga.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.uga.ml.data.HeGenerator.StainShift;

class SlideGeneratorTest {

    private static final int W = 640;
    private static final int H = 480;

    @Test
    void anyBandSplitRendersTheSamePixelsAndMask() {
        SlideGenerator g = new SlideGenerator(W, H, 7);
        byte[] whole = g.renderRows(0, H);
        byte[] wholeMask = g.renderMaskRows(0, H);
        int[] cuts = {0, 37, 200, 201, 480};
        for (int k = 0; k + 1 < cuts.length; k++) {
            int y0 = cuts[k];
            int rows = cuts[k + 1] - y0;
            byte[] band = g.renderRows(y0, rows);
            byte[] mask = g.renderMaskRows(y0, rows);
            assertArrayEquals(java.util.Arrays.copyOfRange(whole, y0 * W * 3, (y0 + rows) * W * 3), band, "band at " + y0);
            assertArrayEquals(java.util.Arrays.copyOfRange(wholeMask, y0 * W, (y0 + rows) * W), mask, "mask at " + y0);
        }
        assertArrayEquals(whole, new SlideGenerator(W, H, 7).renderRows(0, H), "same seed, same slide");
    }

    @Test
    void nucleiAreDarkerThanTheirSurroundAndGlassIsNearWhite() throws Exception {
        SlideGenerator g = new SlideGenerator(W, H, 11);
        byte[] rgb = g.renderRows(0, H);
        byte[] mask = g.renderMaskRows(0, H);
        double inSum = 0;
        double outSum = 0;
        long in = 0;
        long out = 0;
        long white = 0;
        for (int i = 0; i < W * H; i++) {
            double v = ((rgb[i * 3] & 255) + (rgb[i * 3 + 1] & 255) + (rgb[i * 3 + 2] & 255)) / 3.0;
            if (mask[i] != 0) {
                inSum += v;
                in++;
            } else {
                outSum += v;
                out++;
                white += v > 225 ? 1 : 0;
            }
        }
        double nucleusFraction = in / (double) (W * H);
        assertTrue(nucleusFraction > 0.01 && nucleusFraction < 0.4, "nucleus fraction " + nucleusFraction);
        assertTrue(inSum / in < outSum / out - 40, "nuclei " + inSum / in + " vs rest " + outSum / out);
        assertTrue(white > W * H / 20, "some glass expected, got " + white + " near-white pixels");
        Path dir = Path.of("target", "slide-generator");
        Files.createDirectories(dir);
        ImageIO.write(image(rgb), "png", dir.resolve("central.png").toFile());
        ImageIO.write(image(new SlideGenerator(W, H, 11, StainShift.LOCAL_DEFAULT).renderRows(0, H)), "png",
                dir.resolve("local.png").toFile());
    }

    @Test
    void aStainShiftChangesColourButNotTheNuclei() {
        SlideGenerator central = new SlideGenerator(W, H, 3);
        SlideGenerator local = new SlideGenerator(W, H, 3, StainShift.LOCAL_DEFAULT);
        assertArrayEquals(central.renderMaskRows(0, H), local.renderMaskRows(0, H));
        double[] c = meanRgb(central.renderRows(0, H));
        double[] l = meanRgb(local.renderRows(0, H));
        double diff = Math.abs(c[0] - l[0]) + Math.abs(c[1] - l[1]) + Math.abs(c[2] - l[2]);
        assertTrue(diff > 6, "mean colour central " + java.util.Arrays.toString(c) + " local " + java.util.Arrays.toString(l));
    }

    @Test
    void rowsOutsideTheSlideAreRejected() {
        SlideGenerator g = new SlideGenerator(64, 64, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.renderRows(60, 8));
        assertTrue(e.getMessage().contains("[60, 68)"), e.getMessage());
        assertEquals(64 * 4 * 3, g.renderRows(60, 4).length);
    }

    private static double[] meanRgb(byte[] rgb) {
        double[] m = new double[3];
        for (int i = 0; i < rgb.length; i++) {
            m[i % 3] += rgb[i] & 255;
        }
        for (int c = 0; c < 3; c++) {
            m[c] /= rgb.length / 3.0;
        }
        return m;
    }

    private static BufferedImage image(byte[] rgb) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < W * H; i++) {
            img.setRGB(i % W, i / W, (rgb[i * 3] & 255) << 16 | (rgb[i * 3 + 1] & 255) << 8 | (rgb[i * 3 + 2] & 255));
        }
        return img;
    }
}
