package org.uga.api.platform;

import io.temporal.client.WorkflowClient;
import org.jboss.logging.Logger;
import org.uga.store.ObjectStore;

/** Runs the campaign workers (workflows + activities) inside the API process. */
final class WorkerFactory {

    private static final Logger LOG = Logger.getLogger(WorkerFactory.class);

    private WorkerFactory() {
    }

    static AutoCloseable startInProcess(WorkflowClient client, ObjectStore store, String queues) {
        LOG.warn("no in-process worker runtime is available in this build yet; campaigns need an external `uga worker`");
        return null;
    }
}
