package org.uga.worker;

import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uga.activities.UgaActivities;
import org.uga.infra.TemporalWorkers;
import org.uga.ml.model.Devices;
import org.uga.store.ObjectStore;
import org.uga.workflows.TaskQueues;
import org.uga.workflows.impl.UgaCampaignImpl;
import org.uga.workflows.impl.UgaCycleImpl;

/**
 * The UGA workers of one process: {@code uga-cpu} hosts the workflows and the CPU activities, {@code uga-gpu} the
 * scoring and training activities with at most {@code gpuSlots} running at once (one model per GPU). Embedded by
 * {@code uga worker}, the demo and the API server.
 */
public final class UgaWorkerRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UgaWorkerRuntime.class);

    private final WorkerFactory factory;
    private final List<String> queues;

    private UgaWorkerRuntime(WorkerFactory factory, List<String> queues) {
        this.factory = factory;
        this.queues = queues;
    }

    /** One slot per GPU, or one on a CPU-only machine. */
    public static int defaultGpuSlots() {
        return Math.max(1, Devices.hasGpu() ? ai.djl.engine.Engine.getInstance().getGpuCount() : 1);
    }

    public static UgaWorkerRuntime create(WorkflowClient client, ObjectStore store, Collection<String> queues) {
        return create(client, store, queues, defaultGpuSlots(), 4);
    }

    /**
     * @param gpuSlots concurrent activities on {@code uga-gpu} (keep it at the GPU count)
     * @param cpuSlots concurrent activities on {@code uga-cpu}
     */
    public static UgaWorkerRuntime create(WorkflowClient client, ObjectStore store, Collection<String> queues,
                                          int gpuSlots, int cpuSlots) {
        Set<String> qs = new LinkedHashSet<>(queues);
        if (qs.isEmpty()) {
            throw new IllegalArgumentException("at least one task queue is required; known: " + TaskQueues.ALL);
        }
        for (String q : qs) {
            if (!TaskQueues.ALL.contains(q)) {
                throw new IllegalArgumentException("unknown task queue '" + q + "'; known: " + TaskQueues.ALL);
            }
        }
        if (gpuSlots < 1 || cpuSlots < 1) {
            throw new IllegalArgumentException("gpuSlots and cpuSlots must be >= 1, got " + gpuSlots + ", " + cpuSlots);
        }
        UgaActivities activities = new UgaActivities(store);
        WorkerFactory factory = WorkerFactory.newInstance(client);
        if (qs.contains(TaskQueues.CPU)) {
            Worker w = factory.newWorker(TaskQueues.CPU, TemporalWorkers.defaultWorkerOptions()
                    .setMaxConcurrentActivityExecutionSize(cpuSlots).build());
            w.registerWorkflowImplementationTypes(UgaCampaignImpl.class, UgaCycleImpl.class);
            w.registerActivitiesImplementations(activities.cpu().toArray());
        }
        if (qs.contains(TaskQueues.GPU)) {
            WorkerOptions options = TemporalWorkers.defaultWorkerOptions()
                    .setMaxConcurrentActivityExecutionSize(gpuSlots)
                    .setMaxConcurrentWorkflowTaskExecutionSize(2)
                    .build();
            Worker w = factory.newWorker(TaskQueues.GPU, options);
            w.registerActivitiesImplementations(activities.gpu().toArray());
        }
        return new UgaWorkerRuntime(factory, List.copyOf(new ArrayList<>(qs)));
    }

    public UgaWorkerRuntime start() {
        factory.start();
        LOG.info("UGA worker polling {}", queues);
        return this;
    }

    public List<String> queues() {
        return queues;
    }

    /** Stops polling and waits (up to {@code timeout}) for running activities to finish. */
    public void shutdown(Duration timeout) {
        factory.shutdown();
        try {
            factory.awaitTermination(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.warn("worker shutdown: {}", e.getMessage());
        }
        factory.shutdownNow();
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
    }
}
