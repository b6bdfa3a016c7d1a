package org.uga.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uga.infra.testflow.Decision;
import org.uga.infra.testflow.ReviewActivitiesImpl;
import org.uga.infra.testflow.ReviewResult;
import org.uga.infra.testflow.ReviewWorkflow;
import org.uga.infra.testflow.ReviewWorkflowImpl;

/** A workflow with a signal, a validated update and an activity, against the embedded (real-time) test server. */
class EmbeddedTemporalWorkflowTest {

    private static final String QUEUE = "infra-test";

    @TempDir
    Path dir;

    private EmbeddedStack stack;
    private WorkflowServiceStubs stubs;
    private WorkflowClient client;

    @BeforeEach
    void start() {
        stack = EmbeddedStack.start(EmbeddedStackConfig.forTests(dir).temporalOnly());
        stubs = TemporalWorkers.connect(stack.temporalTarget());
        client = TemporalWorkers.client(stubs, "default");
    }

    @AfterEach
    void stop() {
        stubs.shutdownNow();
        stack.close();
    }

    @Test
    void signalValidatedUpdateAndActivity() {
        ReviewActivitiesImpl activities = new ReviewActivitiesImpl();
        WorkerFactory factory = startWorker(activities);
        try {
            ReviewWorkflow wf = client.newWorkflowStub(ReviewWorkflow.class, options("review-" + UUID.randomUUID()));
            WorkflowClient.start(wf::review, "tile-17");
            assertEquals("waiting", wf.phase());

            // The validator rejects bad input before it reaches the history; the reason travels to the caller.
            WorkflowUpdateException rejected = assertThrows(WorkflowUpdateException.class, () -> wf.setThreshold(140));
            assertTrue(rejected.getCause() instanceof ApplicationFailure, String.valueOf(rejected.getCause()));
            assertEquals("threshold must be between 0 and 100 %, got 140",
                    ((ApplicationFailure) rejected.getCause()).getOriginalMessage());

            assertEquals(50, wf.setThreshold(80), "a valid update returns the previous threshold");

            Instant decidedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            wf.decide(new Decision("dr-lee", true, decidedAt));

            ReviewResult result = WorkflowStub.fromTyped(wf).getResult(30, java.util.concurrent.TimeUnit.SECONDS,
                    ReviewResult.class);
            assertEquals("tile-17 approved by dr-lee at threshold 80% (Summarize)", result.summary());
            assertEquals(80, result.threshold());
            assertEquals(decidedAt, result.decidedAt(), "Instant survives the data converter");
            assertEquals(1, activities.calls.get());
            assertEquals("done", wf.phase());

        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("workflow did not finish within 30 s", e);
        } finally {
            stopWorker(factory);
        }
    }

    @Test
    void restartedWorkerResumesAWaitingWorkflow() throws Exception {
        WorkerFactory first = startWorker(new ReviewActivitiesImpl());
        ReviewWorkflow wf = client.newWorkflowStub(ReviewWorkflow.class, options("resume-" + UUID.randomUUID()));
        WorkflowClient.start(wf::review, "slide-3");
        assertEquals("waiting", wf.phase()); // the first worker has run the first workflow task
        stopWorker(first);

        ReviewActivitiesImpl activities = new ReviewActivitiesImpl();
        WorkerFactory second = startWorker(activities);
        try {
            wf.decide(new Decision("dr-kim", false, Instant.parse("2024-05-01T10:15:30Z")));
            ReviewResult result = WorkflowStub.fromTyped(wf).getResult(30, java.util.concurrent.TimeUnit.SECONDS,
                    ReviewResult.class);
            assertEquals("slide-3 rejected by dr-kim at threshold 50% (Summarize)", result.summary());
            assertEquals(1, activities.calls.get(), "the new worker ran the activity");
        } finally {
            stopWorker(second);
        }
    }

    private WorkerFactory startWorker(ReviewActivitiesImpl activities) {
        WorkerFactory factory = WorkerFactory.newInstance(client);
        var worker = factory.newWorker(QUEUE, TemporalWorkers.defaultWorkerOptions().build());
        worker.registerWorkflowImplementationTypes(ReviewWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities);
        factory.start();
        return factory;
    }

    /** Waits for the worker's polls to end, so closing the server does not cut them mid-flight. */
    private static void stopWorker(WorkerFactory factory) {
        factory.shutdownNow();
        factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static WorkflowOptions options(String id) {
        return WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(QUEUE)
                .setWorkflowExecutionTimeout(Duration.ofMinutes(2)).build();
    }
}
