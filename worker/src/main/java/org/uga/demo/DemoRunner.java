package org.uga.demo;

import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import java.awt.Color;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.uga.client.AnnotationClient;
import org.uga.client.HistoryReplayer;
import org.uga.workflows.TaskQueues;
import org.uga.workflows.UgaCampaign;
import org.uga.workflows.model.AnnotatedPatch;
import org.uga.workflows.model.AnnotationPolicy;
import org.uga.workflows.model.CampaignResult;
import org.uga.workflows.model.CampaignSpec;
import org.uga.workflows.model.CampaignStatus;
import org.uga.workflows.model.DeadlineAction;
import org.uga.workflows.model.FineTuneConfig;
import org.uga.workflows.model.LocalData;
import org.uga.workflows.model.ModelSource;
import org.uga.workflows.model.Phase;
import org.uga.workflows.model.StopRules;
import org.uga.workflows.model.UncertaintyConfig;
import org.uga.store.ObjectKeys;
import org.uga.store.ObjectStore;

/**
 * The demo's storyline on a running platform (client + store + worker): upload data, launch a UGA campaign and
 * its random-sampling twin from the same starting model, let simulated clinicians answer, show progress, then
 * print the Dice table, write the report and the workflow histories, and replay them.
 */
public final class DemoRunner {

    /** Outcome for callers and tests. */
    public record Result(Path report, List<Path> histories, List<String[]> table, boolean replayPassed) {
    }

    private final WorkflowClient client;
    private final ObjectStore store;
    private final DemoReport.Predictor predictor;
    private final PrintStream out;

    public DemoRunner(WorkflowClient client, ObjectStore store, DemoReport.Predictor predictor, PrintStream out) {
        this.client = client;
        this.store = store;
        this.predictor = predictor;
        this.out = out;
    }

    public Result run(DemoOptions o) throws Exception {
        Instant t0 = Instant.now();
        DemoData tiles = o.data() == null
                ? DemoData.generated(o.centralTiles(), o.localTiles(), o.tileSize(), o.seed())
                : DemoData.fromFolder(o.data(), o.seed());
        DemoData data = o.slide()
                ? tiles.withSlide(DemoData.DemoSlide.generate(o.slideWidth(), o.slideHeight(), o.seed()))
                : tiles;
        out.println("data: " + data.source());
        out.printf(Locale.ROOT, "      %d central tiles train the starting model; %d local tiles%s form the pool, "
                + "%d are held out for Dice%n", data.centralTiles().size(), data.poolIds().size(),
                o.slide() ? " and the slide (windows of " + o.slideWindowing().windowSize() + " px)" : "",
                data.validationIds().size());
        data.upload(store);

        String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        List<String> annotators = new ArrayList<>();
        for (int i = 1; i <= o.annotators(); i++) {
            annotators.add("pathologist-" + i);
        }
        String ugaId = "demo-uga-" + run;
        String randomId = "demo-random-" + run;
        List<String> events = Collections.synchronizedList(new ArrayList<>());

        // The UGA campaign trains the starting model from central data (cached by content hash); the random twin
        // starts from that same checkpoint so the two differ only in how patches are chosen.
        start(spec(o, data, ugaId, "uga", annotators, ModelSource.trainOn(
                ObjectKeys.datasetPrefix(data.centralDatasetId()), data.centralIds(), o.initialEpochs())));
        out.println("campaign " + ugaId + " started (uncertainty-guided); training the starting model on central data…");
        String startModel = awaitStartingModel(ugaId);
        out.println("starting model " + startModel);
        start(spec(o, data, randomId, "random", annotators, ModelSource.checkpoint(startModel)));
        out.println("campaign " + randomId + " started (random sampling baseline)");

        AnnotationClient annotationClient = new AnnotationClient(client, store);
        AtomicBoolean missOnce = new AtomicBoolean(o.missDeadline());
        List<SimulatedAnnotator> people = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < annotators.size(); i++) {
            SimulatedAnnotator a = new SimulatedAnnotator(annotators.get(i), annotationClient, data,
                    List.of(ugaId, randomId), o.seed() * 31 + i, Duration.ofMillis(500), Duration.ofMillis(2500),
                    i == annotators.size() - 1 ? missOnce : new AtomicBoolean(false), msg -> {
                        events.add(msg);
                        out.println("  ! " + msg);
                    });
            people.add(a);
            Thread t = new Thread(a, "annotator-" + a.name());
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }

        ProgressView progress = new ProgressView(client, List.of(ugaId, randomId), o.cycles(), out, events, t0);
        List<CampaignStatus> finals;
        try {
            finals = progress.awaitAll(Duration.ofMinutes(o.tiny() ? 8 : 20));
        } finally {
            people.forEach(SimulatedAnnotator::stop);
            for (Thread t : threads) {
                t.join(2000);
            }
        }

        List<DemoReport.Arm> arms = List.of(
                new DemoReport.Arm("UGA", ugaId, finals.get(0), annotated(ugaId), new Color(0xD62728)),
                new DemoReport.Arm("random", randomId, finals.get(1), annotated(randomId), new Color(0x1F77B4)));
        List<String[]> table = DemoReport.table(arms);
        out.println();
        out.print(DemoReport.formatTable(table));
        out.println();

        Files.createDirectories(o.out());
        String settings = String.format(Locale.ROOT, "%s; %d cycles × %d patches of %d px; %d annotators; seed %d; "
                        + "uncertainty %s; run took %s", data.source(), o.cycles(), o.patches(), o.patchSize(),
                o.annotators(), o.seed(), describe(o.uncertainty()), human(Duration.between(t0, Instant.now())));
        Path report = new DemoReport(store, data, predictor).write(o.out(), arms, settings, events);
        out.println("report:   " + report);

        List<Path> histories = new ArrayList<>();
        boolean replayOk = true;
        for (String id : List.of(ugaId, randomId)) {
            WorkflowExecutionHistory history = client.fetchHistory(id);
            Path file = o.out().resolve("history-" + id + ".json");
            Files.writeString(file, history.toJson(true), StandardCharsets.UTF_8);
            histories.add(file);
            // Replay what was written, so the file itself is what an auditor can trust.
            var mismatch = HistoryReplayer.firstMismatch(
                    WorkflowExecutionHistory.fromJson(Files.readString(file, StandardCharsets.UTF_8)));
            if (mismatch.isEmpty()) {
                out.println("history:  " + file + " (" + history.getEvents().size() + " events) — replay passed");
            } else {
                replayOk = false;
                out.println("history:  " + file + " — REPLAY FAILED: " + mismatch.get());
            }
        }
        out.println("done in " + human(Duration.between(t0, Instant.now())));
        return new Result(report, histories, table, replayOk);
    }

    /** Every accepted annotation of a finished campaign, from its result. */
    private List<AnnotatedPatch> annotated(String campaignId) {
        CampaignResult result = client.newUntypedWorkflowStub(campaignId).getResult(CampaignResult.class);
        return result.annotations() == null ? List.of() : result.annotations();
    }

    private void start(CampaignSpec spec) {
        List<String> problems = spec.validate();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid campaign spec: " + String.join("; ", problems));
        }
        UgaCampaign stub = client.newWorkflowStub(UgaCampaign.class, WorkflowOptions.newBuilder()
                .setWorkflowId(spec.campaignId())
                .setTaskQueue(TaskQueues.WORKFLOWS)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
        WorkflowClient.start(stub::run, spec, null);
    }

    private String awaitStartingModel(String campaignId) throws InterruptedException {
        UgaCampaign stub = client.newWorkflowStub(UgaCampaign.class, campaignId);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(15));
        while (Instant.now().isBefore(deadline)) {
            CampaignStatus s = stub.status();
            if (s.currentModelKey() != null) {
                return s.currentModelKey();
            }
            if (s.phase() == Phase.FAILED || s.phase() == Phase.CANCELLED || s.phase() == Phase.COMPLETED) {
                throw new IllegalStateException("campaign " + campaignId + " ended before it had a model: "
                        + s.phase() + " " + s.lastError());
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no starting model after 15 minutes");
    }

    static CampaignSpec spec(DemoOptions o, DemoData data, String id, String strategy, List<String> annotators,
                             ModelSource model) {
        return new CampaignSpec(id, "UGA demo (" + strategy + ")", "demo-coordinator", model,
                new LocalData(ObjectKeys.datasetPrefix(data.localDatasetId()), data.poolEntries(), data.validationIds(),
                        o.slide() ? o.slideWindowing() : null),
                o.patches(), o.patchSize(), strategy, o.uncertainty(), o.cycles(), StopRules.none(),
                annotators, new AnnotationPolicy(o.annotationTimeout(), o.reminderEvery(), DeadlineAction.REASSIGN, 1),
                new FineTuneConfig(o.fineTuneEpochs(), 1.0, 1e-3, 8), 10, o.seed());
    }

    /** E.g. "MC dropout (8 passes), measure paper-ce" or "deep ensemble of 3 U-Nets, measure paper-ce". */
    static String describe(UncertaintyConfig u) {
        String how = switch (u.estimator()) {
            case "ensemble" -> "deep ensemble of " + u.passes() + " U-Nets";
            case "tta" -> "test-time augmentation (" + u.passes() + " views)";
            default -> "MC dropout (" + u.passes() + " passes)";
        };
        return how + ", measure " + u.measure();
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
