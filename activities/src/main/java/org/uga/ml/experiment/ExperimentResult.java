package org.uga.ml.experiment;

import java.util.List;
import java.util.Map;

/**
 * What {@link ExperimentRunner} measured; serialised as results.json.
 *
 * @param runs     one entry per (strategy, seed, budget): test Dice of the fine-tuned model
 * @param summary  mean and sample standard deviation over seeds per (strategy, budget)
 * @param phases   wall-clock seconds per phase
 */
public record ExperimentResult(Setup setup, List<Run> runs, List<Summary> summary, Map<String, Double> phases,
                               double totalSeconds) {

    /** The data split and settings the numbers belong to. */
    public record Setup(String central, String pool, String test, String splitRule, int centralTrainTiles,
                        int centralValidationTiles, int poolTiles, int testTiles, List<String> testTileIds,
                        List<Integer> budgets, List<String> strategies, String estimator, int estimatorModels,
                        String measure, int seeds, long baseSeed, int patchSize, double replayRatio, String unet,
                        String centralTraining, String fineTuning, List<CentralModel> centralModels) {
    }

    /** A central model and whether it came from the cache. */
    public record CentralModel(int member, long seed, String cacheKey, boolean cached, int bestEpoch,
                               double validationDice) {
    }

    /** One fine-tuning run (budget 0 = the central model itself). */
    public record Run(String strategy, int seed, int budget, double testDice, List<String> patches, int epochsRun,
                      int bestEpoch, double seconds) {
    }

    public record Summary(String strategy, int budget, int n, double meanDice, double sdDice) {
    }

    public Summary summary(String strategy, int budget) {
        for (Summary s : summary) {
            if (s.strategy().equals(strategy) && s.budget() == budget) {
                return s;
            }
        }
        throw new IllegalArgumentException("no result for strategy " + strategy + " at " + budget + " patches");
    }
}
