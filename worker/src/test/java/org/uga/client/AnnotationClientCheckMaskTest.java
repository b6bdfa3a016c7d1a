package org.uga.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.uga.ml.data.Images;

class AnnotationClientCheckMaskTest {

    private static byte[] png(int w, int h, int gray) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (x + y) % 2 == 0 ? 0 : gray);
            }
        }
        return Images.encodePng(img);
    }

    @Test
    void acceptsABinaryPngOfThePatchSize() throws Exception {
        assertEquals(List.of(), AnnotationClient.checkMask(png(8, 6, 255), 8, 6));
    }

    @Test
    void rejectsWhatIsNotAPng() {
        assertEquals(List.of("mask upload is not a PNG"),
                AnnotationClient.checkMask("GIF89a...".getBytes(StandardCharsets.US_ASCII), 8, 6));
    }

    @Test
    void rejectsTheWrongSizeNamingBoth() throws Exception {
        assertEquals(List.of("mask is 8x8, expected 8x6"), AnnotationClient.checkMask(png(8, 8, 255), 8, 6));
    }

    @Test
    void rejectsGrayLevelsThatAreNotBinary() throws Exception {
        List<String> problems = AnnotationClient.checkMask(png(8, 6, 128), 8, 6);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("128"), problems.get(0));
    }
}
