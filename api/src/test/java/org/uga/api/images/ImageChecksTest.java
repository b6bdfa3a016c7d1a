package org.uga.api.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uga.api.error.ApiProblem;

class ImageChecksTest {

    @TempDir
    Path dir;

    @Test
    void sniffsThreeFormatsByMagicBytes() {
        assertEquals(ImageFormat.PNG, ImageFormat.sniff(TestImages.rgb(4, 4, "png")).orElseThrow());
        assertEquals(ImageFormat.JPEG, ImageFormat.sniff(TestImages.rgb(4, 4, "jpeg")).orElseThrow());
        assertEquals(ImageFormat.TIFF, ImageFormat.sniff(TestImages.rgb(4, 4, "tiff")).orElseThrow());
        assertTrue(ImageFormat.sniff("hello world".getBytes()).isEmpty());
    }

    @Test
    void decodesEachFormatAndRejectsGarbageAndTruncation() throws Exception {
        for (String f : List.of("png", "jpeg", "tiff")) {
            Path p = dir.resolve("x." + f);
            Files.write(p, TestImages.rgb(17, 9, f));
            ImageChecks.DecodedInfo info = ImageChecks.verifyImageFile(p, "upload");
            assertEquals(17, info.width());
            assertEquals(9, info.height());
        }
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "not an image at all");
        ApiProblem e = assertThrows(ApiProblem.class, () -> ImageChecks.verifyImageFile(text, "the upload"));
        assertEquals(415, e.status());
        assertTrue(e.getMessage().contains("not a PNG, TIFF or JPEG"), e.getMessage());

        byte[] png = TestImages.rgb(64, 64, "png");
        Path cut = dir.resolve("cut.png");
        Files.write(cut, java.util.Arrays.copyOf(png, 40));
        ApiProblem t = assertThrows(ApiProblem.class, () -> ImageChecks.verifyImageFile(cut, "the upload"));
        assertEquals(422, t.status());
    }

    @Test
    void acceptsBinaryMasksInCommonEncodings() {
        assertEquals(8 * 4, ImageChecks.verifyMaskPng(TestImages.grayMask(8, 8, 255), 8, 8).foregroundPixels());
        assertEquals(8 * 4, ImageChecks.verifyMaskPng(TestImages.grayMask(8, 8, 1), 8, 8).foregroundPixels());
        BufferedImage rgba = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                rgba.setRGB(x, y, x == y ? 0xFFFFFFFF : 0xFF000000);
            }
        }
        assertEquals(4, ImageChecks.verifyMaskPng(TestImages.encode(rgba, "png"), 4, 4).foregroundPixels());
    }

    @Test
    void rejectsWrongSizeNonBinaryAndNonPngMasks() {
        ApiProblem size = assertThrows(ApiProblem.class, () -> ImageChecks.verifyMaskPng(TestImages.grayMask(8, 8, 255), 16, 8));
        assertEquals(422, size.status());
        assertTrue(size.getMessage().contains("8x8") && size.getMessage().contains("16x8"), size.getMessage());
        ApiProblem gray = assertThrows(ApiProblem.class, () -> ImageChecks.verifyMaskPng(TestImages.gradient(8, 8), 8, 8));
        assertTrue(gray.getMessage().contains("not binary"), gray.getMessage());
        ApiProblem jpeg = assertThrows(ApiProblem.class, () -> ImageChecks.verifyMaskPng(TestImages.rgb(8, 8, "jpeg"), 8, 8));
        assertEquals(415, jpeg.status());
        ApiProblem empty = assertThrows(ApiProblem.class, () -> ImageChecks.verifyMaskPng(new byte[0], 8, 8));
        assertEquals(400, empty.status());
    }

    /** The workers' check (AnnotationActivitiesImpl.checkBytes) decides; its problems keep the API's codes. */
    @Test
    void workerCheckProblemsMapToTheApiCodes() {
        byte[] png = TestImages.grayMask(8, 8, 255);
        ApiProblem cut = assertThrows(ApiProblem.class, () -> ImageChecks.verifyMaskPng(java.util.Arrays.copyOf(png, 30), 8, 8));
        assertEquals(422, cut.status());
        assertEquals("undecodable-image", cut.kind());
        ApiProblem size = assertThrows(ApiProblem.class, () -> ImageChecks.verifyMaskPng(TestImages.gradient(8, 4), 8, 8));
        assertEquals("wrong-mask-size", size.kind(), "size comes before binariness, as before");
        ApiProblem gray = assertThrows(ApiProblem.class, () -> ImageChecks.verifyMaskPng(TestImages.gradient(8, 8), 8, 8));
        assertEquals("mask-not-binary", gray.kind());
        assertTrue(gray.getMessage().contains("at ("), "the check names the pixel: " + gray.getMessage());
        // 0/1 and 0/255 are both binary, but one mask may not mix them (the check's rule).
        BufferedImage mixed = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_GRAY);
        mixed.getRaster().setSample(1, 0, 0, 1);
        mixed.getRaster().setSample(2, 0, 0, 255);
        ApiProblem mix = assertThrows(ApiProblem.class, () -> ImageChecks.verifyMaskPng(TestImages.encode(mixed, "png"), 4, 1));
        assertEquals("mask-not-binary", mix.kind());
        assertTrue(mix.getMessage().contains("mixes"), mix.getMessage());
    }

    @Test
    void normalisedMaskPngRoundTrips() throws Exception {
        ImageChecks.BinaryMask m = ImageChecks.verifyMaskPng(TestImages.grayMask(10, 6, 1), 10, 6);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(m.toPng()));
        assertEquals(255, back.getRaster().getSample(0, 0, 0));
        assertEquals(0, back.getRaster().getSample(9, 0, 0));
    }

    @Test
    void polygonsRasteriseAndOutOfBoundsPointsAreRejected() {
        PolygonMask square = new PolygonMask(List.of(List.of(List.of(2.0, 2.0), List.of(6.0, 2.0), List.of(6.0, 6.0), List.of(2.0, 6.0))));
        ImageChecks.BinaryMask m = square.rasterize(10, 10);
        assertEquals(16, m.foregroundPixels());
        assertEquals(1, m.pixels()[3 * 10 + 3]);
        assertEquals(0, m.pixels()[0]);
        PolygonMask outside = new PolygonMask(List.of(List.of(List.of(2.0, 2.0), List.of(60.0, 2.0), List.of(6.0, 6.0))));
        ApiProblem e = assertThrows(ApiProblem.class, () -> outside.rasterize(10, 10));
        assertEquals(422, e.status());
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        PolygonMask degenerate = new PolygonMask(List.of(List.of(List.of(2.0, 2.0), List.of(6.0, 2.0))));
        assertEquals(400, assertThrows(ApiProblem.class, () -> degenerate.rasterize(10, 10)).status());
    }
}
