package org.uga.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uga.store.ObjectKeys;
import org.uga.workflows.UgaCycle;
import org.uga.workflows.model.AnnotatedPatch;
import org.uga.workflows.model.AnnotationResult;
import org.uga.workflows.model.CampaignResult;
import org.uga.workflows.model.CampaignStatus;
import org.uga.workflows.model.CycleSummary;
import org.uga.workflows.model.ModelLineage;
import org.uga.workflows.model.Phase;

/**
 * The worker (a separate JVM running {@code uga worker}) is SIGKILLed while fine-tuning; a restarted worker picks
 * the campaign up (the fine-tune activity is retried after its heartbeat timeout and resumes from its last epoch
 * checkpoint) and the campaign completes with every accepted annotation in the fine-tuned model's lineage.
 */
class WorkerKilledDuringFineTuningTest {

    @TempDir
    Path dir;

    @Test
    void campaignCompletesOnARestartedWorkerWithNoAnnotationLost() throws Exception {
        try (E2eSupport e = new E2eSupport(dir.resolve("stack"))) {
            Process first = startWorker(e, dir.resolve("worker-1.log"));
            Process second = null;
            try {
                e.start(e.spec("e2e-kill", 1, 8));
                CampaignStatus s = e.awaitStatus("e2e-kill", "annotating", Duration.ofMinutes(2), E2eSupport.annotating(1));
                int checkpointsBefore = e.store.list("models/sha256/").size();
                List<AnnotationResult> submitted = e.annotateAll("e2e-kill", s);
                assertEquals(2, submitted.size());
                e.awaitStatus("e2e-kill", "fine-tuning", Duration.ofMinutes(1), st -> st.phase() == Phase.FINE_TUNING);
                // At least one fine-tuning epoch checkpointed AND that checkpoint's heartbeat reached the server (the
                // SDK throttles heartbeats, so a checkpoint in S3 alone may die with the worker), then SIGKILL.
                long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (e.store.list("models/sha256/").size() <= checkpointsBefore
                        || !heartbeatNamesACheckpoint(e, UgaCycle.workflowId("e2e-kill", 1))) {
                    if (System.nanoTime() > end) {
                        fail("no fine-tuning checkpoint appeared; worker log:\n" + Files.readString(dir.resolve("worker-1.log")));
                    }
                    Thread.sleep(100);
                }
                first.destroyForcibly(); // SIGKILL
                first.waitFor();
                second = startWorker(e, dir.resolve("worker-2.log"));
                CampaignResult r = e.client.newUntypedWorkflowStub("e2e-kill", Optional.empty(), Optional.empty())
                        .getResult(Duration.ofMinutes(3).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS, CampaignResult.class);
                assertEquals(Phase.COMPLETED, r.phase());
                CycleSummary c = r.cycles().get(0);
                Set<String> ids = submitted.stream().map(AnnotationResult::annotationId).collect(Collectors.toSet());
                assertEquals(ids, Set.copyOf(c.annotationIds()));
                assertEquals(ids, r.annotations().stream().map(AnnotatedPatch::annotationId).collect(Collectors.toSet()));
                assertTrue(c.diceAfter() != null && c.diceBefore() != null, c.toString());
                ModelLineage candidate = r.lineage().get(1);
                assertEquals(ids, Set.copyOf(candidate.annotationIds()));
                String hex = candidate.modelKey().substring(candidate.modelKey().lastIndexOf('/') + 1);
                @SuppressWarnings("unchecked")
                Map<String, Object> lineage = e.store.getJson(ObjectKeys.modelLineage(hex), Map.class);
                assertTrue(((Number) lineage.get("resumedAfterEpoch")).intValue() >= 1,
                        "the retried fine-tuning should resume from a checkpoint: " + lineage);
                assertEquals(8, ((Number) lineage.get("epochsRun")).intValue());
            } finally {
                first.destroyForcibly();
                if (second != null) {
                    second.destroy();
                    second.waitFor();
                }
            }
        }
    }

    private static Process startWorker(E2eSupport e, Path log) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cache = System.getProperty("DJL_CACHE_DIR", System.getenv("DJL_CACHE_DIR"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx2g", "-Dai.djl.offline=true"));
        if (cache != null) {
            cmd.add("-DDJL_CACHE_DIR=" + cache);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.uga.cli.Uga", "worker",
                "--temporal", e.stack.temporalTarget(), "--s3-endpoint", e.stack.s3Endpoint().toString(),
                "--bucket", e.stack.bucket(), "--gpu-slots", "1", "--cpu-slots", "2"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("UGA_S3_ACCESS_KEY", e.stack.accessKey());
        pb.environment().put("UGA_S3_SECRET_KEY", e.stack.secretKey());
        if (cache != null) {
            pb.environment().put("DJL_CACHE_DIR", cache);
            pb.environment().put("ENGINE_CACHE_DIR", cache);
        }
        Process p = pb.start();
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log).contains("uga worker ready")) {
                return p;
            }
            if (!p.isAlive()) {
                fail("worker exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        fail("worker did not become ready in 60 s:\n" + Files.readString(log));
        return null;
    }

    /** True when the server holds a heartbeat of the workflow's running activity that names a model checkpoint. */
    static boolean heartbeatNamesACheckpoint(E2eSupport e, String workflowId) {
        DescribeWorkflowExecutionResponse d;
        try {
            d = e.client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder().setNamespace(e.client.getOptions().getNamespace())
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
        } catch (io.grpc.StatusRuntimeException notYet) {
            return false; // the cycle child has not started yet
        }
        for (PendingActivityInfo a : d.getPendingActivitiesList()) {
            for (io.temporal.api.common.v1.Payload p : a.getHeartbeatDetails().getPayloadsList()) {
                if (p.getData().toStringUtf8().contains("\"checkpointKey\":\"models/")) {
                    return true;
                }
            }
        }
        return false;
    }
}
