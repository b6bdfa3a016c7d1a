package org.uga.ml.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uga.ml.data.HeGenerator.StainShift;

class HeGeneratorTest {

    @Test
    void sameSeedSamePixelsOtherSeedOtherPixels() {
        Dataset a = HeGenerator.generate(3, 64, 48, "central", StainShift.NONE, 11);
        Dataset b = HeGenerator.generate(3, 64, 48, "central", StainShift.NONE, 11);
        Dataset c = HeGenerator.generate(3, 64, 48, "central", StainShift.NONE, 12);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(a.tiles().get(i).rgb(), b.tiles().get(i).rgb());
            assertArrayEquals(a.tiles().get(i).mask(), b.tiles().get(i).mask());
            assertFalse(Arrays.equals(a.tiles().get(i).rgb(), c.tiles().get(i).rgb()));
        }
        // tile i does not depend on n
        Dataset longer = HeGenerator.generate(5, 64, 48, "central", StainShift.NONE, 11);
        assertArrayEquals(a.tiles().get(2).rgb(), longer.tiles().get(2).rgb());
        assertEquals("central-0002", longer.tiles().get(2).id());
    }

    @Test
    void nucleiAreMaskedExactlyAndLookLikeNuclei() {
        Dataset d = HeGenerator.generate(4, 128, 128, "central", StainShift.NONE, 3);
        for (Tile t : d.tiles()) {
            double fg = MaskStats.foregroundFraction(t.mask());
            assertTrue(fg > 0.01 && fg < 0.5, t.id() + " foreground " + fg);
            assertTrue(MaskStats.components(t.mask(), t.width(), t.height()) >= 3, t.id());
            // hematoxylin-rich nuclei: darker and bluer than the rest
            int n = t.pixels();
            double[] in = new double[3];
            double[] out = new double[3];
            long nin = 0;
            for (int i = 0; i < n; i++) {
                boolean fgPx = t.mask()[i] != 0;
                for (int c = 0; c < 3; c++) {
                    (fgPx ? in : out)[c] += t.rgb()[c * n + i];
                }
                if (fgPx) {
                    nin++;
                }
            }
            for (int c = 0; c < 3; c++) {
                in[c] /= nin;
                out[c] /= n - nin;
            }
            assertTrue(in[0] + in[1] + in[2] < out[0] + out[1] + out[2] - 0.4, t.id() + " nuclei not darker");
            assertTrue(in[2] > in[0], t.id() + " nuclei not blue-purple: " + Arrays.toString(in));
        }
    }

    @Test
    void localDomainDiffersFromCentralInMeanColour() {
        Dataset central = HeGenerator.generate(6, 96, 96, "central", StainShift.NONE, 5);
        Dataset local = HeGenerator.generate(6, 96, 96, "local", StainShift.LOCAL_DEFAULT, 5);
        double[] mc = meanColour(central);
        double[] ml = meanColour(local);
        double dist = Math.sqrt(Math.pow(mc[0] - ml[0], 2) + Math.pow(mc[1] - ml[1], 2) + Math.pow(mc[2] - ml[2], 2));
        assertTrue(dist > 20, "mean colours too close: " + Arrays.toString(mc) + " vs " + Arrays.toString(ml));
        // the same morphology code with no shift gives a similar colour: the difference is the shift, not chance
        double[] mc2 = meanColour(HeGenerator.generate(6, 96, 96, "local", StainShift.NONE, 5));
        double dist2 = Math.sqrt(Math.pow(mc[0] - mc2[0], 2) + Math.pow(mc[1] - mc2[1], 2) + Math.pow(mc[2] - mc2[2], 2));
        assertTrue(dist2 < dist / 2, "unshifted tiles differ by " + dist2 + ", shifted by " + dist);
    }

    private static double[] meanColour(Dataset d) {
        double[] m = new double[3];
        for (Tile t : d.tiles()) {
            double[] tm = MaskStats.meanRgb255(t);
            for (int c = 0; c < 3; c++) {
                m[c] += tm[c] / d.size();
            }
        }
        return m;
    }

    @Test
    void writtenDatasetReadsBackIdentically(@TempDir Path dir) throws IOException {
        Dataset d = HeGenerator.generateCentralAndLocal(2, 2, 40, 32, 9);
        HeGenerator.writeDataset(d, dir);
        Dataset back = DatasetReader.read(dir);
        assertEquals(4, back.size());
        for (Tile t : d.tiles()) {
            Tile r = back.tile(t.id()).orElseThrow();
            assertEquals(t.domain(), r.domain());
            assertArrayEquals(t.rgb(), r.rgb());
            assertArrayEquals(t.mask(), r.mask());
        }
    }

    @Test
    void invalidShiftsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new StainShift(0, 0, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new StainShift(0, 1, 1, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> StainShift.forDomain("mars"));
        assertEquals(StainShift.NONE, StainShift.forDomain("central"));
    }

    @Test
    void stainMatrixInverseIsAnInverse() {
        StainVectors s = StainVectors.RUIFROK.rotatedAboutGray(17);
        double[] inv = s.inverse();
        double[] od = new double[3];
        s.od(0.7, 0.3, 0.05, od);
        for (int j = 0; j < 3; j++) {
            double conc = od[0] * inv[j] + od[1] * inv[3 + j] + od[2] * inv[6 + j];
            assertEquals(new double[] {0.7, 0.3, 0.05}[j], conc, 1e-9);
        }
    }
}
