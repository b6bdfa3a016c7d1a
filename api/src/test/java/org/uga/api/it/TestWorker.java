package org.uga.api.it;

import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import org.uga.infra.TemporalWorkers;
import org.uga.store.ObjectStore;
import org.uga.workflows.TaskQueues;
import org.uga.workflows.impl.UgaCampaignImpl;
import org.uga.workflows.impl.UgaCycleImpl;

/** One worker for the API tests, on both task queues: the real workflow code with {@link DoubleActivities}. */
public final class TestWorker {

    private static WorkerFactory factory;

    private TestWorker() {
    }

    public static synchronized void ensureStarted(WorkflowClient client, ObjectStore store) {
        if (factory != null) {
            return;
        }
        factory = WorkerFactory.newInstance(client);
        DoubleActivities activities = new DoubleActivities(store);
        for (String queue : TaskQueues.ALL) {
            Worker w = factory.newWorker(queue, TemporalWorkers.defaultWorkerOptions().build());
            if (queue.equals(TaskQueues.WORKFLOWS)) {
                w.registerWorkflowImplementationTypes(UgaCampaignImpl.class, UgaCycleImpl.class);
            }
            w.registerActivitiesImplementations(activities);
        }
        factory.start();
    }
}
