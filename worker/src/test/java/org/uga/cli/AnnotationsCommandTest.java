package org.uga.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uga.imaging.Images;
import org.uga.imaging.annotations.AnnotationFiles;
import org.uga.imaging.annotations.AnnotationFormat;

class AnnotationsCommandTest {

    @TempDir
    Path dir;

    @Test
    void maskToEachFormatAndBack() throws Exception {
        int w = 120;
        int h = 90;
        byte[] mask = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = Math.hypot(x - 50, y - 45);
                mask[y * w + x] = (byte) ((d < 35 && d >= 12) || (x > 95 && x < 110 && y > 10 && y < 30) ? 1 : 0);
            }
        }
        Path png = dir.resolve("mask.png");
        ImageIO.write(Images.maskImage(mask, w, h), "png", png.toFile());
        for (String format : new String[] {"geojson", "asap", "imagescope"}) {
            Path ann = dir.resolve("out-" + format);
            assertEquals(0, Uga.run("annotations", "vectorize", "--in", png.toString(), "--format", format,
                    "--out", ann.toString(), "--simplify", "0"));
            assertEquals(AnnotationFormat.parse(format), AnnotationFiles.read(ann).format());
            Path back = dir.resolve("back-" + format + ".png");
            assertEquals(0, Uga.run("annotations", "rasterize", "--in", ann.toString(), "--width", "" + w,
                    "--height", "" + h, "--out", back.toString()));
            BufferedImage img = ImageIO.read(back.toFile());
            assertArrayEquals(mask, Images.maskFromImage(img), format + " round trip");
        }
        // Offsets: the same annotations seen from a window shifted by (10, 5).
        Path shifted = dir.resolve("shifted.png");
        assertEquals(0, Uga.run("annotations", "rasterize", "--in", dir.resolve("out-geojson").toString(), "--width", "50",
                "--height", "50", "--offset-x", "10", "--offset-y", "5", "--out", shifted.toString()));
        byte[] s = Images.maskFromImage(ImageIO.read(shifted.toFile()));
        assertEquals(mask[(5 + 20) * w + 10 + 30], s[20 * 50 + 30]);
    }

    @Test
    void malformedInputFailsWithoutOutput() throws Exception {
        Path bad = dir.resolve("bad.xml");
        Files.writeString(bad, "<ASAP_Annotations>\n<Annotations>\n<Annotation Name=\"x\" Type=\"Polygon\">\n"
                + "<Coordinates><Coordinate Order=\"0\" X=\"a\" Y=\"1\"/></Coordinates>\n</Annotation></Annotations></ASAP_Annotations>");
        Path out = dir.resolve("never.png");
        assertEquals(1, Uga.run("annotations", "rasterize", "--in", bad.toString(), "--width", "10", "--height", "10",
                "--out", out.toString()));
        assertFalse(Files.exists(out));
        assertEquals(2, Uga.run("annotations", "rasterize", "--in", bad.toString(), "--out", out.toString()));
        assertEquals(2, Uga.run("annotations", "vectorize", "--in", bad.toString(), "--format", "svg", "--out", "x"));
        assertEquals(2, Uga.run("annotations", "frobnicate"));
        assertTrue(new AnnotationsCommand().usage().contains("rasterize"));
    }
}
