package org.uga.client;

import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
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
        // The replaying worker asks a server for its capabilities before it starts: an in-process test server
        // answers, so replay needs no running Temporal.
        TestServer.InProcessTestServer server = TestServer.createServer(true);
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setChannel(server.getChannel()).build());
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
            server.close();
        }
    }

    /** The replayer wraps the cause in a query failure; the useful part is the innermost "error=" text. */
    static String firstLine(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(' ');
        }
        String msg = all.toString();
        int i = msg.indexOf("error=");
        return (i >= 0 ? msg.substring(i + "error=".length()) : msg).strip();
    }
}
