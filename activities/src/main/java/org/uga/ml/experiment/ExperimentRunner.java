package org.uga.ml.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.uga.ml.data.Dataset;
import org.uga.ml.data.Tile;
import org.uga.ml.model.ModelSet;
import org.uga.ml.model.SegmentationModel;
import org.uga.ml.select.PatchRegion;
import org.uga.ml.select.ScoredPatch;
import org.uga.ml.select.SelectionParams;
import org.uga.ml.select.SelectionStrategies;
import org.uga.ml.select.SelectionStrategy;
import org.uga.ml.train.Splits;
import org.uga.ml.train.TrainConfig;
import org.uga.ml.train.TrainResult;
import org.uga.ml.train.Trainer;
import org.uga.ml.uncertainty.Scoring;
import org.uga.ml.uncertainty.UncertaintyEstimator;
import org.uga.ml.uncertainty.UncertaintyEstimators;
import org.uga.ml.uncertainty.UncertaintyMap;
import org.uga.ml.uncertainty.UncertaintyMeasure;
import org.uga.ml.uncertainty.UncertaintyMeasures;

/**
 * Runs the paper's protocol: train (or load cached) central model(s); score the local pool with the uncertainty
 * estimator; for each strategy x seed select the largest budget of patches once (smaller budgets are its prefix);
 * reveal the patches' ground-truth masks (the simulated clinician); fine-tune the primary central model on them
 * (mixed with replayed central crops); measure Dice on the held-out test tiles. Writes results.json and a
 * self-contained report.html to the output folder. The same inputs and config give the same numbers.
 */
public final class ExperimentRunner {

    static final String TEST_SPLIT_SALT = "uga-test";
    static final String VALIDATION_SPLIT_SALT = "uga-val";

    private final ExperimentConfig cfg;
    private final Consumer<String> progress;

    public ExperimentRunner(ExperimentConfig cfg, Consumer<String> progress) {
        this.cfg = cfg;
        this.progress = progress == null ? s -> { } : progress;
    }

    public ExperimentResult run() throws IOException {
        long start = System.nanoTime();
        Map<String, Double> phases = new LinkedHashMap<>();
        long t = System.nanoTime();

        // Fail fast on names before any training.
        UncertaintyEstimator estimator = UncertaintyEstimators.byName(cfg.estimator(), cfg.estimatorSamples(), cfg.baseSeed());
        UncertaintyMeasure measure = UncertaintyMeasures.byName(cfg.measure());
        List<SelectionStrategy> strategies = new ArrayList<>();
        for (String name : cfg.strategies()) {
            strategies.add(SelectionStrategies.byName(name));
        }

        // ---- data
        List<Tile> central = withMasks(cfg.central().read(), "central");
        List<Tile> pool;
        List<Tile> test;
        String splitRule;
        if (cfg.sharedPoolAndTest()) {
            List<Tile> local = withMasks(cfg.pool().read(), "pool/test");
            Splits.Split split = Splits.byId(local, cfg.testFraction(), TEST_SPLIT_SALT);
            pool = split.rest();
            test = split.heldOut();
            splitRule = String.format(Locale.ROOT, "pool and test are one set (%s): tiles sorted by SHA-256(\"%s|\" + id); "
                    + "the first round(%d x %.2f) = %d are test, the other %d are the pool", cfg.pool(), TEST_SPLIT_SALT,
                    local.size(), cfg.testFraction(), test.size(), pool.size());
        } else {
            pool = withMasks(cfg.pool().read(), "pool");
            test = withMasks(cfg.test().read(), "test");
            Set<String> poolIds = new HashSet<>();
            pool.forEach(p -> poolIds.add(p.id()));
            for (Tile tt : test) {
                if (poolIds.contains(tt.id())) {
                    throw new IllegalArgumentException("tile " + tt.id() + " is in both the pool (" + cfg.pool()
                            + ") and the test set (" + cfg.test() + "); pass the same set to both to split it");
                }
            }
            splitRule = "separate pool (" + cfg.pool() + ") and test (" + cfg.test() + ") sets";
        }
        if (pool.isEmpty() || test.isEmpty()) {
            throw new IllegalArgumentException("empty " + (pool.isEmpty() ? "pool" : "test") + " set after splitting");
        }
        Splits.Split centralSplit = Splits.byId(central, cfg.centralTraining().validationFraction(), VALIDATION_SPLIT_SALT);
        List<Tile> centralTrain = centralSplit.rest();
        List<Tile> centralVal = centralSplit.heldOut();
        progress.accept(String.format(Locale.ROOT, "data: central %d train + %d validation, pool %d, test %d (%s)",
                centralTrain.size(), centralVal.size(), pool.size(), test.size(), splitRule));
        phases.put("data", seconds(t));

        // ---- central model(s)
        t = System.nanoTime();
        List<ExperimentResult.CentralModel> centralInfo = new ArrayList<>();
        List<SegmentationModel> members = new ArrayList<>();
        try {
            for (int k = 0; k < estimator.requiredModels(); k++) {
                members.add(centralMember(k, centralTrain, centralVal, centralInfo));
            }
        } catch (RuntimeException | IOException e) {
            members.forEach(SegmentationModel::close);
            throw e;
        }
        phases.put("central-training", seconds(t));

        try (ModelSet models = new ModelSet(members)) {
            SegmentationModel primary = models.primary();

            // ---- uncertainty maps of the pool (masks stripped: strategies must not see them)
            t = System.nanoTime();
            List<Tile> poolUnlabeled = new ArrayList<>();
            Map<String, Tile> poolById = new HashMap<>();
            for (Tile p : pool) {
                poolUnlabeled.add(p.withMask(null));
                poolById.put(p.id(), p);
            }
            Map<String, UncertaintyMap> maps = new LinkedHashMap<>();
            for (int i = 0; i < poolUnlabeled.size(); i++) {
                Tile p = poolUnlabeled.get(i);
                maps.put(p.id(), Scoring.score(models, estimator, measure, p));
                if ((i + 1) % 10 == 0 || i + 1 == poolUnlabeled.size()) {
                    progress.accept(String.format(Locale.ROOT, "uncertainty maps: %d/%d pool tiles (%s, %s)",
                            i + 1, poolUnlabeled.size(), estimator.name(), measure.name()));
                }
            }
            phases.put("uncertainty-maps", seconds(t));

            // ---- baseline: the central model on the test tiles
            t = System.nanoTime();
            double baseline = Trainer.meanDice(primary, test);
            progress.accept(String.format(Locale.ROOT, "central model test Dice %.4f", baseline));
            phases.put("baseline-eval", seconds(t));

            // ---- strategies x seeds x budgets
            t = System.nanoTime();
            List<ExperimentResult.Run> runs = new ArrayList<>();
            Map<String, List<PatchRegion>> firstSeedSelections = new LinkedHashMap<>();
            List<Integer> budgets = cfg.budgets().stream().distinct().sorted().toList();
            double fineTuneSeconds = 0;
            for (SelectionStrategy strategy : strategies) {
                for (int s = 0; s < cfg.seeds(); s++) {
                    long selectionSeed = cfg.baseSeed() * 1_000_003L + s;
                    SelectionParams params = new SelectionParams(cfg.maxBudget(), cfg.patchSize(),
                            Math.max(1, cfg.patchSize() / 2), 0.8, selectionSeed);
                    List<ScoredPatch> selected = strategy.select(poolUnlabeled, maps, params);
                    if (selected.size() < cfg.maxBudget()) {
                        progress.accept("warning: " + strategy.name() + " found only " + selected.size()
                                + " patches for a budget of " + cfg.maxBudget());
                    }
                    List<PatchRegion> regions = selected.stream().map(ScoredPatch::region).toList();
                    if (s == 0) {
                        firstSeedSelections.put(strategy.name(), regions);
                    }
                    for (int budget : budgets) {
                        if (budget == 0) {
                            runs.add(new ExperimentResult.Run(strategy.name(), s, 0, baseline, List.of(), 0, 0, 0));
                            continue;
                        }
                        List<PatchRegion> chosen = regions.subList(0, Math.min(budget, regions.size()));
                        List<Tile> annotated = reveal(chosen, poolById);
                        long ft0 = System.nanoTime();
                        TrainConfig ftCfg = cfg.fineTuning().withSeed(fineTuneSeed(s, budget));
                        TrainResult r = new Trainer(ftCfg).fineTune(primary, annotated, centralTrain, cfg.replayRatio());
                        double dice;
                        try (SegmentationModel tuned = r.model()) {
                            dice = Trainer.meanDice(tuned, test);
                        }
                        double sec = seconds(ft0);
                        fineTuneSeconds += sec;
                        runs.add(new ExperimentResult.Run(strategy.name(), s, budget, dice,
                                chosen.stream().map(PatchRegion::key).toList(), r.epochsRun(), r.bestEpoch(), sec));
                        progress.accept(String.format(Locale.ROOT, "%-8s seed %d  %3d patches  test Dice %.4f  "
                                        + "(%d epochs, best %d, %.0f s)", strategy.name(), s, budget, dice,
                                r.epochsRun(), r.bestEpoch(), sec));
                    }
                }
            }
            phases.put("fine-tuning+eval", seconds(t));

            List<ExperimentResult.Summary> summary = summarise(runs, cfg.strategies(), budgets);
            ExperimentResult.Setup setup = new ExperimentResult.Setup(cfg.central().toString(), cfg.pool().toString(),
                    cfg.test().toString(), splitRule, centralTrain.size(), centralVal.size(), pool.size(), test.size(),
                    test.stream().map(Tile::id).sorted().toList(), budgets, cfg.strategies(), estimator.name(),
                    estimator.requiredModels(), measure.name(), cfg.seeds(), cfg.baseSeed(), cfg.patchSize(),
                    cfg.replayRatio(), cfg.unet().toString(), cfg.centralTraining().toString(),
                    cfg.fineTuning().toString(), centralInfo);

            // ---- outputs
            t = System.nanoTime();
            Files.createDirectories(cfg.out());
            phases.put("report", 0.0);
            ExperimentResult result = new ExperimentResult(setup, runs, summary, phases, seconds(start));
            progress.accept(table(result));
            List<Tile> illustrated = ExperimentReport.pickTiles(pool, firstSeedSelections, cfg.reportTiles());
            Map<String, float[]> predictions = new LinkedHashMap<>();
            for (Tile it : illustrated) {
                predictions.put(it.id(), primary.predict(it));
            }
            phases.put("report", seconds(t));
            result = new ExperimentResult(setup, runs, summary, phases, seconds(start));
            writeJson(result, cfg.out().resolve("results.json"));
            ExperimentReport.write(result, illustrated, predictions, maps, firstSeedSelections,
                    cfg.out().resolve("report.html"));
            progress.accept("wrote " + cfg.out().resolve("results.json") + " and " + cfg.out().resolve("report.html")
                    + String.format(Locale.ROOT, " (total %.0f s; fine-tuning %.0f s)", seconds(start), fineTuneSeconds));
            return result;
        }
    }

    /** Loads central member k from the cache or trains and caches it. */
    private SegmentationModel centralMember(int k, List<Tile> train, List<Tile> val,
                                            List<ExperimentResult.CentralModel> info) throws IOException {
        long seed = cfg.baseSeed() + k;
        TrainConfig tc = cfg.centralTraining().withSeed(seed);
        String key = cacheKey(tc, train, val);
        Path file = cfg.cacheDir().resolve(key + ".unet");
        if (Files.isRegularFile(file)) {
            SegmentationModel m = SegmentationModel.fromBytes(Files.readAllBytes(file));
            double valDice = Trainer.meanDice(m, val);
            progress.accept(String.format(Locale.ROOT, "central model %d: cached %s (validation Dice %.4f)", k, file, valDice));
            info.add(new ExperimentResult.CentralModel(k, seed, key, true, -1, valDice));
            return m;
        }
        progress.accept(String.format(Locale.ROOT, "central model %d: training %s on %d tiles (seed %d)", k, cfg.unet(),
                train.size(), seed));
        TrainResult r = new Trainer(tc).listener(p -> progress.accept(String.format(Locale.ROOT,
                "  central %d epoch %2d/%d  loss %.4f  val Dice %.4f  (%.1f s)", k, p.epoch(), p.maxEpochs(), p.loss(),
                p.valDice(), p.millis() / 1000.0))).train(cfg.unet(), train, val);
        Files.createDirectories(cfg.cacheDir());
        Path tmp = Files.createTempFile(cfg.cacheDir(), key, ".tmp");
        Files.write(tmp, r.model().toBytes());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        progress.accept(String.format(Locale.ROOT, "central model %d: best epoch %d, validation Dice %.4f, cached as %s",
                k, r.bestEpoch(), r.bestValDice(), file));
        info.add(new ExperimentResult.CentralModel(k, seed, key, false, r.bestEpoch(), r.bestValDice()));
        return r.model();
    }

    /** The clinician's answer: each patch cropped from its pool tile together with the ground-truth mask. */
    static List<Tile> reveal(List<PatchRegion> regions, Map<String, Tile> poolById) {
        List<Tile> out = new ArrayList<>(regions.size());
        for (PatchRegion r : regions) {
            Tile src = poolById.get(r.imageId());
            if (src == null) {
                throw new IllegalStateException("selected patch " + r.key() + " is not from a pool tile");
            }
            int w = Math.min(r.width(), src.width() - r.x());
            int h = Math.min(r.height(), src.height() - r.y());
            out.add(src.crop(r.x(), r.y(), w, h));
        }
        return out;
    }

    /** The same fine-tuning seed for every strategy at a (seed, budget): strategies are compared pairwise. */
    private long fineTuneSeed(int s, int budget) {
        return cfg.baseSeed() * 7_919L + s * 104_729L + budget;
    }

    /** Hash of everything the central model depends on: pixels, masks, split, network and training config. */
    String cacheKey(TrainConfig tc, List<Tile> train, List<Tile> val) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(("uga-central-v1|" + cfg.unet() + "|" + tc).getBytes(StandardCharsets.UTF_8));
            for (List<Tile> part : List.of(train, val)) {
                md.update((byte) '#');
                List<Tile> sorted = new ArrayList<>(part);
                sorted.sort(Comparator.comparing(Tile::id));
                for (Tile tile : sorted) {
                    md.update((tile.id() + "|" + tile.width() + "x" + tile.height()).getBytes(StandardCharsets.UTF_8));
                    ByteBuffer buf = ByteBuffer.allocate(tile.rgb().length * 4);
                    buf.asFloatBuffer().put(tile.rgb());
                    md.update(buf.array());
                    md.update(tile.mask());
                }
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    static List<ExperimentResult.Summary> summarise(List<ExperimentResult.Run> runs, List<String> strategies,
                                                    List<Integer> budgets) {
        List<ExperimentResult.Summary> out = new ArrayList<>();
        for (String s : strategies) {
            for (int b : budgets) {
                List<Double> v = runs.stream().filter(r -> r.strategy().equals(s) && r.budget() == b)
                        .map(ExperimentResult.Run::testDice).toList();
                double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
                double sd = v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0;
                out.add(new ExperimentResult.Summary(s, b, v.size(), mean, sd));
            }
        }
        return out;
    }

    /** Budget x strategy table of mean +- sd test Dice. */
    public static String table(ExperimentResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n%-8s", "patches"));
        for (String s : r.setup().strategies()) {
            sb.append(String.format(Locale.ROOT, "  %-17s", s));
        }
        sb.append(String.format(Locale.ROOT, "   (test Dice, mean ± sd over %d seeds)%n", r.setup().seeds()));
        for (int b : r.setup().budgets()) {
            sb.append(String.format(Locale.ROOT, "%-8d", b));
            for (String s : r.setup().strategies()) {
                ExperimentResult.Summary x = r.summary(s, b);
                sb.append(String.format(Locale.ROOT, "  %.4f ± %.4f   ", x.meanDice(), x.sdDice()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static void writeJson(ExperimentResult result, Path file) throws IOException {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(file, om.writeValueAsString(result));
    }

    private static List<Tile> withMasks(Dataset ds, String what) {
        if (ds.isEmpty()) {
            throw new IllegalArgumentException(what + " data set " + ds.name() + " has no tiles");
        }
        for (Tile t : ds.tiles()) {
            if (!t.hasMask()) {
                throw new IllegalArgumentException(what + " tile " + t.id() + " has no ground-truth mask; "
                        + "the experiment needs masks to train, to play the clinician and to measure Dice");
            }
        }
        return ds.tiles();
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e7) / 100.0;
    }
}
