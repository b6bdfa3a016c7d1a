package org.uga.ml.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final double TOL = 1e-9;

    @Test
    void diceEdgeCases() {
        assertEquals(1.0, Metrics.dice(new byte[] {0, 0, 0}, new byte[] {0, 0, 0}), TOL); // both empty
        assertEquals(0.0, Metrics.dice(new byte[] {0, 0, 0}, new byte[] {0, 1, 0}), TOL); // prediction empty
        assertEquals(0.0, Metrics.dice(new byte[] {1, 0, 0}, new byte[] {0, 0, 0}), TOL); // truth empty
        assertEquals(1.0, Metrics.dice(new byte[] {1, 0, 1}, new byte[] {1, 0, 1}), TOL);
        // |A|=2, |B|=2, |A∩B|=1 -> 2*1/4
        assertEquals(0.5, Metrics.dice(new byte[] {1, 1, 0, 0}, new byte[] {0, 1, 1, 0}), TOL);
        assertEquals(1.0 / 3, Metrics.iou(new byte[] {1, 1, 0, 0}, new byte[] {0, 1, 1, 0}), TOL);
        assertEquals(1.0, Metrics.iou(new byte[] {0}, new byte[] {0}), TOL);
    }

    @Test
    void diceOfProbabilitiesThresholdsAtHalf() {
        assertEquals(1.0, Metrics.dice(new float[] {0.5f, 0.49f}, new byte[] {1, 0}), TOL);
        assertThrows(IllegalArgumentException.class, () -> Metrics.dice(new byte[2], new byte[3]));
    }

    @Test
    void eceHandComputed() {
        // (values kept off bin edges: 0.9f is 0.89999998 and would land in [0.8,0.9))
        // bin [0.9,1]: p = 0.92, 0.96 with labels 1, 0 -> mean p 0.94, foreground fraction 0.5, gap 0.44, share 2/4
        // bin [0.1,0.2): p = 0.12, 0.14 with labels 0, 0 -> mean p 0.13, fraction 0, gap 0.13, share 2/4
        float[] p = {0.92f, 0.96f, 0.12f, 0.14f};
        byte[] y = {1, 0, 0, 0};
        assertEquals(0.5 * 0.44 + 0.5 * 0.13, Metrics.ece(p, y), 1e-6);
        // perfectly calibrated: p = 0 on background, 1 on foreground
        assertEquals(0.0, Metrics.ece(new float[] {0f, 1f, 1f}, new byte[] {0, 1, 1}), TOL);
        // p = 1.0 falls in the last bin, not out of range
        assertEquals(1.0, Metrics.ece(new float[] {1f}, new byte[] {0}), TOL);
    }

    @Test
    void aurocHandComputedWithTies() {
        // errors are at the two highest uncertainties -> perfect detector
        assertEquals(1.0, Metrics.auroc(new float[] {0.1f, 0.2f, 0.8f, 0.9f}, new boolean[] {false, false, true, true}), TOL);
        assertEquals(0.0, Metrics.auroc(new float[] {0.9f, 0.8f, 0.2f, 0.1f}, new boolean[] {false, false, true, true}), TOL);
        // all scores tied -> 0.5
        assertEquals(0.5, Metrics.auroc(new float[] {0.3f, 0.3f, 0.3f}, new boolean[] {true, false, false}), TOL);
        // positives {0.5, 0.2}, negatives {0.5, 0.1}: pairs (0.5>0.1)=1, (0.5=0.5)=0.5, (0.2<0.5)=0, (0.2>0.1)=1 -> 2.5/4
        assertEquals(0.625, Metrics.auroc(new float[] {0.5f, 0.2f, 0.5f, 0.1f}, new boolean[] {true, true, false, false}), TOL);
        // negative values order correctly
        assertEquals(1.0, Metrics.auroc(new float[] {-2f, -1f, 0f, 3f}, new boolean[] {false, false, true, true}), TOL);
    }

    @Test
    void aurocIsNaNWithOneClass() {
        assertTrue(Double.isNaN(Metrics.auroc(new float[] {0.1f, 0.2f}, new boolean[] {false, false})));
        // perfect prediction: no error pixels -> undefined
        assertTrue(Double.isNaN(Metrics.uncertaintyAuroc(new float[] {0.1f, 0.2f}, new float[] {0.9f, 0.1f},
                new byte[] {1, 0})));
    }

    @Test
    void uncertaintyAurocUsesThresholdedErrors() {
        float[] prob = {0.9f, 0.6f, 0.2f, 0.1f};
        byte[] truth = {1, 0, 1, 0}; // errors at pixels 1 and 2
        float[] u = {0.05f, 0.6f, 0.5f, 0.01f};
        assertEquals(1.0, Metrics.uncertaintyAuroc(u, prob, truth), TOL);
        SegmentationScores s = Metrics.score(prob, u, truth);
        assertEquals(0.5, s.dice(), TOL); // pred {1,1,0,0} vs truth {1,0,1,0}
        assertEquals(1.0, s.uncertaintyAuroc(), TOL);
    }

    @Test
    void aggregatorSeparatesMeanAndPooledDice() {
        ScoreAggregator agg = new ScoreAggregator();
        // tile a: 1 true positive out of 1 -> Dice 1
        agg.add("a", new float[] {0.9f, 0.1f}, new float[] {0.1f, 0.1f}, new byte[] {1, 0});
        // tile b: predicts 1 pixel, truth has 3 others -> Dice 0
        agg.add("b", new float[] {0.9f, 0.1f, 0.1f, 0.1f}, new float[] {0.2f, 0.9f, 0.9f, 0.9f}, new byte[] {0, 1, 1, 1});
        ScoreAggregator.AggregateScores s = agg.summary();
        assertEquals(2, s.tiles());
        assertEquals(0.5, s.meanDice(), TOL);
        // pooled: tp=1, fp=1, fn=3 -> 2/(2+1+3)
        assertEquals(2.0 / 6, s.pooledDice(), TOL);
        assertEquals(1.0 / 5, s.pooledIou(), TOL);
        // tile a has no errors -> its AUROC is NaN and left out of the mean; tile b: errors at all 4 pixels -> NaN too
        assertTrue(Double.isNaN(s.meanAuroc()));
        // pooled: errors (b's 4 pixels: u 0.2, 0.9, 0.9, 0.9) vs right (a's: 0.1, 0.1) -> perfectly separated
        assertEquals(1.0, s.pooledAuroc(), TOL);
        assertThrows(IllegalArgumentException.class, () -> agg.add("a", new float[] {0f}, null, new byte[] {0}));
    }
}
