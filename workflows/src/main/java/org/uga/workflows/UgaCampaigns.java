package org.uga.workflows;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.util.List;
import org.uga.workflows.model.CampaignSpec;

/** Client-side helpers: the one correct way to start a campaign and to address it afterwards. */
public final class UgaCampaigns {

    private UgaCampaigns() {
    }

    /**
     * Validates the spec and starts {@code UgaCampaign} with workflow id = campaignId on {@link TaskQueues#WORKFLOWS}.
     *
     * @throws IllegalArgumentException listing every problem of an invalid spec
     * @throws io.temporal.client.WorkflowExecutionAlreadyStarted when a campaign with that id is running
     */
    public static WorkflowExecution start(WorkflowClient client, CampaignSpec spec) {
        List<String> problems = spec.validate();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid campaign spec: " + String.join("; ", problems));
        }
        UgaCampaign stub = client.newWorkflowStub(UgaCampaign.class, WorkflowOptions.newBuilder()
                .setWorkflowId(spec.campaignId()).setTaskQueue(TaskQueues.WORKFLOWS).build());
        return WorkflowClient.start(stub::run, spec, null);
    }

    /** A stub on the campaign's current run (follows continue-as-new): signals, the update and the query. */
    public static UgaCampaign campaign(WorkflowClient client, String campaignId) {
        return client.newWorkflowStub(UgaCampaign.class, campaignId);
    }
}
