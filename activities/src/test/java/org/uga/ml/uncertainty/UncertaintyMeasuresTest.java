package org.uga.ml.uncertainty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UncertaintyMeasuresTest {

    private static final double TOL = 1e-5;
    private static final double LN2 = Math.log(2);

    /** One pixel, one value per member. */
    private static MemberPredictions pixel(float... members) {
        float[][] m = new float[members.length][];
        for (int k = 0; k < members.length; k++) {
            m[k] = new float[] {members[k]};
        }
        return new MemberPredictions(1, 1, m);
    }

    private static double value(String measure, float... members) {
        return UncertaintyMeasures.byName(measure).compute(pixel(members))[0];
    }

    @Test
    void entropyOfHalfIsLn2AndOfCertaintyIsZero() {
        assertEquals(LN2, value("entropy", 0.5f), TOL);
        assertEquals(LN2, value("entropy", 0f, 1f), TOL); // mean 0.5
        assertEquals(0.0, value("entropy", 0f), TOL);
        assertEquals(0.0, value("entropy", 1f, 1f), TOL);
        // H(0.4) = -0.4 ln 0.4 - 0.6 ln 0.6
        assertEquals(0.4 * Math.log(1 / 0.4) + 0.6 * Math.log(1 / 0.6), value("entropy", 0.2f, 0.6f), TOL);
    }

    @Test
    void paperCrossEntropyOfContradictingConfidentMembers() {
        // members {0,1}: m = 0.5; member 0 costs -0.5 ln(eps/(1+2eps)) - 0.5 ln((1+eps)/(1+2eps)) = 0.5 ln(1e8) + ~0,
        // and member 1 the same by symmetry, so the mean is 0.5 * ln(1e8) = 9.2103
        assertEquals(0.5 * Math.log(1e8), value("paper-ce", 0f, 1f), 1e-4);
    }

    @Test
    void paperCrossEntropyWorkedExample() {
        // members {0.2, 0.6}, m = 0.4:
        // CE(m, 0.2) = -0.4 ln 0.2 - 0.6 ln 0.8 = 0.643775 + 0.133886 = 0.777661
        // CE(m, 0.6) = -0.4 ln 0.6 - 0.6 ln 0.4 = 0.204330 + 0.549774 = 0.754104
        // mean = 0.765883
        assertEquals(0.765883, value("paper-ce", 0.2f, 0.6f), TOL);
        // equals H(m) + mean KL(m || p_k) >= H(m)
        assertTrue(value("paper-ce", 0.2f, 0.6f) >= value("entropy", 0.2f, 0.6f));
    }

    @Test
    void paperCrossEntropyOfAgreeingMembersIsTheirEntropy() {
        // all members equal: KL term is 0, so paper-ce = H(p)
        assertEquals(LN2, value("paper-ce", 0.5f, 0.5f, 0.5f), TOL);
        assertEquals(value("entropy", 0.3f, 0.3f), value("paper-ce", 0.3f, 0.3f), TOL);
        assertEquals(0.0, value("paper-ce", 1f, 1f), 1e-6);
    }

    @Test
    void baldIsEntropyOfMeanMinusMeanEntropy() {
        assertEquals(LN2, value("bald", 0f, 1f), TOL); // ln 2 - 0
        assertEquals(0.0, value("bald", 0.5f, 0.5f), TOL); // agreeing members: no epistemic part
        // H(0.4) - (H(0.2) + H(0.6)) / 2 = 0.673012 - (0.500402 + 0.673012) / 2 = 0.086305
        assertEquals(0.086305, value("bald", 0.2f, 0.6f), TOL);
    }

    @Test
    void varianceIsPopulationVariance() {
        assertEquals(0.25, value("variance", 0f, 1f), TOL);
        assertEquals(0.04, value("variance", 0.2f, 0.6f), TOL);
        assertEquals(0.0, value("variance", 0.7f), TOL);
        // {0, 0.5, 1}: mean 0.5, squared deviations 0.25, 0, 0.25 -> 0.5 / 3
        assertEquals(0.5 / 3, value("variance", 0f, 0.5f, 1f), TOL);
    }

    @Test
    void measuresWorkPerPixelOnMaps() {
        MemberPredictions p = new MemberPredictions(2, 1, new float[][] {{0f, 0.5f}, {1f, 0.5f}});
        float[] bald = new MutualInformation().compute(p);
        assertEquals(LN2, bald[0], TOL);
        assertEquals(0.0, bald[1], TOL);
        float[] ent = new PredictiveEntropy().compute(p);
        assertEquals(LN2, ent[0], TOL);
        assertEquals(LN2, ent[1], TOL);
    }

    @Test
    void registryKnowsTheNamesAndRejectsOthers() {
        for (String n : UncertaintyMeasures.names()) {
            assertEquals(n, UncertaintyMeasures.byName(n).name());
        }
        assertEquals("paper-ce", UncertaintyMeasures.byName(" Paper-CE ").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UncertaintyMeasures.byName("foo"));
        assertTrue(e.getMessage().contains("foo") && e.getMessage().contains("paper-ce")
                && e.getMessage().contains("bald"), e.getMessage());
    }
}
