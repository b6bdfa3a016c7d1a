package org.uga.activities;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Heartbeats the latest progress details every few seconds from a background thread, so a long epoch or tile
 * never looks like a dead worker, while a killed process stops heartbeating at once.
 *
 * <p>When the server says the attempt is over (timed out and retried elsewhere, cancelled, or the worker is
 * shutting down), the next {@link #progress} throws that {@link ActivityCompletionException}, so a stalled
 * attempt stops instead of writing next to its retry (e.g. into the same slide-walk checkpoint).
 */
final class Heartbeater implements AutoCloseable {

    private final ActivityExecutionContext ctx;
    private final AtomicReference<Object> details = new AtomicReference<>();
    private final ScheduledExecutorService timer;
    private final AtomicReference<ActivityCompletionException> over = new AtomicReference<>();

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

    /** Records new progress and heartbeats it now; throws when this attempt is over (see the class comment). */
    void progress(Object newDetails) {
        details.set(newDetails);
        beat();
        ActivityCompletionException e = over.get();
        if (e != null) {
            throw e;
        }
    }

    private void beat() {
        try {
            ctx.heartbeat(details.get());
        } catch (ActivityCompletionException e) {
            over.compareAndSet(null, e);
        } catch (RuntimeException e) {
            // a lost connection: the SDK retries heartbeats; the server times the attempt out if it stays lost
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
