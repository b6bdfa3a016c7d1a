package org.uga.workflows.impl;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.uga.workflows.ActivityOptionsCatalog;
import org.uga.workflows.UgaCampaign;
import org.uga.workflows.UgaCycle;
import org.uga.workflows.activities.AnnotationActivities;
import org.uga.workflows.activities.InitialTrainingRequest;
import org.uga.workflows.activities.PatchDescriptor;
import org.uga.workflows.activities.ReminderNotice;
import org.uga.workflows.activities.ScoringActivities;
import org.uga.workflows.activities.ScoringRequest;
import org.uga.workflows.activities.ScoringResult;
import org.uga.workflows.activities.SelectionActivities;
import org.uga.workflows.activities.SelectionRequest;
import org.uga.workflows.activities.TrainedModel;
import org.uga.workflows.activities.TrainingActivities;
import org.uga.workflows.activities.ValidationActivities;
import org.uga.workflows.activities.ValidationRequest;
import org.uga.workflows.activities.ValidationResult;
import org.uga.workflows.model.AnnotatedPatch;
import org.uga.workflows.model.AnnotationPolicy;
import org.uga.workflows.model.AnnotationResult;
import org.uga.workflows.model.AnnotationSubmission;
import org.uga.workflows.model.CampaignResult;
import org.uga.workflows.model.CampaignSpec;
import org.uga.workflows.model.CampaignState;
import org.uga.workflows.model.CampaignStatus;
import org.uga.workflows.model.CycleInput;
import org.uga.workflows.model.CycleOutcome;
import org.uga.workflows.model.CycleSummary;
import org.uga.workflows.model.DeadlineAction;
import org.uga.workflows.model.ModelLineage;
import org.uga.workflows.model.PatchState;
import org.uga.workflows.model.PatchStatus;
import org.uga.workflows.model.Phase;
import org.uga.workflows.model.UncertaintyConfig;

/**
 * The campaign workflow. Design (documented in workflows/README.md):
 * <ul>
 *   <li>The campaign holds all human-facing state — patches, assignments, deadlines, reminders, submissions — so
 *       the update validator decides from local state and clients only need the campaign id.</li>
 *   <li>Per cycle: score (GPU activity) → select (CPU activity) → assign round-robin and wait on durable timers →
 *       child {@link UgaCycle} (fine-tune, validate, keep/reject) → stop rules → continue-as-new every
 *       {@code continueAsNewEvery} cycles.</li>
 *   <li>Pause and cancel act at step boundaries: a running activity or child finishes first. While paused the
 *       annotation clock stops (open deadlines and reminders move later by the paused time).</li>
 *   <li>A step whose retries are exhausted does not fail the campaign: it is recorded in {@code lastError}, the
 *       campaign pauses, and {@code resume} retries the step.</li>
 * </ul>
 * Versioning: change ids are listed in workflows/README.md; none exist yet (this is version 1 of the code).
 */
public class UgaCampaignImpl implements UgaCampaign {

    private static final Logger log = Workflow.getLogger(UgaCampaignImpl.class);
    private static final String SHA256_HEX = "[0-9a-f]{64}";

    private final ScoringActivities scoring = Workflow.newActivityStub(ScoringActivities.class, ActivityOptionsCatalog.scoring());
    private final SelectionActivities selection = Workflow.newActivityStub(SelectionActivities.class, ActivityOptionsCatalog.selection());
    private final AnnotationActivities annotation = Workflow.newActivityStub(AnnotationActivities.class, ActivityOptionsCatalog.annotation());
    private final TrainingActivities training = Workflow.newActivityStub(TrainingActivities.class, ActivityOptionsCatalog.training());
    private final ValidationActivities validation = Workflow.newActivityStub(ValidationActivities.class, ActivityOptionsCatalog.validation());

    private CampaignSpec spec;
    private Phase phase = Phase.INITIALIZING;
    /** True while {@code run} waits on this cycle's UgaCycle child (never across continue-as-new). */
    private boolean cycleChildRunning;
    private int cycle;
    /** Highest cycle whose annotation step is over (submissions for it or earlier are "closed"). */
    private int closedThrough;
    private boolean annotationOpen;
    private final List<MutablePatch> patches = new ArrayList<>();
    private final List<CycleSummary> cycles = new ArrayList<>();
    private final List<ModelLineage> lineage = new ArrayList<>();
    private final List<AnnotatedPatch> annotations = new ArrayList<>();
    private final Map<String, AnnotationResult> results = new LinkedHashMap<>();
    private String currentModelKey;
    private Double currentDice;
    private Double initialDice;
    private int totalSelected;
    private int assignmentCursor;
    private boolean paused;
    private String pauseReason;
    private boolean pausedByDeadline;
    private boolean cancelRequested;
    private String cancelReason;
    private String lastError;
    private String stopReason;
    private int runs;
    /** Bumped by every signal and update, so waits wake up and re-evaluate. */
    private int stateVersion;

    @Override
    public CampaignResult run(CampaignSpec spec, CampaignState carried) {
        if (spec == null) {
            phase = Phase.FAILED;
            throw ApplicationFailure.newNonRetryableFailure("campaign spec is required", "InvalidCampaignSpec");
        }
        this.spec = spec;
        // Clients start the campaign with workflow id = campaignId (UgaCampaigns.start does); the workflow does not
        // compare them itself because replay tools run histories under a different workflow id.
        List<String> problems = spec.validate();
        if (!problems.isEmpty()) {
            phase = Phase.FAILED;
            lastError = "invalid campaign spec: " + String.join("; ", problems);
            throw ApplicationFailure.newNonRetryableFailure(lastError, "InvalidCampaignSpec");
        }
        restore(carried);
        try {
            if (currentModelKey == null) {
                initializeModel();
            }
            int cyclesThisRun = 0;
            while (true) {
                if (cancelRequested) {
                    return finish(Phase.CANCELLED, "cancelled: " + cancelReason);
                }
                String stop = stopRuleHit();
                if (stop != null) {
                    return finish(Phase.COMPLETED, stop);
                }
                if (cyclesThisRun >= spec.continueAsNewEvery()) {
                    Workflow.await(Workflow::isEveryHandlerFinished);
                    log.info("campaign {}: continue-as-new after cycle {}", spec.campaignId(), cycle);
                    Workflow.continueAsNew(spec, snapshot());
                }
                runCycle(cycle + 1);
                cyclesThisRun++;
            }
        } catch (CancelledAtBoundary e) {
            return finish(Phase.CANCELLED, "cancelled: " + cancelReason);
        }
    }

    // ---------------------------------------------------------------- steps

    private void initializeModel() {
        if (spec.modelSource().initialModelKey() != null && !spec.modelSource().initialModelKey().isBlank()) {
            currentModelKey = spec.modelSource().initialModelKey();
        } else {
            TrainedModel trained = step(Phase.FINE_TUNING, () -> training.trainInitialModel(new InitialTrainingRequest(
                    spec.campaignId(), spec.modelSource().centralDatasetPrefix(), spec.modelSource().centralTileIds(),
                    spec.modelSource().initialEpochs(), spec.fineTune().learningRate(), spec.fineTune().batchSize(),
                    spec.seed(), initialMembers())));
            currentModelKey = trained.modelKey();
        }
        String key = currentModelKey;
        ValidationResult v = step(Phase.VALIDATING, () -> validation.validateModel(
                new ValidationRequest(spec.campaignId(), key, spec.localData().datasetPrefix(),
                        spec.localData().validationTileIds())));
        currentDice = v.dice();
        initialDice = v.dice();
        lineage.add(new ModelLineage(currentModelKey, null, 0, List.of(), null, v.dice(), true));
    }

    /**
     * Models the initial training trains: the ensemble's members for estimator {@code ensemble}, else one. Only an
     * activity argument (replay does not compare arguments), a pure function of the spec: no versioning needed.
     */
    private int initialMembers() {
        return UncertaintyConfig.ENSEMBLE.equals(spec.uncertainty().estimator()) ? spec.uncertainty().passes() : 1;
    }

    private void runCycle(int n) {
        cycle = n;
        patches.clear();
        Instant startedAt = now();
        String modelKey = currentModelKey;
        ScoringResult scored = step(Phase.SCORING, () -> scoring.scoreTiles(new ScoringRequest(spec.campaignId(), n,
                modelKey, spec.localData().datasetPrefix(), spec.localData().tileIds(), spec.uncertainty(),
                spec.seed() + n, spec.localData().slideWindowing())));
        int budget = spec.patchBudget();
        if (spec.stopRules().totalPatchBudget() > 0) {
            budget = Math.min(budget, spec.stopRules().totalPatchBudget() - totalSelected);
        }
        int cycleBudget = budget;
        List<AnnotatedPatch> done = List.copyOf(annotations);
        List<PatchDescriptor> picked = step(Phase.SELECTING, () -> selection.selectPatches(new SelectionRequest(
                spec.campaignId(), n, modelKey, spec.localData().datasetPrefix(), scored, spec.strategy(),
                cycleBudget, spec.patchSize(), done, spec.seed() + n)));
        totalSelected += picked.size();
        if (picked.isEmpty()) {
            closedThrough = n;
            stopReason = "no patches left to annotate";
            cycles.add(new CycleSummary(n, 0, 0, 0, 0, currentDice, null, null, currentModelKey, false,
                    "selection returned no patches", List.of(), startedAt, now()));
            return;
        }
        assign(picked);
        phase = Phase.ANNOTATING;
        annotationOpen = true;
        awaitAnnotations();
        annotationOpen = false;
        closedThrough = n;

        List<AnnotatedPatch> fresh = annotations.stream().filter(a -> a.cycle() == n).toList();
        List<String> freshIds = fresh.stream().map(AnnotatedPatch::annotationId).toList();
        int skipped = (int) patches.stream().filter(p -> p.state == PatchState.SKIPPED).count();
        int overdue = (int) patches.stream().filter(p -> p.state == PatchState.OVERDUE || p.state == PatchState.ASSIGNED).count();
        Double before = currentDice;
        if (cancelRequested) {
            cycles.add(new CycleSummary(n, picked.size(), fresh.size(), skipped, overdue, before, null, null,
                    currentModelKey, false, "cancelled during annotation; annotations kept, no fine-tuning",
                    freshIds, startedAt, now()));
            throw new CancelledAtBoundary();
        }
        if (fresh.isEmpty()) {
            // Nothing to learn from: the cycle is recorded and the campaign moves on (it counts as "no gain").
            cycles.add(new CycleSummary(n, picked.size(), 0, skipped, overdue, before, null, null, currentModelKey,
                    false, "no annotations received; fine-tuning skipped", List.of(), startedAt, now()));
            return;
        }
        CycleInput input = new CycleInput(spec.campaignId(), n, currentModelKey, before, List.copyOf(annotations),
                freshIds, spec.localData(), spec.modelSource(), spec.fineTune(), spec.seed() + n);
        CycleOutcome outcome;
        cycleChildRunning = true;
        try {
            outcome = step(Phase.FINE_TUNING, () -> Workflow.newChildWorkflowStub(UgaCycle.class,
                    ChildWorkflowOptions.newBuilder().setWorkflowId(UgaCycle.workflowId(spec.campaignId(), n)).build())
                    .run(input));
        } finally {
            cycleChildRunning = false;
        }
        if (outcome.accepted()) {
            currentModelKey = outcome.modelKey();
            currentDice = outcome.diceAfter();
        }
        if (outcome.lineage() != null) {
            lineage.add(outcome.lineage());
        }
        cycles.add(new CycleSummary(n, picked.size(), fresh.size(), skipped, overdue, before, outcome.diceAfter(),
                outcome.candidateModelKey(), currentModelKey, outcome.accepted(), outcome.note(), freshIds,
                startedAt, now()));
        log.info("campaign {} cycle {}: {} annotations, Dice {} -> {}, kept={}", spec.campaignId(), n, fresh.size(),
                before, outcome.diceAfter(), outcome.accepted());
    }

    /**
     * Runs one step at a boundary: waits while paused, stops on cancel, and turns an exhausted step into a pause
     * (with lastError) that {@code resume} retries.
     */
    private <T> T step(Phase stepPhase, Supplier<T> body) {
        while (true) {
            awaitNotPaused();
            if (cancelRequested) {
                throw new CancelledAtBoundary();
            }
            phase = stepPhase;
            try {
                return body.get();
            } catch (ActivityFailure | ChildWorkflowFailure e) {
                lastError = stepPhase + " of cycle " + cycle + " failed: " + rootMessage(e);
                paused = true;
                pauseReason = "step " + stepPhase + " failed; send resume to retry it";
                log.warn("campaign {}: {}", spec.campaignId(), lastError);
            }
        }
    }

    private void awaitNotPaused() {
        if (!paused) {
            return;
        }
        Phase before = phase;
        phase = Phase.PAUSED;
        Workflow.await(() -> !paused || cancelRequested);
        phase = before;
    }

    // ---------------------------------------------------------------- annotation step

    private void assign(List<PatchDescriptor> picked) {
        Instant now = now();
        AnnotationPolicy policy = spec.annotationPolicy();
        for (PatchDescriptor d : picked) {
            String annotator = spec.annotators().get(assignmentCursor % spec.annotators().size());
            assignmentCursor++;
            MutablePatch p = new MutablePatch(d, cycle);
            p.assignTo(annotator, now, policy);
            patches.add(p);
        }
    }

    private void awaitAnnotations() {
        while (true) {
            if (cancelRequested) {
                return;
            }
            if (paused) {
                Instant since = now();
                phase = Phase.PAUSED;
                Workflow.await(() -> !paused || cancelRequested || (pausedByDeadline && countOpen(true) == 0));
                if (paused && pausedByDeadline) {
                    paused = false;
                    pauseReason = null;
                }
                pausedByDeadline = false;
                phase = Phase.ANNOTATING;
                // The annotation clock stopped while paused.
                Duration pausedFor = Duration.between(since, now());
                for (MutablePatch p : patches) {
                    if (p.state == PatchState.ASSIGNED) {
                        p.shift(pausedFor);
                    }
                }
                continue;
            }
            if (countOpen(false) == 0) {
                return;
            }
            Instant next = null;
            for (MutablePatch p : patches) {
                if (p.state == PatchState.ASSIGNED) {
                    next = min(next, p.deadline);
                    next = min(next, p.nextReminderAt);
                }
            }
            Duration wait = Duration.between(now(), next);
            if (!wait.isNegative() && !wait.isZero()) {
                int seen = stateVersion;
                Workflow.await(wait, () -> stateVersion != seen);
            }
            sendDueReminders();
            handleDeadlines();
        }
    }

    /** Patches still waiting for their annotator; with {@code includeOverdue} also the overdue ones. */
    private int countOpen(boolean includeOverdue) {
        int n = 0;
        for (MutablePatch p : patches) {
            if (p.state == PatchState.ASSIGNED || (includeOverdue && p.state == PatchState.OVERDUE)) {
                n++;
            }
        }
        return n;
    }

    private void sendDueReminders() {
        if (!spec.annotationPolicy().remindersEnabled()) {
            return;
        }
        Instant now = now();
        Map<String, List<MutablePatch>> due = new TreeMap<>();
        for (MutablePatch p : patches) {
            if (p.state == PatchState.ASSIGNED && p.nextReminderAt != null && !p.nextReminderAt.isAfter(now)) {
                due.computeIfAbsent(p.assignedTo, k -> new ArrayList<>()).add(p);
            }
        }
        for (Map.Entry<String, List<MutablePatch>> e : due.entrySet()) {
            List<MutablePatch> ps = e.getValue();
            int number = 0;
            Instant deadline = null;
            Instant scheduled = null;
            for (MutablePatch p : ps) {
                scheduled = min(scheduled, p.nextReminderAt);
                p.remindersSent++;
                number = Math.max(number, p.remindersSent);
                deadline = min(deadline, p.deadline);
                p.scheduleNextReminder(spec.annotationPolicy());
            }
            ReminderNotice notice = new ReminderNotice(spec.campaignId(), cycle, e.getKey(),
                    ps.stream().map(p -> p.descriptor.patchId()).toList(), deadline, number, scheduled, now);
            try {
                annotation.sendReminder(notice);
            } catch (ActivityFailure f) {
                // A lost reminder must not stop the campaign; it is visible in the status.
                lastError = "reminder to " + e.getKey() + " failed: " + rootMessage(f);
            }
        }
    }

    private void handleDeadlines() {
        Instant now = now();
        AnnotationPolicy policy = spec.annotationPolicy();
        int newlyOverdue = 0;
        for (MutablePatch p : patches) {
            if (p.state != PatchState.ASSIGNED || p.deadline.isAfter(now)) {
                continue;
            }
            if (policy.deadlineAction() == DeadlineAction.REASSIGN && p.reassignments < policy.maxReassignments()
                    && spec.annotators().size() > 1) {
                int idx = spec.annotators().indexOf(p.assignedTo);
                String next = spec.annotators().get((idx + 1) % spec.annotators().size());
                p.previousAssignees.add(p.assignedTo);
                p.reassignments++;
                p.assignTo(next, now, policy);
                log.info("campaign {}: patch {} overdue, reassigned to {}", spec.campaignId(), p.descriptor.patchId(), next);
            } else {
                p.state = PatchState.OVERDUE;
                newlyOverdue++;
            }
        }
        if (newlyOverdue > 0 && policy.deadlineAction() == DeadlineAction.PAUSE) {
            paused = true;
            pausedByDeadline = true;
            pauseReason = newlyOverdue + " patch(es) of cycle " + cycle
                    + " passed their deadline; resume to proceed with what was received, or extendDeadline/reassignPatch";
        }
    }

    // ---------------------------------------------------------------- update, signals, query

    @Override
    public void validateSubmitAnnotation(AnnotationSubmission s) {
        String problem = problemWith(s);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Null when the submission may be accepted (or is a repeat of an accepted one). */
    private String problemWith(AnnotationSubmission s) {
        if (s == null) {
            return "submission is required";
        }
        if (s.annotationId() == null || s.annotationId().isBlank()) {
            return "annotationId is required";
        }
        AnnotationResult prior = results.get(s.annotationId());
        if (prior != null) {
            if (prior.patchId().equals(s.patchId()) && prior.cycle() == s.cycle()) {
                return null; // idempotent repeat: the handler returns the first result
            }
            return "annotationId " + s.annotationId() + " was already used for patch " + prior.patchId()
                    + " of cycle " + prior.cycle();
        }
        if (spec == null) {
            return "campaign is not started yet";
        }
        if (!spec.campaignId().equals(s.campaignId())) {
            return "submission is for campaign " + s.campaignId() + ", this is campaign " + spec.campaignId();
        }
        if (s.cycle() <= closedThrough) {
            return "cycle " + s.cycle() + " is closed; the campaign is in cycle " + cycle + " (" + phase + ")";
        }
        if (s.cycle() != cycle || !annotationOpen) {
            return "cycle " + s.cycle() + " is not accepting annotations; the campaign is in cycle " + cycle
                    + " (" + phase + ")";
        }
        MutablePatch p = findPatch(s.patchId());
        if (p == null) {
            return "unknown patch " + s.patchId() + " in cycle " + cycle;
        }
        if (p.state == PatchState.SUBMITTED) {
            return "patch " + p.descriptor.patchId() + " already has annotation " + p.annotationId;
        }
        if (p.state == PatchState.SKIPPED) {
            return "patch " + p.descriptor.patchId() + " was skipped: " + p.skipReason;
        }
        if (s.annotator() == null || !s.annotator().equals(p.assignedTo)) {
            return "patch " + p.descriptor.patchId() + " is assigned to " + p.assignedTo + ", not " + s.annotator();
        }
        if (s.maskKey() == null || s.maskKey().isBlank()) {
            return "maskKey is required (write the mask to the object store first)";
        }
        if (s.maskSha256() == null || !s.maskSha256().matches(SHA256_HEX)) {
            return "maskSha256 must be 64 lower-case hex characters, got " + s.maskSha256();
        }
        if (s.width() != p.descriptor.w() || s.height() != p.descriptor.h()) {
            return "mask is " + s.width() + "x" + s.height() + " but patch " + p.descriptor.patchId() + " is "
                    + p.descriptor.w() + "x" + p.descriptor.h();
        }
        return null;
    }

    @Override
    public AnnotationResult submitAnnotation(AnnotationSubmission s) {
        AnnotationResult prior = results.get(s.annotationId());
        if (prior != null) {
            return prior;
        }
        MutablePatch p = findPatch(s.patchId());
        p.state = PatchState.SUBMITTED;
        p.annotationId = s.annotationId();
        p.maskKey = s.maskKey();
        PatchDescriptor d = p.descriptor;
        annotations.add(new AnnotatedPatch(s.annotationId(), cycle, d.patchId(), d.imageId(), d.x(), d.y(), d.w(), d.h(),
                s.maskKey(), s.maskSha256(), s.annotator()));
        AnnotationResult result = new AnnotationResult(s.annotationId(), AnnotationResult.Status.ACCEPTED, cycle,
                d.patchId(), acceptedMessage(d.patchId(), cycle));
        results.put(s.annotationId(), result);
        stateVersion++;
        return result;
    }

    @Override
    public void pause() {
        if (isFinal()) {
            return;
        }
        paused = true;
        pausedByDeadline = false;
        pauseReason = "paused by coordinator";
        stateVersion++;
    }

    @Override
    public void resume() {
        paused = false;
        pausedByDeadline = false;
        pauseReason = null;
        stateVersion++;
    }

    @Override
    public void cancel(String reason) {
        if (isFinal()) {
            return;
        }
        cancelRequested = true;
        cancelReason = reason == null || reason.isBlank() ? "no reason given" : reason;
        stateVersion++;
    }

    @Override
    public void extendDeadline(Duration by) {
        if (by == null || by.isZero() || by.isNegative()) {
            lastError = "extendDeadline ignored: the extension must be a positive duration, got " + by;
            return;
        }
        if (!annotationOpen) {
            lastError = "extendDeadline ignored: cycle " + cycle + " has no open annotation step (" + phase + ")";
            return;
        }
        Instant now = now();
        for (MutablePatch p : patches) {
            if (p.state == PatchState.ASSIGNED) {
                p.deadline = p.deadline.plus(by);
                p.scheduleNextReminder(spec.annotationPolicy());
            } else if (p.state == PatchState.OVERDUE) {
                p.state = PatchState.ASSIGNED;
                p.deadline = now.plus(by);
                p.scheduleNextReminder(spec.annotationPolicy());
            }
        }
        if (pausedByDeadline) {
            // Extending is the coordinator's answer to a deadline pause.
            paused = false;
            pausedByDeadline = false;
            pauseReason = null;
        }
        stateVersion++;
    }

    @Override
    public void reassignPatch(String patchId, String annotator) {
        MutablePatch p = openPatch("reassignPatch", patchId);
        if (p == null) {
            return;
        }
        if (annotator == null || annotator.isBlank()) {
            lastError = "reassignPatch ignored: annotator is required";
            return;
        }
        if (!annotator.equals(p.assignedTo)) {
            p.previousAssignees.add(p.assignedTo);
        }
        p.assignTo(annotator, now(), spec.annotationPolicy());
        stateVersion++;
    }

    @Override
    public void cycleStepStarted(int childCycle, Phase step) {
        // Only the open cycle's child moves the phase, and only forward from FINE_TUNING to VALIDATING.
        if (cycleChildRunning && childCycle == cycle && phase == Phase.FINE_TUNING && step == Phase.VALIDATING) {
            phase = Phase.VALIDATING;
        }
    }

    @Override
    public void skipPatch(String patchId, String reason) {
        MutablePatch p = openPatch("skipPatch", patchId);
        if (p == null) {
            return;
        }
        p.state = PatchState.SKIPPED;
        p.skipReason = reason == null || reason.isBlank() ? "no reason given" : reason;
        stateVersion++;
    }

    private MutablePatch openPatch(String signal, String patchId) {
        if (!annotationOpen) {
            lastError = signal + " ignored: cycle " + cycle + " has no open annotation step (" + phase + ")";
            return null;
        }
        MutablePatch p = findPatch(patchId);
        if (p == null) {
            lastError = signal + " ignored: unknown patch " + patchId + " in cycle " + cycle;
            return null;
        }
        if (p.state != PatchState.ASSIGNED && p.state != PatchState.OVERDUE) {
            lastError = signal + " ignored: patch " + patchId + " is " + p.state;
            return null;
        }
        return p;
    }

    @Override
    public CampaignStatus status() {
        Instant deadline = null;
        for (MutablePatch p : patches) {
            if (p.state == PatchState.ASSIGNED) {
                deadline = deadline == null || p.deadline.isAfter(deadline) ? p.deadline : deadline;
            }
        }
        return new CampaignStatus(spec == null ? null : spec.campaignId(), spec == null ? null : spec.title(), phase,
                cycle, patches.stream().map(MutablePatch::toStatus).toList(), cycles, currentModelKey, currentDice,
                deadline, paused, pauseReason, cancelRequested, lastError, totalSelected, annotations.size(),
                stopReason, lineage);
    }

    // ---------------------------------------------------------------- state

    private String stopRuleHit() {
        if (stopReason != null) {
            return stopReason;
        }
        if (cycles.size() >= spec.maxCycles()) {
            return "reached maxCycles=" + spec.maxCycles();
        }
        double target = spec.stopRules().targetDice();
        if (target > 0 && currentDice != null && currentDice >= target) {
            return "target Dice " + target + " reached (" + currentDice + ")";
        }
        int noGain = spec.stopRules().noGainCycles();
        if (noGain > 0 && cycles.size() >= noGain
                && cycles.subList(cycles.size() - noGain, cycles.size()).stream().noneMatch(CycleSummary::accepted)) {
            return "no Dice gain for " + noGain + " cycle(s)";
        }
        int total = spec.stopRules().totalPatchBudget();
        if (total > 0 && totalSelected >= total) {
            return "total patch budget of " + total + " used";
        }
        return null;
    }

    private CampaignResult finish(Phase finalPhase, String reason) {
        phase = finalPhase;
        stopReason = reason;
        annotationOpen = false;
        Workflow.await(Workflow::isEveryHandlerFinished);
        log.info("campaign {} {}: {}", spec.campaignId(), finalPhase, reason);
        return new CampaignResult(spec.campaignId(), finalPhase, reason, cycles.size(), currentModelKey, currentDice,
                initialDice, List.copyOf(cycles), List.copyOf(lineage), List.copyOf(annotations));
    }

    private CampaignState snapshot() {
        return new CampaignState(cycles.size(), currentModelKey, currentDice, initialDice, cycles, lineage, annotations,
                totalSelected, assignmentCursor, paused, pauseReason, cancelRequested, cancelReason, lastError, runs);
    }

    private void restore(CampaignState s) {
        runs = s == null ? 1 : s.runs() + 1;
        if (s == null) {
            return;
        }
        currentModelKey = s.currentModelKey();
        currentDice = s.currentDice();
        initialDice = s.initialDice();
        cycles.addAll(s.cycles());
        lineage.addAll(s.lineage());
        annotations.addAll(s.annotations());
        for (AnnotatedPatch a : s.annotations()) {
            results.put(a.annotationId(), new AnnotationResult(a.annotationId(), AnnotationResult.Status.ACCEPTED,
                    a.cycle(), a.patchId(), acceptedMessage(a.patchId(), a.cycle())));
        }
        cycle = s.cyclesCompleted();
        closedThrough = s.cyclesCompleted();
        totalSelected = s.totalPatchesSelected();
        assignmentCursor = s.assignmentCursor();
        paused = s.paused();
        pauseReason = s.pauseReason();
        cancelRequested = s.cancelRequested();
        cancelReason = s.cancelReason();
        lastError = s.lastError();
    }

    /** Must be a pure function of (patch, cycle): results are rebuilt from carried annotations after continue-as-new. */
    private static String acceptedMessage(String patchId, int cycle) {
        return "accepted for patch " + patchId + " of cycle " + cycle;
    }

    private boolean isFinal() {
        return phase == Phase.COMPLETED || phase == Phase.CANCELLED || phase == Phase.FAILED;
    }

    private MutablePatch findPatch(String patchId) {
        for (MutablePatch p : patches) {
            if (p.descriptor.patchId().equals(patchId)) {
                return p;
            }
        }
        return null;
    }

    private static Instant now() {
        return Instant.ofEpochMilli(Workflow.currentTimeMillis());
    }

    private static Instant min(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isBefore(b) ? a : b;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t instanceof TemporalFailure && !(t instanceof ApplicationFailure)) {
            t = t.getCause();
        }
        if (t instanceof ApplicationFailure af) {
            return af.getOriginalMessage() + " (" + af.getType() + ")";
        }
        return t.getMessage();
    }

    /** Thrown inside the workflow thread to unwind to {@link #run} when a cancel is seen at a step boundary. */
    private static final class CancelledAtBoundary extends RuntimeException {
        CancelledAtBoundary() {
            super(null, null, false, false);
        }
    }

    /** Workflow-local mutable patch state; {@link #toStatus()} is its public view. */
    private static final class MutablePatch {
        final PatchDescriptor descriptor;
        final int cycle;
        String assignedTo;
        PatchState state;
        Instant assignedAt;
        Instant deadline;
        Instant nextReminderAt;
        int remindersSent;
        int reassignments;
        String annotationId;
        String maskKey;
        String skipReason;
        final List<String> previousAssignees = new ArrayList<>();

        MutablePatch(PatchDescriptor descriptor, int cycle) {
            this.descriptor = descriptor;
            this.cycle = cycle;
        }

        void assignTo(String annotator, Instant now, AnnotationPolicy policy) {
            assignedTo = annotator;
            state = PatchState.ASSIGNED;
            assignedAt = now;
            deadline = now.plus(policy.annotationTimeout());
            remindersSent = 0;
            scheduleNextReminder(policy);
        }

        /** Reminders fall at assignedAt + k * interval, strictly before the deadline. */
        void scheduleNextReminder(AnnotationPolicy policy) {
            nextReminderAt = null;
            if (!policy.remindersEnabled()) {
                return;
            }
            Instant next = assignedAt.plus(policy.reminderInterval().multipliedBy(remindersSent + 1L));
            if (next.isBefore(deadline)) {
                nextReminderAt = next;
            }
        }

        void shift(Duration by) {
            assignedAt = assignedAt.plus(by);
            deadline = deadline.plus(by);
            if (nextReminderAt != null) {
                nextReminderAt = nextReminderAt.plus(by);
            }
        }

        PatchStatus toStatus() {
            PatchDescriptor d = descriptor;
            return new PatchStatus(d.patchId(), cycle, d.imageId(), d.x(), d.y(), d.w(), d.h(), d.score(), d.imageKey(),
                    d.predictionKey(), d.uncertaintyKey(), assignedTo, state, annotationId, maskKey, deadline,
                    remindersSent, nextReminderAt, skipReason, previousAssignees);
        }
    }
}
