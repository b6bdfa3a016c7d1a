package org.uga.infra.testflow;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public final class ReviewWorkflowImpl implements ReviewWorkflow {

    private final ReviewActivities activities = Workflow.newActivityStub(ReviewActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(30))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
                    .build());

    private Decision decision;
    private int threshold = 50;
    private String phase = "waiting";

    @Override
    public ReviewResult review(String subject) {
        Workflow.await(() -> decision != null);
        phase = "summarizing";
        String summary = activities.summarize(subject, decision, threshold);
        phase = "done";
        return new ReviewResult(summary, threshold, decision.decidedAt());
    }

    @Override
    public void decide(Decision decision) {
        this.decision = decision;
    }

    @Override
    public int setThreshold(int percent) {
        int previous = threshold;
        threshold = percent;
        return previous;
    }

    @Override
    public void validateThreshold(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("threshold must be between 0 and 100 %, got " + percent);
        }
        if (decision != null) {
            throw new IllegalStateException("the decision is already in; the threshold can no longer change");
        }
    }

    @Override
    public String phase() {
        return phase;
    }
}
