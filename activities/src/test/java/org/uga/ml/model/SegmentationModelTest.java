package org.uga.ml.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uga.ml.data.Tile;

class SegmentationModelTest {

    private static SegmentationModel model;

    @BeforeAll
    static void createModel() {
        model = SegmentationModel.create(new UNetConfig(16, 2, 0.3f), Device.cpu(), 7);
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    static Tile randomTile(String id, int w, int h, long seed) {
        Random r = new Random(seed);
        float[] rgb = new float[3 * w * h];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = r.nextFloat();
        }
        return new Tile(id, "test", w, h, rgb, null);
    }

    @Test
    void predictsOneProbabilityPerPixelForOddTileSizes() {
        for (int[] size : new int[][] {{37, 23}, {64, 64}, {1, 9}, {101, 50}}) {
            Tile t = randomTile("t" + size[0], size[0], size[1], size[0]);
            float[] p = model.predict(t);
            assertEquals(size[0] * size[1], p.length, "probabilities for " + size[0] + "x" + size[1]);
            for (float v : p) {
                assertTrue(v >= 0f && v <= 1f && !Float.isNaN(v), "probability out of range: " + v);
            }
        }
    }

    @Test
    void batchPredictMatchesSinglePredict() {
        Tile a = randomTile("a", 40, 24, 1);
        Tile b = randomTile("b", 17, 31, 2);
        Tile c = randomTile("c", 40, 24, 3);
        List<float[]> batch = model.predict(List.of(a, b, c));
        assertArrayEquals(model.predict(b), batch.get(1), 1e-5f);
        assertArrayEquals(model.predict(c), batch.get(2), 1e-5f);
    }

    @Test
    void checkpointRoundTripGivesIdenticalPredictions() {
        Tile t = randomTile("rt", 48, 40, 11);
        byte[] bytes = model.toBytes();
        try (SegmentationModel restored = SegmentationModel.fromBytes(bytes, Device.cpu())) {
            assertEquals(model.config(), restored.config());
            assertArrayEquals(model.predict(t), restored.predict(t), 0f);
            assertArrayEquals(bytes, restored.toBytes(), "re-serialised checkpoint differs");
        }
    }

    @Test
    void sameSeedGivesSameInitialWeights() {
        try (SegmentationModel again = SegmentationModel.create(new UNetConfig(16, 2, 0.3f), Device.cpu(), 7)) {
            assertArrayEquals(model.toBytes(), again.toBytes());
        }
    }

    @Test
    void rejectsCorruptCheckpoints() {
        assertThrows(IllegalArgumentException.class, () -> SegmentationModel.fromBytes(new byte[40], Device.cpu()));
        byte[] bytes = model.toBytes();
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        assertThrows(IllegalArgumentException.class, () -> SegmentationModel.fromBytes(truncated, Device.cpu()));
    }

    @Test
    void mcDropoutSamplesVaryWhilePlainPredictIsDeterministicAndBatchNormIsUntouched() {
        Tile t = randomTile("mc", 32, 32, 5);
        byte[] before = model.toBytes();
        float[] plain1 = model.predict(t);
        float[][] samples = model.predictMcDropout(t, 5, 99);
        float[] plain2 = model.predict(t);
        assertArrayEquals(plain1, plain2, 0f, "plain predict must be deterministic");
        assertEquals(5, samples.length);
        for (int i = 1; i < samples.length; i++) {
            assertNotEquals(0.0, maxAbsDiff(samples[0], samples[i]), "MC passes 0 and " + i + " are identical");
        }
        assertTrue(maxAbsDiff(samples[0], plain1) > 0, "an MC pass equals the deterministic prediction");
        assertArrayEquals(before, model.toBytes(), "MC passes changed parameters or BatchNorm statistics");
        float[][] again = model.predictMcDropout(t, 5, 99);
        for (int i = 0; i < samples.length; i++) {
            assertArrayEquals(samples[i], again[i], 0f, "same seed must give the same MC samples");
        }
    }

    @Test
    void pixelShuffleMatchesTorchOrdering() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(Device.cpu())) {
            // One output channel, 2x2 input: channel k = i*2 + j lands at (2y+i, 2x+j).
            float[] v = new float[16];
            for (int i = 0; i < 16; i++) {
                v[i] = i;
            }
            float[] out = UNetBlock.pixelShuffle(m.create(v, new ai.djl.ndarray.types.Shape(1, 4, 2, 2))).toFloatArray();
            // input[c][y][x] = c*4 + y*2 + x ; output[Y][X] with Y=2y+i, X=2x+j = (i*2+j)*4 + y*2 + x
            float[] expected = new float[16];
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 2; x++) {
                    for (int i = 0; i < 2; i++) {
                        for (int j = 0; j < 2; j++) {
                            expected[(2 * y + i) * 4 + 2 * x + j] = (i * 2 + j) * 4 + y * 2 + x;
                        }
                    }
                }
            }
            assertArrayEquals(expected, out, 0f);
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
