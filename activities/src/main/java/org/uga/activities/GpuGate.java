package org.uga.activities;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.uga.ml.model.Devices;

/**
 * One model on the accelerator at a time per JVM (the worker also bounds the GPU task queue's concurrency; this
 * guards in-process embedders that register GPU activities on several workers). Waiting heartbeats are the
 * caller's concern: acquisition is interruptible, so a cancelled activity stops waiting.
 */
public final class GpuGate {

    private static final Semaphore PERMITS = new Semaphore(1, true);

    private GpuGate() {
    }

    public static <T> T run(Supplier<T> work) {
        try {
            PERMITS.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the " + (Devices.hasGpu() ? "GPU" : "CPU model slot"), e);
        }
        try {
            return work.get();
        } finally {
            PERMITS.release();
        }
    }
}
