package org.uga.ml.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentTest {

    /** 3x2 tile whose red channel and mask encode the pixel index. */
    private static Tile indexed() {
        int w = 3;
        int h = 2;
        float[] rgb = new float[18];
        byte[] mask = new byte[6];
        for (int i = 0; i < 6; i++) {
            rgb[i] = i / 10f;
            rgb[6 + i] = 0.5f;
            rgb[12 + i] = 0.25f;
            mask[i] = (byte) (i % 2);
        }
        return new Tile("i", "d", w, h, rgb, mask);
    }

    @Test
    void rotationsAndFlipsMovePixelsAndMaskTogether() {
        Tile t = indexed();
        Tile r = Augment.rotate90(t, 1);
        assertEquals(2, r.width());
        assertEquals(3, r.height());
        // CCW: the top-right pixel (index 2) becomes the top-left
        assertEquals(0.2f, r.rgb()[0], 1e-6f);
        assertEquals(t.mask()[2], r.mask()[0]);
        Tile back = Augment.rotate90(Augment.rotate90(Augment.rotate90(r, 1), 1), 1);
        assertArrayEquals(t.rgb(), back.rgb());
        assertArrayEquals(t.mask(), back.mask());
        assertArrayEquals(t.rgb(), Augment.rotate90(Augment.rotate90(t, 3), 1).rgb());
        Tile fh = Augment.flipHorizontal(t);
        assertEquals(0.2f, fh.rgb()[0], 1e-6f);
        assertArrayEquals(t.rgb(), Augment.flipHorizontal(fh).rgb());
        Tile fv = Augment.flipVertical(t);
        assertEquals(0.3f, fv.rgb()[0], 1e-6f);
        assertArrayEquals(t.mask(), Augment.flipVertical(fv).mask());
    }

    @Test
    void seededAugmentationIsDeterministic() {
        Tile t = HeGenerator.generate(1, 64, 64, "central", HeGenerator.StainShift.NONE, 1).tiles().get(0);
        Augment.Config cfg = Augment.Config.standard(32);
        Tile a = Augment.apply(t, cfg, new Random(7));
        Tile b = Augment.apply(t, cfg, new Random(7));
        assertArrayEquals(a.rgb(), b.rgb());
        assertArrayEquals(a.mask(), b.mask());
        assertEquals(32, a.width());
        Tile c = Augment.apply(t, cfg, new Random(8));
        assertFalse(Arrays.equals(a.rgb(), c.rgb()));
        assertThrows(IllegalArgumentException.class, () -> Augment.randomCrop(t, 65, 10, new Random(1)));
    }

    @Test
    void hedJitterKeepsMaskAndIsIdentityAtZeroStrength() {
        Tile t = HeGenerator.generate(1, 32, 32, "central", HeGenerator.StainShift.NONE, 2).tiles().get(0);
        Tile same = Augment.hedJitter(t, 0, new Random(1));
        assertArrayEquals(t.rgb(), same.rgb(), 1e-4f);
        Tile j = Augment.hedJitter(t, 0.1, new Random(1));
        assertArrayEquals(t.mask(), j.mask());
        assertFalse(Arrays.equals(t.rgb(), j.rgb()));
        for (float v : j.rgb()) {
            assertEquals(true, v >= 0 && v <= 1);
        }
    }
}
