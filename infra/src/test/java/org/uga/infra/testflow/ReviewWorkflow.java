package org.uga.infra.testflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A miniature of a campaign cycle: waits for a reviewer's decision, takes a validated setting, calls an activity. */
@WorkflowInterface
public interface ReviewWorkflow {

    @WorkflowMethod
    ReviewResult review(String subject);

    /** The reviewer's decision; the workflow waits for it. */
    @SignalMethod
    void decide(Decision decision);

    /** Sets the acceptance threshold (0-100 %); returns the previous one. */
    @UpdateMethod
    int setThreshold(int percent);

    @UpdateValidatorMethod(updateName = "setThreshold")
    void validateThreshold(int percent);

    @QueryMethod
    String phase();
}
