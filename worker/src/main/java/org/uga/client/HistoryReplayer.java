package org.uga.client;

import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.util.Optional;
import org.uga.infra.TemporalWorkers;
import org.uga.workflows.impl.UgaCampaignImpl;
import org.uga.workflows.impl.UgaCycleImpl;

/**
 * Replays an exported history (a campaign's or a cycle's) through this build's workflow code — the auditor's
 * check that the recorded run is what the current code would do. Needs no server.
 */
public final class HistoryReplayer {

    private HistoryReplayer() {
    }

    /** Empty when the history replays; otherwise the first mismatch, e.g. a {@code NonDeterministicException}. */
    public static Optional<String> firstMismatch(WorkflowExecutionHistory history) {
        // The stubs are never connected: replay runs the workflow code against the history alone.
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:1").build());
        try {
            WorkflowClient client = TemporalWorkers.client(stubs, "default");
            WorkerFactory factory = WorkerFactory.newInstance(client);
            Worker worker = factory.newWorker("uga-replay");
            worker.registerWorkflowImplementationTypes(UgaCampaignImpl.class, UgaCycleImpl.class);
            try {
                worker.replayWorkflowExecution(history);
                return Optional.empty();
            } catch (Exception e) {
                return Optional.of(firstLine(e));
            }
        } finally {
            stubs.shutdownNow();
        }
    }

    static String firstLine(Throwable e) {
        Throwable t = e;
        String msg = String.valueOf(t.getMessage());
        while ((msg.isBlank() || msg.equals("null")) && t.getCause() != null) {
            t = t.getCause();
            msg = String.valueOf(t.getMessage());
        }
        int i = msg.indexOf("NonDeterministicException");
        return (i >= 0 ? msg.substring(i) : msg).strip();
    }
}
