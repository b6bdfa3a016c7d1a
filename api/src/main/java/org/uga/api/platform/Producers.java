package org.uga.api.platform;

import io.temporal.client.WorkflowClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.uga.store.ObjectStore;

/** CDI beans for the platform's clients, so resources inject them like any other bean. */
public class Producers {

    @Produces
    @Singleton
    WorkflowClient workflowClient(Platform platform) {
        return platform.client();
    }

    @Produces
    @Singleton
    ObjectStore objectStore(Platform platform) {
        return platform.store();
    }
}
