package org.uga.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.uga.demo.DemoOptions;
import org.uga.workflows.model.UncertaintyConfig;

class DemoCommandTest {

    @Test
    void estimatorOptionsBecomeTheCampaignsUncertaintyConfig() {
        assertEquals(UncertaintyConfig.paperDefault(), DemoCommand.uncertainty(new Args()));
        assertEquals(new UncertaintyConfig("ensemble", 3, "paper-ce"),
                DemoCommand.uncertainty(new Args("--estimator", "ensemble")), "an ensemble defaults to 3 members");
        assertEquals(new UncertaintyConfig("tta", 4, "entropy"),
                DemoCommand.uncertainty(new Args("--estimator", "tta", "--passes", "4", "--measure", "entropy")));
    }

    @Test
    void aBadEstimatorIsAUsageErrorNamingIt() {
        Args.UsageException e = assertThrows(Args.UsageException.class,
                () -> DemoCommand.uncertainty(new Args("--estimator", "bagging")));
        assertTrue(e.getMessage().contains("bagging"), e.getMessage());
        assertThrows(Args.UsageException.class,
                () -> DemoCommand.uncertainty(new Args("--estimator", "ensemble", "--passes", "1")));
    }

    @Test
    void optionsWithoutAnUncertaintyConfigUseThePapers() {
        DemoOptions o = new DemoOptions(null, 1, 1, 1, 7, java.nio.file.Path.of("out"), java.nio.file.Path.of("home"),
                true, java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(2), false);
        assertEquals(UncertaintyConfig.paperDefault(), o.uncertainty());
    }
}
