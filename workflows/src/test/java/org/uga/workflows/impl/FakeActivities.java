package org.uga.workflows.impl;

import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.uga.workflows.ActivityOptionsCatalog;
import org.uga.workflows.activities.AnnotationActivities;
import org.uga.workflows.activities.FineTuneRequest;
import org.uga.workflows.activities.InitialTrainingRequest;
import org.uga.workflows.activities.MaskCheck;
import org.uga.workflows.activities.MaskCheckRequest;
import org.uga.workflows.activities.PatchDescriptor;
import org.uga.workflows.activities.ReminderNotice;
import org.uga.workflows.activities.ScoringActivities;
import org.uga.workflows.activities.ScoringRequest;
import org.uga.workflows.activities.ScoringResult;
import org.uga.workflows.activities.SelectionActivities;
import org.uga.workflows.activities.SelectionRequest;
import org.uga.workflows.activities.TileScore;
import org.uga.workflows.activities.TrainedModel;
import org.uga.workflows.activities.TrainingActivities;
import org.uga.workflows.activities.ValidationActivities;
import org.uga.workflows.activities.ValidationRequest;
import org.uga.workflows.activities.ValidationResult;
import org.uga.workflows.model.AnnotatedPatch;

/**
 * In-memory activities for workflow-logic tests: deterministic plausible values, and a record of every call so
 * tests can assert what the workflow asked for and when. The real implementations live in module activities.
 */
public class FakeActivities implements ScoringActivities, SelectionActivities, AnnotationActivities,
        TrainingActivities, ValidationActivities {

    static final int TILE = 64;

    final List<ScoringRequest> scoringCalls = new CopyOnWriteArrayList<>();
    final List<SelectionRequest> selectionCalls = new CopyOnWriteArrayList<>();
    final List<ReminderNotice> reminders = new CopyOnWriteArrayList<>();
    final List<FineTuneRequest> fineTuneCalls = new CopyOnWriteArrayList<>();
    final List<InitialTrainingRequest> initialCalls = new CopyOnWriteArrayList<>();
    final List<ValidationRequest> validationCalls = new CopyOnWriteArrayList<>();
    /** Dice of each model key; fine-tuning sets the child's to parent + the next configured gain. */
    final Map<String, Double> diceByModel = new ConcurrentHashMap<>();
    /** Gains applied by successive fineTune calls (default +0.05 once exhausted). */
    final List<Double> gains = Collections.synchronizedList(new ArrayList<>());
    /** When set, validateModel waits for it to open (lets a test look at the campaign during validation). */
    volatile java.util.concurrent.CountDownLatch validationGate;
    /** Number of upcoming scoreTiles calls that fail with a non-retryable error. */
    final AtomicInteger scoringFailures = new AtomicInteger();

    FakeActivities() {
        diceByModel.put("models/initial", 0.50);
    }

    @Override
    public ScoringResult scoreTiles(ScoringRequest r) {
        scoringCalls.add(r);
        if (scoringFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw ApplicationFailure.newNonRetryableFailure("scoring backend unavailable (injected)", ActivityOptionsCatalog.INVALID_INPUT);
        }
        String prefix = "campaigns/" + r.campaignId() + "/cycles/" + r.cycle() + "/maps/";
        List<TileScore> tiles = new ArrayList<>();
        for (String t : r.tileIds()) {
            double u = (Math.abs((t + r.cycle()).hashCode()) % 1000) / 1000.0;
            tiles.add(new TileScore(t, prefix + t + ".bin", TILE, TILE, u, u * 2));
        }
        return new ScoringResult(prefix, r.modelKey(), tiles);
    }

    /** Two candidate patches per tile (left and right half); best uncertainty first; skips annotated regions. */
    @Override
    public List<PatchDescriptor> selectPatches(SelectionRequest r) {
        selectionCalls.add(r);
        Set<String> taken = new HashSet<>();
        for (AnnotatedPatch a : r.alreadyAnnotated()) {
            taken.add(a.imageId() + "@" + a.x());
        }
        List<TileScore> ranked = new ArrayList<>(r.scoring().tiles());
        ranked.sort((a, b) -> Double.compare(b.meanUncertainty(), a.meanUncertainty()));
        List<PatchDescriptor> out = new ArrayList<>();
        int size = r.patchSize();
        for (TileScore t : ranked) {
            for (int x = 0; x + size <= TILE && out.size() < r.budget(); x += size) {
                if (taken.contains(t.tileId() + "@" + x)) {
                    continue;
                }
                String id = "c" + r.cycle() + "-" + t.tileId() + "_x" + x + "_y0_" + size + "x" + size;
                String base = "campaigns/" + r.campaignId() + "/cycles/" + r.cycle() + "/patches/" + id;
                out.add(new PatchDescriptor(id, t.tileId(), x, 0, size, size, t.meanUncertainty(), base + "/image.png",
                        base + "/prediction.png", base + "/uncertainty.png"));
            }
        }
        return out;
    }

    @Override
    public MaskCheck verifyMask(MaskCheckRequest r) {
        return new MaskCheck(r.maskKey(), true, r.expectedSha256(), r.expectedWidth(), r.expectedHeight(), 0, List.of());
    }

    @Override
    public String sendReminder(ReminderNotice notice) {
        reminders.add(notice);
        return "notifications/" + notice.campaignId() + "/" + notice.cycle() + "/" + notice.annotator() + "-" + notice.reminderNumber();
    }

    @Override
    public TrainedModel fineTune(FineTuneRequest r) {
        fineTuneCalls.add(r);
        String key = "models/ft-" + r.cycle() + "-" + Integer.toHexString((r.parentModelKey() + r.newAnnotationIds()).hashCode());
        double gain = gains.isEmpty() ? 0.05 : gains.remove(0);
        diceByModel.put(key, diceByModel.getOrDefault(r.parentModelKey(), 0.5) + gain);
        return new TrainedModel(key, r.parentModelKey(), key + ".lineage.json", r.config().epochs(), 0.1, r.annotations().size());
    }

    @Override
    public TrainedModel trainInitialModel(InitialTrainingRequest r) {
        initialCalls.add(r);
        String key = "models/central-" + r.epochs();
        diceByModel.put(key, 0.40);
        return new TrainedModel(key, null, key + ".lineage.json", r.epochs(), 0.3, 10);
    }

    @Override
    public ValidationResult validateModel(ValidationRequest r) {
        validationCalls.add(r);
        java.util.concurrent.CountDownLatch gate = validationGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while held at the validation gate", e);
            }
        }
        Double d = diceByModel.get(r.modelKey());
        if (d == null) {
            throw ApplicationFailure.newNonRetryableFailure("unknown model " + r.modelKey(), ActivityOptionsCatalog.INVALID_INPUT);
        }
        return new ValidationResult(r.modelKey(), d, Map.of());
    }
}
