package org.uga.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import org.uga.workflows.model.AnnotationResult;
import org.uga.workflows.model.AnnotationSubmission;
import org.uga.workflows.model.CampaignResult;
import org.uga.workflows.model.CampaignSpec;
import org.uga.workflows.model.CampaignState;
import org.uga.workflows.model.CampaignStatus;
import org.uga.workflows.model.Phase;

/**
 * A durable UGA campaign. Workflow type {@value #TYPE}, workflow id = {@code spec.campaignId()}, task queue
 * {@link TaskQueues#WORKFLOWS}. Start it with {@code run(spec, null)}; the second argument is the state a
 * continue-as-new carries.
 *
 * <p>The campaign holds all annotation state (patches, assignments, deadlines, submissions), so clients talk only
 * to the campaign id. Each cycle's model update (fine-tune, validate, keep or reject) runs as child workflow
 * {@link UgaCycle}.
 */
@WorkflowInterface
public interface UgaCampaign {

    String TYPE = "UgaCampaign";

    @WorkflowMethod(name = TYPE)
    CampaignResult run(CampaignSpec spec, CampaignState carried);

    /** Records a mask for a patch of the open cycle. Rejected (validator) with a reason naming what is wrong. */
    @UpdateMethod(name = "submitAnnotation")
    AnnotationResult submitAnnotation(AnnotationSubmission submission);

    @UpdateValidatorMethod(updateName = "submitAnnotation")
    void validateSubmitAnnotation(AnnotationSubmission submission);

    /** Stops at the next step boundary (a running activity finishes); annotation deadlines stop ticking. */
    @SignalMethod(name = "pause")
    void pause();

    @SignalMethod(name = "resume")
    void resume();

    /** Finishes the current step, keeps all data and completes with phase CANCELLED. */
    @SignalMethod(name = "cancel")
    void cancel(String reason);

    /** Moves every open patch's deadline of the current cycle later by {@code by}; reopens OVERDUE patches. */
    @SignalMethod(name = "extendDeadline")
    void extendDeadline(Duration by);

    /** Gives an open (ASSIGNED or OVERDUE) patch to another annotator with a fresh deadline. */
    @SignalMethod(name = "reassignPatch")
    void reassignPatch(String patchId, String annotator);

    /** Drops an open patch from the current cycle. */
    @SignalMethod(name = "skipPatch")
    void skipPatch(String patchId, String reason);

    /**
     * Sent by this campaign's own {@link UgaCycle} child when it moves to another step (today: {@code VALIDATING}
     * after fine-tuning), so {@link #status()} says what the cycle is doing. Ignored unless it names the open
     * cycle while the campaign waits on that child.
     */
    @SignalMethod(name = "cycleStepStarted")
    void cycleStepStarted(int cycle, Phase step);

    @QueryMethod(name = "status")
    CampaignStatus status();
}
