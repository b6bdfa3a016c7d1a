package org.uga.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.uga.workflows.model.CycleInput;
import org.uga.workflows.model.CycleOutcome;

/**
 * The model update of one cycle, a child of {@link UgaCampaign} with workflow id
 * {@code <campaignId>/cycle-<n>}: fine-tune the current model on the annotations (GPU queue), validate the
 * candidate (CPU queue) and keep it only if its Dice is not below the parent's (never silently regress).
 */
@WorkflowInterface
public interface UgaCycle {

    String TYPE = "UgaCycle";

    @WorkflowMethod(name = TYPE)
    CycleOutcome run(CycleInput input);

    static String workflowId(String campaignId, int cycle) {
        return campaignId + "/cycle-" + cycle;
    }
}
