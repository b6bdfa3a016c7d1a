package org.uga.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Every activity option of the platform, in one place: task queue, timeouts, heartbeats, retries.
 *
 * <p>GPU work (scoring, training) heartbeats at least every batch/tile; a worker that dies is noticed after
 * {@link #GPU_HEARTBEAT} and the activity is retried elsewhere, resuming from its heartbeat details/checkpoint.
 * Bad input is thrown as a non-retryable {@code ApplicationFailure} of type {@link #INVALID_INPUT}; after the
 * retries run out the campaign pauses with the error (see UgaCampaignImpl) instead of failing a weeks-long run.
 */
public final class ActivityOptionsCatalog {

    /** ApplicationFailure type for requests that can never succeed (missing object, bad geometry): not retried. */
    public static final String INVALID_INPUT = "InvalidInput";

    public static final Duration GPU_HEARTBEAT = Duration.ofSeconds(30);
    public static final Duration CPU_HEARTBEAT = Duration.ofSeconds(60);

    private static RetryOptions retries(int maxAttempts, Duration maxInterval) {
        return RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setBackoffCoefficient(2.0)
                .setMaximumInterval(maxInterval)
                .setMaximumAttempts(maxAttempts)
                .setDoNotRetry(INVALID_INPUT, IllegalArgumentException.class.getName())
                .build();
    }

    public static ActivityOptions scoring() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.GPU)
                .setStartToCloseTimeout(Duration.ofHours(4))
                .setHeartbeatTimeout(GPU_HEARTBEAT)
                .setRetryOptions(retries(6, Duration.ofMinutes(2)))
                .build();
    }

    public static ActivityOptions training() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.GPU)
                .setStartToCloseTimeout(Duration.ofHours(12))
                .setHeartbeatTimeout(GPU_HEARTBEAT)
                .setRetryOptions(retries(6, Duration.ofMinutes(2)))
                .build();
    }

    public static ActivityOptions selection() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.CPU)
                .setStartToCloseTimeout(Duration.ofMinutes(30))
                .setRetryOptions(retries(5, Duration.ofMinutes(1)))
                .build();
    }

    public static ActivityOptions validation() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.CPU)
                .setStartToCloseTimeout(Duration.ofHours(1))
                .setHeartbeatTimeout(CPU_HEARTBEAT)
                .setRetryOptions(retries(5, Duration.ofMinutes(1)))
                .build();
    }

    /** Mask checks and reminders: short, cheap, retried quickly. */
    public static ActivityOptions annotation() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.CPU)
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setRetryOptions(retries(5, Duration.ofSeconds(30)))
                .build();
    }

    private ActivityOptionsCatalog() {
    }
}
