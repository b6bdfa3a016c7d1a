package org.uga.workflows.impl;

import static org.junit.jupiter.api.Assertions.fail;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.uga.workflows.TaskQueues;
import org.uga.workflows.UgaCampaign;
import org.uga.workflows.model.AnnotationPolicy;
import org.uga.workflows.model.AnnotationResult;
import org.uga.workflows.model.AnnotationSubmission;
import org.uga.workflows.model.CampaignResult;
import org.uga.workflows.model.CampaignSpec;
import org.uga.workflows.model.CampaignStatus;
import org.uga.workflows.model.DeadlineAction;
import org.uga.workflows.model.FineTuneConfig;
import org.uga.workflows.model.LocalData;
import org.uga.workflows.model.ModelSource;
import org.uga.workflows.model.PatchStatus;
import org.uga.workflows.model.StopRules;
import org.uga.workflows.model.UncertaintyConfig;

/** Time-skipping Temporal environment with the workflows and {@link FakeActivities} on both task queues. */
abstract class CampaignTestSupport {

    static final List<String> POOL = List.of("t1", "t2", "t3", "t4");
    static final List<String> VALIDATION = List.of("v1", "v2");

    TestWorkflowEnvironment env;
    WorkflowClient client;
    FakeActivities acts;

    @BeforeEach
    void startEnvironment() {
        env = TestWorkflowEnvironment.newInstance();
        acts = new FakeActivities();
        Worker cpu = env.newWorker(TaskQueues.CPU);
        cpu.registerWorkflowImplementationTypes(UgaCampaignImpl.class, UgaCycleImpl.class);
        cpu.registerActivitiesImplementations(acts);
        Worker gpu = env.newWorker(TaskQueues.GPU);
        gpu.registerActivitiesImplementations(acts);
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void stopEnvironment() {
        env.close();
    }

    static AnnotationPolicy policy(Duration timeout, Duration reminder, DeadlineAction action) {
        return new AnnotationPolicy(timeout, reminder, action, 1);
    }

    static CampaignSpec spec(String id, int maxCycles, int budget, AnnotationPolicy policy, int continueAsNewEvery,
                             List<String> annotators) {
        return new CampaignSpec(id, "Test campaign " + id, "dr-coordinator", ModelSource.checkpoint("models/initial"),
                new LocalData("datasets/local", POOL, VALIDATION), budget, 32, "uga", UncertaintyConfig.paperDefault(),
                maxCycles, StopRules.none(), annotators, policy, new FineTuneConfig(2, 0.5, 1e-3, 4),
                continueAsNewEvery, 42L);
    }

    WorkflowExecution start(CampaignSpec spec) {
        UgaCampaign stub = client.newWorkflowStub(UgaCampaign.class,
                WorkflowOptions.newBuilder().setWorkflowId(spec.campaignId()).setTaskQueue(TaskQueues.WORKFLOWS).build());
        return WorkflowClient.start(stub::run, spec, null);
    }

    /** A stub on the campaign's current run (follows continue-as-new). */
    UgaCampaign campaign(String id) {
        return client.newWorkflowStub(UgaCampaign.class, id);
    }

    CampaignResult result(String id) {
        return client.newUntypedWorkflowStub(id, Optional.empty(), Optional.empty()).getResult(CampaignResult.class);
    }

    /** Polls the status query in real time (time skipping stays locked while nobody blocks on a result). */
    CampaignStatus awaitStatus(String id, String what, Predicate<CampaignStatus> p) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        CampaignStatus last = null;
        while (System.nanoTime() < end) {
            try {
                last = campaign(id).status();
                if (p.test(last)) {
                    return last;
                }
            } catch (RuntimeException notYet) {
                // the first workflow task has not run yet
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        fail("timed out waiting for " + what + "; last status: " + last);
        return null;
    }

    CampaignStatus awaitAnnotating(String id, int cycle) {
        return awaitStatus(id, "cycle " + cycle + " ANNOTATING",
                s -> s.cycle() == cycle && s.phase() == org.uga.workflows.model.Phase.ANNOTATING);
    }

    static AnnotationSubmission submission(String campaignId, PatchStatus p, String annotationId) {
        return new AnnotationSubmission(annotationId, campaignId, p.cycle(), p.patchId(), p.assignedTo(),
                "campaigns/" + campaignId + "/annotations/" + annotationId + ".png", sha256(annotationId), p.w(), p.h(),
                Instant.parse("2025-01-01T00:00:00Z"), null);
    }

    AnnotationResult submit(String campaignId, PatchStatus p, String annotationId) {
        return campaign(campaignId).submitAnnotation(submission(campaignId, p, annotationId));
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * With env {@code UGA_RECORD_HISTORIES=1} (or {@code -Duga.recordHistories=true}), writes the histories of the given workflow runs as JSON under
     * src/test/resources/histories/ (run once, then commit; {@link HistoryReplayTest} replays them on every build).
     */
    void recordHistory(String name, String workflowId, String runId) throws Exception {
        if (!Boolean.getBoolean("uga.recordHistories") && System.getenv("UGA_RECORD_HISTORIES") == null) {
            return;
        }
        WorkflowExecutionHistory h = runId == null ? client.fetchHistory(workflowId) : client.fetchHistory(workflowId, runId);
        Path dir = Path.of("src/test/resources/histories");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".json"), h.toJson(true));
    }

    static WorkflowStub untyped(UgaCampaign stub) {
        return WorkflowStub.fromTyped(stub);
    }
}
