package org.uga.ml.experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.uga.ml.data.DatasetSpec;
import org.uga.ml.model.UNetConfig;
import org.uga.ml.train.TrainConfig;

/**
 * The paper's simulated-annotation protocol, parameterised.
 *
 * @param central           central (training) data; a validation share is held out for early stopping
 * @param pool              local tiles the strategies select patches from (their masks play the clinician)
 * @param test              local tiles Dice is measured on; when it names the same set as {@code pool}, the set is
 *                          split by tile id ({@link #testFraction} to test) so no tile is both annotated and tested
 * @param budgets           patch counts to evaluate, e.g. 0, 5, 10 (nested per strategy and seed)
 * @param strategies        selection strategy names ({@code uga}, {@code random}, {@code diverse})
 * @param estimator         {@code mc-dropout}, {@code ensemble} or {@code tta}
 * @param estimatorSamples  MC passes / ensemble members / TTA views (0 = the estimator's default)
 * @param measure           uncertainty measure name ({@code paper-ce}, ...)
 * @param seeds             repetitions per strategy (selection seed and fine-tuning seed)
 * @param baseSeed          first seed; central member k trains with baseSeed + k
 * @param patchSize         side of a selected patch in pixels
 * @param testFraction      share of a shared pool/test set that becomes the test split
 * @param replayRatio       share of each fine-tuning batch drawn from central training data
 * @param unet              network shape
 * @param centralTraining   training from scratch on central data
 * @param fineTuning        fine-tuning on the revealed patches
 * @param out               output folder (results.json, report.html)
 * @param cacheDir          trained central models, keyed by a hash of data and config
 * @param reportTiles       pool tiles illustrated in the report
 */
public record ExperimentConfig(DatasetSpec central, DatasetSpec pool, DatasetSpec test, List<Integer> budgets,
                               List<String> strategies, String estimator, int estimatorSamples, String measure,
                               int seeds, long baseSeed, int patchSize, double testFraction, double replayRatio,
                               UNetConfig unet, TrainConfig centralTraining, TrainConfig fineTuning, Path out,
                               Path cacheDir, int reportTiles) {

    public ExperimentConfig {
        Objects.requireNonNull(central, "central data");
        Objects.requireNonNull(pool, "pool data");
        Objects.requireNonNull(test, "test data");
        Objects.requireNonNull(out, "out");
        budgets = List.copyOf(budgets);
        strategies = List.copyOf(strategies);
        if (budgets.isEmpty()) {
            throw new IllegalArgumentException("at least one patch budget is required (e.g. 0,5,10)");
        }
        for (int b : budgets) {
            if (b < 0) {
                throw new IllegalArgumentException("patch budgets must be >= 0, got " + b);
            }
        }
        if (strategies.isEmpty()) {
            throw new IllegalArgumentException("at least one strategy is required (e.g. uga,random)");
        }
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds must be >= 1, got " + seeds);
        }
        if (patchSize < 16) {
            throw new IllegalArgumentException("patch size must be >= 16, got " + patchSize);
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
        }
        if (!(replayRatio >= 0 && replayRatio < 1)) {
            throw new IllegalArgumentException("replay ratio must be in [0, 1), got " + replayRatio);
        }
        if (reportTiles < 0) {
            throw new IllegalArgumentException("report tiles must be >= 0, got " + reportTiles);
        }
        if (cacheDir == null) {
            cacheDir = out.toAbsolutePath().normalize().resolveSibling(".uga").resolve("model-cache");
        }
    }

    /** Defaults for a CPU run on 320x256 tiles: 96-pixel patches, MC dropout with paper-ce, 3 seeds. */
    public static ExperimentConfig defaults(DatasetSpec central, DatasetSpec pool, DatasetSpec test, Path out) {
        return new ExperimentConfig(central, pool, test, List.of(0, 5, 10), List.of("uga", "random"), "mc-dropout", 0,
                "paper-ce", 3, 1, 96, 0.5, 0.5, UNetConfig.forAvailableDevice(), TrainConfig.centralDefault(1),
                TrainConfig.fineTuneDefault(1), out, null, 3);
    }

    public int maxBudget() {
        return budgets.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** pool and test name the same data set (same folder and domain filter). */
    public boolean sharedPoolAndTest() {
        return pool.dir().toAbsolutePath().normalize().equals(test.dir().toAbsolutePath().normalize())
                && Objects.equals(pool.domain(), test.domain());
    }
}
