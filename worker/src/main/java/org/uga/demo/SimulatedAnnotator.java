package org.uga.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.uga.client.AnnotationClient;
import org.uga.workflows.model.CampaignStatus;
import org.uga.workflows.model.PatchState;
import org.uga.workflows.model.PatchStatus;
import org.uga.workflows.model.Phase;

/**
 * A clinician played by a thread: watches the campaigns' queues through the status query (as the annotator UI
 * does), and answers each patch assigned to them with its ground-truth mask after a short random delay, through
 * {@link AnnotationClient} — the same path a person's submission takes. One annotator can be set to miss a deadline
 * once, so reminders and the deadline rule are seen at work.
 */
final class SimulatedAnnotator implements Runnable {

    private final String name;
    private final AnnotationClient client;
    private final DemoData data;
    private final List<String> campaignIds;
    private final Random random;
    private final Duration minDelay;
    private final Duration maxDelay;
    private final AtomicBoolean missOnce;
    private final Consumer<String> events;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger submitted = new AtomicInteger();

    /** assignment key -> when this annotator will have finished the correction. */
    private final Map<String, Instant> planned = new HashMap<>();
    private final Set<String> ignored = new HashSet<>();
    private final Set<String> done = new HashSet<>();

    SimulatedAnnotator(String name, AnnotationClient client, DemoData data, List<String> campaignIds, long seed,
                       Duration minDelay, Duration maxDelay, AtomicBoolean missOnce, Consumer<String> events) {
        this.name = name;
        this.client = client;
        this.data = data;
        this.campaignIds = campaignIds;
        this.random = new Random(seed);
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
        this.missOnce = missOnce;
        this.events = events;
    }

    String name() {
        return name;
    }

    int submitted() {
        return submitted.get();
    }

    void stop() {
        stop.set(true);
    }

    @Override
    public void run() {
        while (!stop.get()) {
            for (String campaignId : campaignIds) {
                try {
                    work(campaignId);
                } catch (RuntimeException e) {
                    // A query can fail while a campaign continues-as-new or completes; try again next round.
                    if (stop.get()) {
                        return;
                    }
                }
            }
            sleep(Duration.ofMillis(400));
        }
    }

    private void work(String campaignId) {
        CampaignStatus status = client.status(campaignId);
        if (status.phase() == Phase.COMPLETED || status.phase() == Phase.CANCELLED || status.phase() == Phase.FAILED) {
            return;
        }
        for (PatchStatus p : status.patches()) {
            if (!name.equals(p.assignedTo()) || p.state() != PatchState.ASSIGNED || p.annotationId() != null) {
                continue;
            }
            // A reassigned patch is a new assignment: the count of previous assignees tells them apart.
            String assignment = campaignId + "/" + p.patchId() + "/" + p.previousAssignees().size();
            if (done.contains(assignment) || ignored.contains(assignment)) {
                continue;
            }
            if (!planned.containsKey(assignment) && missOnce.compareAndSet(true, false)) {
                ignored.add(assignment);
                events.accept(name + " is away and will miss the deadline of patch " + p.patchId() + " ("
                        + campaignId + ", cycle " + p.cycle() + ")");
                continue;
            }
            Instant due = planned.computeIfAbsent(assignment, k -> Instant.now().plus(delay()));
            if (Instant.now().isBefore(due)) {
                continue;
            }
            byte[] mask = data.truthPatchPng(p.imageId(), p.x(), p.y(), p.w(), p.h());
            String annotationId = "ann-" + p.patchId() + "-" + name;
            try {
                client.submit(campaignId, p, name, annotationId, mask, "simulated clinician: ground truth");
                submitted.incrementAndGet();
            } catch (AnnotationClient.AnnotationRejectedException e) {
                events.accept(name + "'s annotation of " + p.patchId() + " was rejected: " + e.getMessage());
            }
            done.add(assignment);
        }
    }

    private Duration delay() {
        long min = minDelay.toMillis();
        long span = Math.max(1, maxDelay.toMillis() - min);
        return Duration.ofMillis(min + (long) (random.nextDouble() * span));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
