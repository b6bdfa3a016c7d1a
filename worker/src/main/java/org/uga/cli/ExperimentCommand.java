package org.uga.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.uga.ml.data.DatasetSpec;
import org.uga.ml.experiment.ExperimentConfig;
import org.uga.ml.experiment.ExperimentResult;
import org.uga.ml.experiment.ExperimentRunner;
import org.uga.ml.model.UNetConfig;
import org.uga.ml.train.TrainConfig;

/** {@code uga experiment}: the paper's simulated comparison of selection strategies (see docs/EXPERIMENTS.md). */
public final class ExperimentCommand implements Command {

    @Override
    public String summary() {
        return "simulated annotation experiment: Dice vs annotated patches for uga vs random selection";
    }

    @Override
    public String usage() {
        return """
                Usage: uga experiment --central DIR[:domain] --pool DIR[:domain] --test DIR[:domain] --out DIR [options]

                Trains (or loads from the cache) central model(s), scores the pool's uncertainty, and for each
                strategy x seed x budget selects patches, reveals their ground-truth masks (the simulated clinician),
                fine-tunes and measures Dice on the test tiles. Writes OUT/results.json and OUT/report.html.
                When --pool and --test name the same set it is split by tile id (--test-fraction to test).

                Options:
                  --patches 0,5,10           patch budgets (nested: 5 is a prefix of 10)       [0,5,10]
                  --strategies uga,random    selection strategies (uga, random, diverse)       [uga,random]
                  --estimator NAME           mc-dropout | ensemble | tta                       [mc-dropout]
                  --samples N                MC passes / ensemble members / TTA views (0=default) [0]
                  --measure NAME             paper-ce | entropy | bald | variance              [paper-ce]
                  --seeds N                  repetitions per strategy                          [3]
                  --seed N                   base seed                                         [1]
                  --patch-size N             side of a selected patch in pixels                [96]
                  --test-fraction F          share of a shared pool/test set used for testing  [0.5]
                  --replay-ratio F           share of fine-tuning batches from central data    [0.5]
                  --base-channels N --depth N --dropout F    U-Net shape  [16, 3, 0.2 on CPU; 32, 4 on GPU]
                  --central-epochs N --central-steps N       central training (epochs x steps)   [24 x 10]
                  --ft-epochs N --ft-steps N                 fine-tuning (epochs x steps)        [8 x 6]
                  --batch N --crop N                         batch size and training crop side  [8, 96]
                  --cache DIR                trained central models     [OUT/../.uga/model-cache]
                  --report-tiles N           pool tiles illustrated in report.html             [3]
                """;
    }

    @Override
    public int run(Args args) throws Exception {
        DatasetSpec central = spec(args, "central");
        DatasetSpec pool = spec(args, "pool");
        DatasetSpec test = spec(args, "test");
        Path out = Path.of(args.require("out"));
        List<Integer> budgets = new ArrayList<>();
        for (String b : args.list("patches", "0,5,10")) {
            try {
                budgets.add(Integer.parseInt(b));
            } catch (NumberFormatException e) {
                throw new Args.UsageException("--patches expects comma-separated integers, got '" + b + "'");
            }
        }
        List<String> strategies = args.list("strategies", "uga,random");
        long seed = args.getLong("seed", 1);
        UNetConfig defaults = UNetConfig.forAvailableDevice();
        TrainConfig centralDefaults = TrainConfig.centralDefault(seed);
        TrainConfig ftDefaults = TrainConfig.fineTuneDefault(seed);
        int batch = args.getInt("batch", centralDefaults.batchSize());
        int crop = args.getInt("crop", centralDefaults.cropSize());
        ExperimentConfig cfg;
        try {
            UNetConfig unet = new UNetConfig(args.getInt("base-channels", defaults.baseChannels()),
                    args.getInt("depth", defaults.depth()), (float) args.getDouble("dropout", defaults.dropout()));
            TrainConfig centralTraining = new TrainConfig(args.getInt("central-epochs", centralDefaults.epochs()),
                    args.getInt("central-steps", centralDefaults.stepsPerEpoch()), batch, crop,
                    centralDefaults.learningRate(), centralDefaults.patience(), centralDefaults.validationFraction(),
                    centralDefaults.diceWeight(), centralDefaults.augment(), seed);
            TrainConfig fineTuning = new TrainConfig(args.getInt("ft-epochs", ftDefaults.epochs()),
                    args.getInt("ft-steps", ftDefaults.stepsPerEpoch()), batch, crop, ftDefaults.learningRate(),
                    ftDefaults.patience(), ftDefaults.validationFraction(), ftDefaults.diceWeight(),
                    ftDefaults.augment(), seed);
            String cache = args.get("cache", null);
            cfg = new ExperimentConfig(central, pool, test, budgets, strategies, args.get("estimator", "mc-dropout"),
                    args.getInt("samples", 0), args.get("measure", "paper-ce"), args.getInt("seeds", 3), seed,
                    args.getInt("patch-size", 96), args.getDouble("test-fraction", 0.5),
                    args.getDouble("replay-ratio", 0.5), unet, centralTraining, fineTuning, out,
                    cache == null ? null : Path.of(cache), args.getInt("report-tiles", 3));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        args.rejectUnknown();
        long t0 = System.nanoTime();
        ExperimentResult result = new ExperimentRunner(cfg, line -> {
            System.out.println(line);
            System.out.flush();
        }).run();
        System.out.printf(Locale.ROOT, "done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return result.runs().isEmpty() ? 1 : 0;
    }

    private static DatasetSpec spec(Args args, String name) {
        try {
            return DatasetSpec.parse(args.require(name));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("--" + name + ": " + e.getMessage());
        }
    }
}
