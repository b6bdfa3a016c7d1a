package org.uga.ml.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uga.ml.data.Dataset;
import org.uga.ml.data.HeGenerator;
import org.uga.ml.data.Tile;
import org.uga.ml.model.SegmentationModel;
import org.uga.ml.model.UNetConfig;

class TrainerTest {

    private static final UNetConfig SMALL = new UNetConfig(16, 2, 0.1f);

    private static List<Tile> generated(String domain, int n, long seed) {
        Dataset d = HeGenerator.generateCentralAndLocal(domain.equals("central") ? n : 0,
                domain.equals("local") ? n : 0, 64, 64, seed);
        return d.byDomain(domain).tiles();
    }

    /** One central model shared by the training and fine-tuning tests (training dominates the suite's time). */
    private static TrainResult central;
    private static List<Tile> centralTiles;

    @BeforeAll
    static void trainCentral() {
        centralTiles = generated("central", 12, 3);
        TrainConfig cfg = new TrainConfig(6, 6, 8, 48, 3e-3f, 6, 0.25, 1f, true, 5);
        central = new Trainer(cfg).device(Device.cpu()).listener(EPOCHS::add).train(SMALL, centralTiles);
    }

    private static final List<EpochProgress> EPOCHS = new ArrayList<>();

    @AfterAll
    static void closeCentral() {
        central.model().close();
    }

    @Test
    void trainingLowersTheLossAndSegmentsGeneratedNuclei() {
        TrainResult r = central;
        assertEquals(r.epochsRun(), EPOCHS.size(), "one progress report per epoch");
        double first = r.history().get(0).loss();
        double last = r.lastLoss();
        System.out.printf("central training: loss %.4f -> %.4f, best validation Dice %.4f at epoch %d%n", first, last,
                r.bestValDice(), r.bestEpoch());
        assertTrue(last < first * 0.8, "loss should drop by >20%: first " + first + ", last " + last);
        assertTrue(r.bestValDice() > 0.6, "validation Dice after training: " + r.bestValDice());
        Splits.Split split = Splits.byId(centralTiles, 0.25, "uga-val");
        assertEquals(r.bestValDice(), Trainer.meanDice(r.model(), split.heldOut()), 1e-9,
                "the returned model is the best validation epoch");
    }

    @Test
    void fineTuningOnShiftedDomainPatchesImprovesLocalDice() {
        List<Tile> local = generated("local", 10, 22);
        Splits.Split localSplit = Splits.byId(local, 0.5, "t");
        SegmentationModel base = central.model();
        double before = Trainer.meanDice(base, localSplit.heldOut());
        List<Tile> patches = new ArrayList<>();
        for (Tile t : localSplit.rest()) {
            patches.add(t.crop(0, 0, 48, 48));
            patches.add(t.crop(16, 16, 48, 48));
        }
        TrainConfig ftCfg = new TrainConfig(4, 6, 8, 48, 1e-3f, 4, 0.0, 1f, true, 2);
        TrainResult r = new Trainer(ftCfg).device(Device.cpu()).fineTune(base, patches, centralTiles, 0.25, List.of());
        try (SegmentationModel tuned = r.model()) {
            double after = Trainer.meanDice(tuned, localSplit.heldOut());
            System.out.printf("fine-tuning on the shifted domain: local Dice %.4f -> %.4f%n", before, after);
            assertTrue(after > before + 0.01, "fine-tuning should improve local Dice: before " + before
                    + ", after " + after);
            assertEquals(before, Trainer.meanDice(base, localSplit.heldOut()), 0, "the start model must be untouched");
        }
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndResumeContinuesTheRun() {
        List<Tile> tiles = generated("central", 4, 9);
        TrainConfig cfg = new TrainConfig(2, 2, 4, 32, 1e-3f, 5, 0.0, 1f, true, 11);
        AtomicReference<byte[]> afterEpoch1 = new AtomicReference<>();
        byte[] a;
        try (SegmentationModel m = new Trainer(cfg).device(Device.cpu()).listener(p -> {
            if (p.epoch() == 1) {
                afterEpoch1.set(p.model().toBytes());
            }
        }).train(SMALL, tiles, List.of()).model()) {
            a = m.toBytes();
        }
        try (SegmentationModel m = new Trainer(cfg).device(Device.cpu()).train(SMALL, tiles, List.of()).model()) {
            assertArrayEquals(a, m.toBytes(), "same seed and data must give the same weights");
        }
        TrainResult resumed = new Trainer(cfg).device(Device.cpu()).resumeFrom(new Resume(afterEpoch1.get(), 1))
                .train(SMALL, tiles, List.of());
        try (SegmentationModel m = resumed.model()) {
            assertEquals(1, resumed.startEpoch());
            assertEquals(1, resumed.epochsRun());
            assertEquals(2, resumed.history().get(0).epoch());
        }
    }

    @Test
    void rejectsBadInput() {
        Tile unlabeled = generated("central", 1, 1).get(0).withMask(null);
        Trainer t = new Trainer(new TrainConfig(1, 1, 1, 32, 1e-3f, 1, 0, 1f, false, 1)).device(Device.cpu());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.train(SMALL, List.of(unlabeled), List.of()));
        assertTrue(e.getMessage().contains("has no mask"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig(0, 1, 1, 32, 1e-3f, 1, 0, 1f, false, 1));
        assertThrows(IllegalArgumentException.class, () -> new UNetConfig(8, 3, 0.1f));
    }

    @Test
    void splitsAreExactAndIndependentOfInputOrder() {
        List<Tile> tiles = generated("central", 9, 4);
        Splits.Split a = Splits.byId(tiles, 1.0 / 3, "s");
        List<Tile> reversed = new ArrayList<>(tiles);
        java.util.Collections.reverse(reversed);
        Splits.Split b = Splits.byId(reversed, 1.0 / 3, "s");
        assertEquals(3, a.heldOut().size());
        assertEquals(6, a.rest().size());
        assertEquals(a.heldOut().stream().map(Tile::id).sorted().toList(), b.heldOut().stream().map(Tile::id).sorted().toList());
    }
}
