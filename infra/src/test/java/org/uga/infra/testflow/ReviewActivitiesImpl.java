package org.uga.infra.testflow;

import io.temporal.activity.Activity;
import java.util.concurrent.atomic.AtomicInteger;

public final class ReviewActivitiesImpl implements ReviewActivities {

    public final AtomicInteger calls = new AtomicInteger();

    @Override
    public String summarize(String subject, Decision decision, int threshold) {
        calls.incrementAndGet();
        String activityType = Activity.getExecutionContext().getInfo().getActivityType();
        return subject + " " + (decision.approved() ? "approved" : "rejected") + " by " + decision.reviewer()
                + " at threshold " + threshold + "% (" + activityType + ")";
    }
}
