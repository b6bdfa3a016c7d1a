package org.uga.api.platform;

import io.temporal.client.WorkflowClient;
import java.util.Arrays;
import java.util.List;
import org.jboss.logging.Logger;
import org.uga.store.ObjectStore;
import org.uga.worker.UgaWorkerRuntime;

/** Runs the campaign workers (workflows + the real scoring/selection/training/validation activities) in the API process. */
final class WorkerFactory {

    private static final Logger LOG = Logger.getLogger(WorkerFactory.class);

    private WorkerFactory() {
    }

    /**
     * Starts {@link UgaWorkerRuntime} on the comma-separated {@code queues} (e.g. {@code uga-gpu,uga-cpu}); an unknown
     * queue name fails the start with the list of known ones. The returned handle stops polling and waits for running
     * activities (up to 10 s) when closed.
     */
    static AutoCloseable startInProcess(WorkflowClient client, ObjectStore store, String queues) {
        List<String> qs = Arrays.stream(queues.split(",")).map(String::trim).filter(q -> !q.isEmpty()).toList();
        long t0 = System.nanoTime();
        UgaWorkerRuntime runtime = UgaWorkerRuntime.create(client, store, qs).start();
        LOG.infof("in-process worker polling %s (started in %d ms)", runtime.queues(), (System.nanoTime() - t0) / 1_000_000);
        return runtime;
    }
}
