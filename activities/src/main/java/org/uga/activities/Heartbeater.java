package org.uga.activities;

import io.temporal.activity.ActivityExecutionContext;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Heartbeats the latest progress details every few seconds from a background thread, so a long epoch or tile
 * never looks like a dead worker, while a killed process stops heartbeating at once.
 */
final class Heartbeater implements AutoCloseable {

    private final ActivityExecutionContext ctx;
    private final AtomicReference<Object> details = new AtomicReference<>();
    private final ScheduledExecutorService timer;

    Heartbeater(ActivityExecutionContext ctx, Object initial) {
        this.ctx = ctx;
        details.set(initial);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "uga-heartbeat");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::beat, 5, 5, TimeUnit.SECONDS);
    }

    /** Records new progress and heartbeats it now. */
    void progress(Object newDetails) {
        details.set(newDetails);
        beat();
    }

    private void beat() {
        try {
            ctx.heartbeat(details.get());
        } catch (RuntimeException e) {
            // cancellation or a lost server shows up in the activity's own next heartbeat/result
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
