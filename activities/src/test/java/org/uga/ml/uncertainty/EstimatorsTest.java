package org.uga.ml.uncertainty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uga.ml.data.Tile;
import org.uga.ml.model.Dihedral;
import org.uga.ml.model.ModelSet;
import org.uga.ml.model.SegmentationModel;
import org.uga.ml.model.UNetConfig;

class EstimatorsTest {

    private static SegmentationModel a;
    private static SegmentationModel b;

    @BeforeAll
    static void models() {
        a = SegmentationModel.create(new UNetConfig(16, 2, 0.3f), Device.cpu(), 1);
        b = SegmentationModel.create(new UNetConfig(16, 2, 0.3f), Device.cpu(), 2);
    }

    @AfterAll
    static void close() {
        a.close();
        b.close();
    }

    private static Tile tile(String id, int w, int h, long seed) {
        Random r = new Random(seed);
        float[] rgb = new float[3 * w * h];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = r.nextFloat();
        }
        return new Tile(id, "t", w, h, rgb, null);
    }

    @Test
    void dihedralTransformsInvertExactlyOnNonSquarePlanes() {
        int w = 5;
        int h = 3;
        float[] plane = new float[w * h];
        for (int i = 0; i < plane.length; i++) {
            plane[i] = i;
        }
        for (int k = 0; k < Dihedral.COUNT; k++) {
            float[] t = Dihedral.apply(plane, w, h, k);
            assertArrayEquals(plane, Dihedral.invert(t, w, h, k), 0f, "transform " + k);
        }
        // One clockwise quarter turn: the bottom-left pixel lands top-left.
        float[] turned = Dihedral.apply(plane, w, h, 1);
        assertEquals(plane[(h - 1) * w], turned[0]);
        Tile t = tile("d", w, h, 3);
        Tile tt = Dihedral.apply(t, 5);
        assertEquals(h, tt.width());
        assertEquals(w, tt.height());
        float[] red = java.util.Arrays.copyOfRange(t.rgb(), 0, w * h);
        assertArrayEquals(Dihedral.apply(red, w, h, 5), java.util.Arrays.copyOfRange(tt.rgb(), 0, w * h), 0f);
    }

    @Test
    void ttaViewZeroIsThePlainPredictionAndAllViewsAreMappedBack() {
        Tile t = tile("tta", 40, 24, 4);
        MemberPredictions p = new TtaEstimator(8).predict(ModelSet.of(a), t);
        assertEquals(8, p.size());
        assertEquals(40, p.width());
        assertEquals(24, p.height());
        assertArrayEquals(a.predict(t), p.members()[0], 1e-5f);
        // With a predictor that is exactly equivariant (it returns the red channel), every view mapped back must
        // reproduce the red channel of the original tile.
        float[] red = java.util.Arrays.copyOfRange(t.rgb(), 0, 40 * 24);
        MemberPredictions viaRed = new TtaEstimator(8).predict(tiles -> tiles.stream()
                .map(v -> java.util.Arrays.copyOfRange(v.rgb(), 0, v.width() * v.height())).toList(), t);
        for (int k = 0; k < 8; k++) {
            assertArrayEquals(red, viaRed.members()[k], 0f, "view " + k + " not mapped back");
        }
    }

    @Test
    void ensembleNeedsExactlyItsMembersAndTheyDiffer() {
        Tile t = tile("ens", 32, 32, 5);
        DeepEnsembleEstimator est = new DeepEnsembleEstimator(2);
        MemberPredictions p = est.predict(ModelSet.of(a, b), t);
        assertEquals(2, p.size());
        assertTrue(correlation(p.members()[0], p.members()[1]) < 0.999999, "members trained from different seeds differ");
        assertThrows(IllegalArgumentException.class, () -> est.predict(ModelSet.of(a), t));
    }

    @Test
    void mcDropoutIsDeterministicPerTileWhateverTheOrder() {
        Tile t1 = tile("one", 32, 24, 6);
        Tile t2 = tile("two", 32, 24, 7);
        McDropoutEstimator est = new McDropoutEstimator(4, 42);
        MemberPredictions first = est.predict(ModelSet.of(a), t1);
        est.predict(ModelSet.of(a), t2);
        MemberPredictions again = est.predict(ModelSet.of(a), t1);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(first.members()[i], again.members()[i], 0f);
        }
        float[] u = UncertaintyMeasures.byName("paper-ce").compute(first);
        double sum = 0;
        for (float v : u) {
            sum += v;
        }
        assertTrue(sum > 0, "MC passes must disagree somewhere");
    }

    @Test
    void scoringCombinesEstimatorAndMeasure() {
        Tile t = tile("score", 24, 16, 8);
        UncertaintyEstimator est = UncertaintyEstimators.byName("tta", 4, 0);
        UncertaintyMeasure measure = UncertaintyMeasures.byName("paper-ce");
        UncertaintyMap map = Scoring.score(ModelSet.of(a), est, measure, t);
        MemberPredictions p = est.predict(ModelSet.of(a), t);
        assertEquals("score", map.tileId());
        assertArrayEquals(p.mean(), map.probability(), 0f);
        assertArrayEquals(measure.compute(p), map.uncertainty(), 0f);
        assertEquals(List.of("score"), List.copyOf(Scoring.scoreAll(ModelSet.of(a), est, measure, List.of(t)).keySet()));
    }

    @Test
    void lookupByName() {
        assertInstanceOf(McDropoutEstimator.class, UncertaintyEstimators.byName("mc-dropout"));
        assertEquals(3, UncertaintyEstimators.byName("ensemble").requiredModels());
        assertEquals(5, UncertaintyEstimators.byName("ensemble", 5, 0).requiredModels());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UncertaintyEstimators.byName("bayes"));
        assertTrue(e.getMessage().contains("mc-dropout"), e.getMessage());
    }

    private static double correlation(float[] x, float[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= x.length;
        my /= y.length;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy + 1e-30);
    }
}
