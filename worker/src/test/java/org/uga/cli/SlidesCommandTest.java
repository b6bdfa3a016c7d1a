package org.uga.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uga.imaging.ImageIoSlideReader;
import org.uga.imaging.SlideGenerator;
import org.uga.imaging.TiledTiffWriter;
import org.uga.imaging.TissueDetector;

class SlidesCommandTest {

    @TempDir
    Path dir;

    @Test
    void infoListsThePyramidAndTheTissueShare() throws Exception {
        Path tif = new SlideGenerator(1000, 700, 3).writeTiff(dir.resolve("slide.tif"), 256, TiledTiffWriter.Compression.LZW);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, SlidesCommand.info(new Args(), List.of(tif.toString()), new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("1000 x 700 px, 3 levels"), out);
        assertTrue(out.contains("level 1: 500 x 350, tiles 256 x 256, downsample 2.00"), out);
        double expected;
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(tif)) {
            expected = 100 * TissueDetector.defaults().detect(slide, SlidesCommand.TISSUE_DOWNSAMPLE).tissueFraction();
        }
        assertTrue(expected > 5 && expected < 95, "the generated slide has tissue and glass: " + expected);
        assertTrue(out.contains(String.format(java.util.Locale.ROOT, "tissue: %.1f %%", expected)), out);
    }

    @Test
    void previewFitsTheLongestSideAndDimsBackground() throws Exception {
        Path tif = new SlideGenerator(1000, 700, 3).writeTiff(dir.resolve("slide.tif"), 256, TiledTiffWriter.Compression.LZW);
        Path plain = dir.resolve("plain.png");
        Path dimmed = dir.resolve("out/dimmed.png");
        assertEquals(0, Uga.run("slides", "preview", tif.toString(), "--out", plain.toString(), "--max", "200"));
        assertEquals(0, Uga.run("slides", "preview", tif.toString(), "--tissue", "--out", dimmed.toString(), "--max", "200"));
        BufferedImage a = ImageIO.read(plain.toFile());
        BufferedImage b = ImageIO.read(dimmed.toFile());
        assertEquals(200, a.getWidth());
        assertEquals(140, a.getHeight());
        int changed = 0;
        int glassDimmed = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y) & 0xffffff;
                int q = b.getRGB(x, y) & 0xffffff;
                if (p != q) {
                    changed++;
                    glassDimmed += ((p >> 8) & 0xff) > 220 ? 1 : 0; // bright glass became gray
                }
            }
        }
        assertTrue(changed > 0 && changed < a.getWidth() * a.getHeight(), "some but not all pixels dimmed: " + changed);
        assertTrue(glassDimmed > changed / 2, "mostly glass was dimmed: " + glassDimmed + " of " + changed);
    }

    @Test
    void generateWritesAPyramidalSlideThatInfoReads() throws Exception {
        Path tif = dir.resolve("gen/local.tif");
        assertEquals(0, Uga.run("slides", "generate", "--out", tif.toString(), "--width", "600", "--height", "400",
                "--tile", "128", "--local"));
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(tif)) {
            assertEquals(600, slide.info().width());
            assertEquals(400, slide.info().height());
            assertEquals(128, slide.info().level(0).tileWidth());
            assertTrue(slide.info().levelCount() >= 3, slide.info().toString());
        }
        assertEquals(2, Uga.run("slides", "generate", "--out", tif.toString(), "--tile", "100"));
    }

    @Test
    void missingFileAndBadOptionsAreUsageErrors() {
        assertEquals(2, Uga.run("slides", "info", dir.resolve("nope.tif").toString()));
        assertEquals(2, Uga.run("slides", "preview", "x.tif"));
        assertNotEquals(0, Uga.run("slides", "frobnicate"));
    }
}
