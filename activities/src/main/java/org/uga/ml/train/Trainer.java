package org.uga.ml.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uga.ml.data.Tile;
import org.uga.ml.eval.Metrics;
import org.uga.ml.model.Devices;
import org.uga.ml.model.Dihedral;
import org.uga.ml.model.SegmentationModel;
import org.uga.ml.model.UNetConfig;

/**
 * Trains U-Nets on tiles with masks: random square crops (optionally flipped/turned), loss BCE + soft Dice, Adam,
 * early stopping on validation Dice, restoring the best epoch. Deterministic for a seed on one device: every
 * epoch re-seeds the engine RNG and the crop sampler from (seed, epoch), which also makes resumed runs sample what
 * an uninterrupted run would have.
 *
 * <p>Three entry points: {@link #train} (from scratch), {@link #fineTune} (continue from a model on newly
 * annotated patches mixed with replayed central data), {@link #retrain} (from scratch on central + annotated).
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    /** Validation Dice must improve by more than this to count (avoids noise-level "improvements"). */
    private static final double MIN_IMPROVEMENT = 1e-4;

    private final TrainConfig config;
    private TrainListener listener = TrainListener.NONE;
    private Resume resume;
    private Device device;

    public Trainer(TrainConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public Trainer listener(TrainListener l) {
        this.listener = l == null ? TrainListener.NONE : l;
        return this;
    }

    /** Continue from a checkpoint taken after {@code resume.completedEpochs()} epochs of this same run. */
    public Trainer resumeFrom(Resume r) {
        this.resume = r;
        return this;
    }

    public Trainer device(Device d) {
        this.device = d;
        return this;
    }

    private Device device() {
        return device != null ? device : Devices.preferred();
    }

    // ------------------------------------------------------------------ entry points

    /** From scratch; holds out {@code validationFraction} of the tiles (by id hash) for early stopping. */
    public TrainResult train(UNetConfig unet, List<Tile> tiles) {
        Splits.Split split = Splits.byId(requireMasks(tiles, "training"), config.validationFraction(), "uga-val");
        return train(unet, split.rest(), split.heldOut());
    }

    /** From scratch with an explicit validation set (may be empty: then all epochs run and the last one is kept). */
    public TrainResult train(UNetConfig unet, List<Tile> trainTiles, List<Tile> validation) {
        requireMasks(trainTiles, "training");
        requireMasks(validation, "validation");
        SegmentationModel model = startModel(() -> SegmentationModel.create(unet, device(), config.seed()));
        return run(model, List.of(new Source(trainTiles, 1.0)), validation);
    }

    /**
     * Fine-tunes a copy of {@code start} (which is left untouched) on annotated patches; a share {@code replayRatio}
     * of every batch is drawn from {@code replay} (central data) against forgetting. Holds out
     * {@code validationFraction} of the annotated patches for early stopping when there are at least 3 of them;
     * with fewer, all epochs run and the last state is kept.
     */
    public TrainResult fineTune(SegmentationModel start, List<Tile> annotated, List<Tile> replay, double replayRatio) {
        requireMasks(annotated, "annotated");
        List<Tile> train = annotated;
        List<Tile> validation = List.of();
        if (annotated.size() >= 3 && config.validationFraction() > 0) {
            int k = Math.max(1, (int) Math.round(annotated.size() * config.validationFraction()));
            Splits.Split split = Splits.byIdCount(annotated, k, "uga-ft-val");
            train = split.rest();
            validation = split.heldOut();
        }
        return fineTune(start, train, replay, replayRatio, validation);
    }

    /** {@link #fineTune(SegmentationModel, List, List, double)} with an explicit validation set. */
    public TrainResult fineTune(SegmentationModel start, List<Tile> annotated, List<Tile> replay, double replayRatio,
                                List<Tile> validation) {
        Objects.requireNonNull(start, "start model");
        requireMasks(annotated, "annotated");
        requireMasks(replay, "replay");
        requireMasks(validation, "validation");
        if (annotated.isEmpty()) {
            throw new IllegalArgumentException("fine-tuning needs at least one annotated patch");
        }
        if (!(replayRatio >= 0 && replayRatio < 1)) {
            throw new IllegalArgumentException("replayRatio must be in [0, 1), got " + replayRatio);
        }
        if (replayRatio > 0 && replay.isEmpty()) {
            throw new IllegalArgumentException("replayRatio is " + replayRatio + " but no replay tiles were given");
        }
        List<Source> sources = new ArrayList<>();
        sources.add(new Source(annotated, 1 - replayRatio));
        if (replayRatio > 0) {
            sources.add(new Source(replay, replayRatio));
        }
        SegmentationModel model = startModel(start::copy);
        return run(model, sources, validation);
    }

    /**
     * From scratch on central + annotated tiles together (the paper code's "retrain" option); validation is held
     * out from the central tiles.
     */
    public TrainResult retrain(UNetConfig unet, List<Tile> central, List<Tile> annotated) {
        Splits.Split split = Splits.byId(requireMasks(central, "central"), config.validationFraction(), "uga-val");
        List<Tile> all = new ArrayList<>(split.rest());
        all.addAll(requireMasks(annotated, "annotated"));
        return train(unet, all, split.heldOut());
    }

    /** Static shorthand for {@code new Trainer(config).fineTune(model, annotated, replay, ratio)}. */
    public static TrainResult fineTune(SegmentationModel model, List<Tile> annotated, List<Tile> replay, double ratio,
                                       TrainConfig config) {
        return new Trainer(config).fineTune(model, annotated, replay, ratio);
    }

    // ------------------------------------------------------------------ metrics

    /** Mean over tiles of the Dice of (probability >= 0.5) against the mask; a tile empty in both counts as 1. */
    public static double meanDice(SegmentationModel model, List<Tile> tiles) {
        if (tiles.isEmpty()) {
            return Double.NaN;
        }
        List<float[]> probs = model.predict(tiles);
        double sum = 0;
        for (int i = 0; i < tiles.size(); i++) {
            sum += dice(probs.get(i), tiles.get(i).mask());
        }
        return sum / tiles.size();
    }

    public static double dice(float[] prob, byte[] mask) {
        return Metrics.dice(prob, mask);
    }

    // ------------------------------------------------------------------ the loop

    /** One data source of a batch and its share of the crops. */
    private record Source(List<Tile> tiles, double share) {
    }

    private SegmentationModel startModel(java.util.function.Supplier<SegmentationModel> fresh) {
        if (resume == null) {
            return fresh.get();
        }
        return SegmentationModel.fromBytes(resume.checkpoint(), device());
    }

    private TrainResult run(SegmentationModel model, List<Source> sources, List<Tile> validation) {
        int m = model.config().sizeMultiple();
        int crop = effectiveCrop(sources, m);
        int startEpoch = resume == null ? 0 : resume.completedEpochs();
        List<EpochStats> history = new ArrayList<>();
        boolean hasVal = !validation.isEmpty();
        double best = Double.NEGATIVE_INFINITY;
        int bestEpoch = startEpoch;
        byte[] bestState = null;
        if (hasVal && startEpoch > 0) {
            best = meanDice(model, validation);
            bestState = model.toBytes();
        }
        int sinceBest = 0;
        boolean stopped = false;
        DefaultTrainingConfig djl = new DefaultTrainingConfig(new BceDiceLoss(config.diceWeight()))
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(config.learningRate())).build())
                .optDevices(new Device[] {model.device()});
        try (ai.djl.training.Trainer trainer = model.djlModel().newTrainer(djl)) {
            for (int epoch = startEpoch + 1; epoch <= config.epochs(); epoch++) {
                long t0 = System.nanoTime();
                long epochSeed = mix(config.seed(), epoch);
                Engine.getInstance().setRandomSeed((int) (epochSeed ^ (epochSeed >>> 32)));
                Random rng = new Random(epochSeed);
                double lossSum = 0;
                for (int step = 0; step < config.stepsPerEpoch(); step++) {
                    lossSum += step(trainer, sources, crop, rng);
                }
                double loss = lossSum / config.stepsPerEpoch();
                double valDice = hasVal ? meanDice(model, validation) : Double.NaN;
                if (!hasVal || valDice > best + MIN_IMPROVEMENT) {
                    best = hasVal ? valDice : Double.NaN;
                    bestEpoch = epoch;
                    bestState = hasVal ? model.toBytes() : null;
                    sinceBest = 0;
                } else {
                    sinceBest++;
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                history.add(new EpochStats(epoch, loss, valDice, ms));
                LOG.debug("epoch {}/{} loss {} val Dice {} ({} ms)", epoch, config.epochs(), loss, valDice, ms);
                listener.onEpoch(new EpochProgress(epoch, config.epochs(), loss, valDice, best, bestEpoch, ms, model));
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("training diverged at epoch " + epoch + " (loss " + loss
                            + "); lower the learning rate (" + config.learningRate() + ")");
                }
                if (hasVal && sinceBest >= config.patience()) {
                    stopped = true;
                    break;
                }
            }
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        int lastEpoch = history.isEmpty() ? startEpoch : history.get(history.size() - 1).epoch();
        if (bestState != null && bestEpoch != lastEpoch) {
            SegmentationModel restored = SegmentationModel.fromBytes(bestState, model.device());
            model.close();
            model = restored;
        }
        return new TrainResult(model, startEpoch, history.size(), bestEpoch, hasVal ? best : Double.NaN, stopped, history);
    }

    private float step(ai.djl.training.Trainer trainer, List<Source> sources, int crop, Random rng) {
        int b = config.batchSize();
        float[] x = new float[b * 3 * crop * crop];
        float[] y = new float[b * crop * crop];
        int slot = 0;
        for (int s = 0; s < sources.size(); s++) {
            Source src = sources.get(s);
            int count = s == sources.size() - 1 ? b - slot : (int) Math.round(b * src.share());
            for (int k = 0; k < count && slot < b; k++, slot++) {
                Tile t = src.tiles().get(rng.nextInt(src.tiles().size()));
                Tile c = randomCrop(t, crop, rng);
                if (config.augment()) {
                    c = Dihedral.apply(c, rng.nextInt(Dihedral.COUNT));
                }
                System.arraycopy(c.rgb(), 0, x, slot * 3 * crop * crop, 3 * crop * crop);
                byte[] mk = c.mask();
                int off = slot * crop * crop;
                for (int i = 0; i < mk.length; i++) {
                    y[off + i] = mk[i];
                }
            }
        }
        try (NDManager sm = trainer.getManager().newSubManager()) {
            NDArray xs = sm.create(x, new Shape(b, 3, crop, crop));
            NDArray ys = sm.create(y, new Shape(b, 1, crop, crop));
            float loss;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList pred = trainer.forward(new NDList(xs), new NDList(ys));
                NDArray l = trainer.getLoss().evaluate(new NDList(ys), pred);
                gc.backward(l);
                loss = l.getFloat();
            }
            trainer.step();
            return loss;
        }
    }

    private static Tile randomCrop(Tile t, int crop, Random rng) {
        int x = t.width() == crop ? 0 : rng.nextInt(t.width() - crop + 1);
        int y = t.height() == crop ? 0 : rng.nextInt(t.height() - crop + 1);
        return t.crop(x, y, crop, crop);
    }

    /** The configured crop side, reduced to the smallest training tile and rounded down to the network's multiple. */
    private int effectiveCrop(List<Source> sources, int multiple) {
        int crop = config.cropSize();
        for (Source s : sources) {
            if (s.tiles().isEmpty()) {
                throw new IllegalArgumentException("no training tiles");
            }
            for (Tile t : s.tiles()) {
                crop = Math.min(crop, Math.min(t.width(), t.height()));
            }
        }
        crop = crop / multiple * multiple;
        if (crop < multiple) {
            throw new IllegalArgumentException("training tiles are smaller than the network's size multiple " + multiple);
        }
        return crop;
    }

    private static List<Tile> requireMasks(List<Tile> tiles, String what) {
        Objects.requireNonNull(tiles, what + " tiles");
        for (Tile t : tiles) {
            if (!t.hasMask()) {
                throw new IllegalArgumentException(what + " tile " + t.id() + " has no mask");
            }
        }
        return tiles;
    }

    /** SplitMix64 of (seed, epoch): independent streams per epoch. */
    static long mix(long seed, long epoch) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
