package org.uga.ml.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uga.ml.data.DatasetSpec;
import org.uga.ml.data.HeGenerator;
import org.uga.ml.model.UNetConfig;
import org.uga.ml.train.TrainConfig;

class ExperimentRunnerTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void data() throws Exception {
        HeGenerator.writeDataset(HeGenerator.generateCentralAndLocal(6, 8, 64, 64, 5), dir.resolve("data"));
    }

    private static ExperimentConfig config(Path out, Path cache) {
        DatasetSpec central = DatasetSpec.parse(dir.resolve("data") + ":central");
        DatasetSpec local = DatasetSpec.parse(dir.resolve("data") + ":local");
        return new ExperimentConfig(central, local, local, List.of(0, 1, 2), List.of("uga", "random"), "mc-dropout", 3,
                "paper-ce", 1, 7, 32, 0.5, 0.5, new UNetConfig(16, 2, 0.2f),
                new TrainConfig(2, 2, 4, 32, 2e-3f, 2, 0.2, 1f, true, 7),
                new TrainConfig(1, 2, 4, 32, 5e-4f, 2, 0.2, 1f, true, 7), out, cache, 2);
    }

    @Test
    void tinyRunWritesResultsAndReportAndIsDeterministic() throws Exception {
        List<String> log = new ArrayList<>();
        ExperimentResult first = new ExperimentRunner(config(dir.resolve("out1"), dir.resolve("cache1")), line -> {
            log.add(line);
            System.out.println(line);
        }).run();
        System.out.println("phases (s): " + first.phases());
        // A second run with its own cache trains the central model again: the numbers must be identical.
        ExperimentResult second = new ExperimentRunner(config(dir.resolve("out2"), dir.resolve("cache2")), s -> { }).run();
        // A third run reuses the first cache.
        ExperimentResult third = new ExperimentRunner(config(dir.resolve("out3"), dir.resolve("cache1")), s -> { }).run();

        assertEquals(2 * 1 * 3, first.runs().size(), "strategies x seeds x budgets");
        assertEquals(dice(first), dice(second), "same inputs and seed must give the same numbers");
        assertEquals(dice(first), dice(third), "a cached central model must give the same numbers");
        assertFalse(first.setup().centralModels().get(0).cached());
        assertTrue(third.setup().centralModels().get(0).cached());

        // Pool and test are disjoint halves of the local set; budgets are nested.
        assertEquals(4, first.setup().poolTiles());
        assertEquals(4, first.setup().testTiles());
        Set<String> testIds = new HashSet<>(first.setup().testTileIds());
        for (ExperimentResult.Run r : first.runs()) {
            for (String key : r.patches()) {
                assertTrue(testIds.stream().noneMatch(id -> key.startsWith(id.replaceAll("[^A-Za-z0-9._-]", "_") + "_x")),
                        "patch " + key + " comes from a test tile");
            }
            if (r.budget() == 2) {
                ExperimentResult.Run smaller = first.runs().stream().filter(o -> o.strategy().equals(r.strategy())
                        && o.seed() == r.seed() && o.budget() == 1).findFirst().orElseThrow();
                assertEquals(smaller.patches(), r.patches().subList(0, smaller.patches().size()), "budgets are nested");
            }
        }
        // Budget 0 is the central model for every strategy.
        assertEquals(first.summary("uga", 0).meanDice(), first.summary("random", 0).meanDice(), 0);

        JsonNode json = new ObjectMapper().readTree(dir.resolve("out1/results.json").toFile());
        assertEquals(6, json.get("runs").size());
        assertEquals("mc-dropout", json.get("setup").get("estimator").asText());
        String html = Files.readString(dir.resolve("out1/report.html"));
        assertTrue(html.contains("<svg"), "report has the Dice chart");
        assertTrue(html.contains("data:image/png;base64,"), "report embeds images");
        assertFalse(html.contains("http://") && html.contains("<script src"), "no external resources");
        assertTrue(log.stream().anyMatch(l -> l.contains("test Dice")), "progress lines are printed");
    }

    @Test
    void rejectsUnknownNamesBeforeTraining() {
        ExperimentConfig base = config(dir.resolve("bad"), dir.resolve("badcache"));
        ExperimentConfig bad = new ExperimentConfig(base.central(), base.pool(), base.test(), base.budgets(),
                List.of("uga", "psychic"), base.estimator(), base.estimatorSamples(), base.measure(), base.seeds(),
                base.baseSeed(), base.patchSize(), base.testFraction(), base.replayRatio(), base.unet(),
                base.centralTraining(), base.fineTuning(), base.out(), base.cacheDir(), base.reportTiles());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ExperimentRunner(bad, null).run());
        assertTrue(e.getMessage().contains("psychic"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("badcache")), "nothing trained");
        assertThrows(IllegalArgumentException.class, () -> new ExperimentConfig(base.central(), base.pool(), base.test(),
                List.of(-1), base.strategies(), base.estimator(), 0, base.measure(), 1, 1, 32, 0.5, 0.5, base.unet(),
                base.centralTraining(), base.fineTuning(), base.out(), null, 0));
    }

    private static List<Double> dice(ExperimentResult r) {
        return r.runs().stream().map(ExperimentResult.Run::testDice).toList();
    }
}
