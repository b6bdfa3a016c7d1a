package org.uga.workflows.impl;

import io.temporal.workflow.Workflow;
import java.util.Optional;
import org.slf4j.Logger;
import org.uga.workflows.ActivityOptionsCatalog;
import org.uga.workflows.UgaCampaign;
import org.uga.workflows.UgaCycle;
import org.uga.workflows.activities.FineTuneRequest;
import org.uga.workflows.activities.TrainedModel;
import org.uga.workflows.activities.TrainingActivities;
import org.uga.workflows.activities.ValidationActivities;
import org.uga.workflows.activities.ValidationRequest;
import org.uga.workflows.activities.ValidationResult;
import org.uga.workflows.model.CycleInput;
import org.uga.workflows.model.CycleOutcome;
import org.uga.workflows.model.ModelLineage;
import org.uga.workflows.model.Phase;

/** Fine-tune → validate → keep the candidate only if it does not regress. */
public class UgaCycleImpl implements UgaCycle {

    private static final Logger log = Workflow.getLogger(UgaCycleImpl.class);

    private final TrainingActivities training = Workflow.newActivityStub(TrainingActivities.class, ActivityOptionsCatalog.training());
    private final ValidationActivities validation = Workflow.newActivityStub(ValidationActivities.class, ActivityOptionsCatalog.validation());

    @Override
    public CycleOutcome run(CycleInput in) {
        String replayPrefix = in.modelSource() == null ? null : in.modelSource().centralDatasetPrefix();
        TrainedModel candidate = training.fineTune(new FineTuneRequest(in.campaignId(), in.cycle(), in.parentModelKey(),
                in.localData().datasetPrefix(), in.annotations(), in.newAnnotationIds(), replayPrefix,
                in.modelSource() == null ? null : in.modelSource().centralTileIds(), in.fineTune(), in.seed()));
        reportStep(in, Phase.VALIDATING);
        ValidationResult v = validation.validateModel(new ValidationRequest(in.campaignId(), candidate.modelKey(),
                in.localData().datasetPrefix(), in.localData().validationTileIds()));
        // Never silently regress: a candidate worse than its parent is recorded but not made current. Ties keep the
        // candidate, which has seen more annotated data.
        boolean accepted = in.diceBefore() == null || v.dice() >= in.diceBefore();
        String note = accepted
                ? String.format(java.util.Locale.ROOT, "kept fine-tuned model: Dice %s -> %.4f", fmt(in.diceBefore()), v.dice())
                : String.format(java.util.Locale.ROOT, "rejected fine-tuned model: Dice %.4f < %s; kept %s", v.dice(), fmt(in.diceBefore()),
                        in.parentModelKey());
        log.info("cycle {} of {}: {}", in.cycle(), in.campaignId(), note);
        ModelLineage lineage = new ModelLineage(candidate.modelKey(), in.parentModelKey(), in.cycle(),
                in.newAnnotationIds(), in.fineTune(), v.dice(), accepted);
        return new CycleOutcome(in.cycle(), candidate.modelKey(), in.diceBefore(), v.dice(), accepted,
                accepted ? candidate.modelKey() : in.parentModelKey(), lineage, note);
    }

    /**
     * Tells the parent campaign which step runs now, so its status is not FINE_TUNING during validation. Versioned:
     * histories recorded before this signal existed replay without it. A campaign that cannot be signalled (no
     * parent, or it is gone) does not fail the cycle.
     */
    private static void reportStep(CycleInput in, Phase step) {
        int version = Workflow.getVersion("cycle-reports-step", Workflow.DEFAULT_VERSION, 1);
        if (version == Workflow.DEFAULT_VERSION) {
            return;
        }
        Optional<String> parent = Workflow.getInfo().getParentWorkflowId();
        if (parent.isEmpty()) {
            return;
        }
        try {
            Workflow.newExternalWorkflowStub(UgaCampaign.class, parent.get()).cycleStepStarted(in.cycle(), step);
        } catch (RuntimeException e) {
            log.warn("cycle {} of {}: could not report step {} to the campaign: {}", in.cycle(), in.campaignId(), step,
                    e.getMessage());
        }
    }

    private static String fmt(Double d) {
        return d == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.4f", d);
    }
}
