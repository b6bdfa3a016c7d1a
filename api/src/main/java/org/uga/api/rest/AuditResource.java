package org.uga.api.rest;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.WorkflowExecutionHistory;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.uga.api.campaigns.CampaignHistories;
import org.uga.api.campaigns.CampaignService;
import org.uga.client.HistoryReplayer;
import org.uga.api.security.KeyPolicy;
import org.uga.api.security.Roles;
import org.uga.workflows.UgaCampaign;
import org.uga.workflows.model.AnnotationSubmission;
import org.uga.workflows.model.CampaignStatus;
import org.uga.workflows.model.ModelLineage;

/** Auditors' tools (read-only): raw Temporal history, a replay check against this build's code, an audit trail. */
@Path("/api/campaigns/{campaignId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit", description = "Workflow history, replay check and audit trail")
public class AuditResource {

    @Inject
    CampaignService campaigns;

    @Inject
    CampaignHistories histories;

    /** One workflow run's replay verdict. */
    public record ReplayRun(String workflowType, String workflowId, String runId, int events, boolean passed, String error) {
    }

    public record ReplayReport(String campaignId, boolean passed, String firstMismatch, List<ReplayRun> runs) {
    }

    /** Who submitted which annotation when (from the accepted updates in the history), and what became of it. */
    public record AnnotationEvent(String annotationId, int cycle, String patchId, String annotator, Instant submittedAt,
                                  Instant acceptedAt, String maskKey, String maskSha256, String runId, List<String> usedByModels) {
    }

    public record SignalEvent(String signal, Instant at, String identity, String input, String runId) {
    }

    public record ModelEvent(String modelKey, String parentKey, int cycle, List<String> annotationIds, Double dice, boolean kept) {
    }

    public record AuditTrail(String campaignId, List<String> runIds, List<AnnotationEvent> annotations,
                             List<SignalEvent> signals, List<ModelEvent> models) {
    }

    @GET
    @Path("/history")
    @RolesAllowed({Roles.AUDITOR, Roles.COORDINATOR})
    @Operation(summary = "The campaign workflow's event history in Temporal's JSON format (latest run, or ?runId=)")
    public Response history(@PathParam("campaignId") String campaignId, @QueryParam("runId") String runId) {
        check(campaignId);
        if (runId != null) {
            KeyPolicy.checkId(runId, "runId");
        }
        WorkflowExecutionHistory h = histories.fetch(campaignId, runId);
        return Response.ok(h.toJson(true), MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/replay")
    @RolesAllowed({Roles.AUDITOR, Roles.COORDINATOR})
    @Operation(summary = "Replays every run of the campaign (and its cycle child workflows) against this build's workflow code")
    public ReplayReport replay(@PathParam("campaignId") String campaignId) {
        check(campaignId);
        List<ReplayRun> runs = new ArrayList<>();
        for (WorkflowExecutionHistory h : histories.allRuns(campaignId)) {
            runs.add(replayOne(UgaCampaign.TYPE, campaignId, h));
            for (HistoryEvent e : h.getEvents()) {
                if (e.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) {
                    var a = e.getChildWorkflowExecutionStartedEventAttributes();
                    String type = a.getWorkflowType().getName();
                    WorkflowExecutionHistory child = histories.fetch(a.getWorkflowExecution().getWorkflowId(),
                            a.getWorkflowExecution().getRunId());
                    runs.add(replayOne(type, a.getWorkflowExecution().getWorkflowId(), child));
                }
            }
        }
        String first = runs.stream().filter(r -> !r.passed()).map(r -> r.workflowType() + " " + r.workflowId() + ": " + r.error())
                .findFirst().orElse(null);
        return new ReplayReport(campaignId, first == null, first, runs);
    }

    @GET
    @Path("/audit")
    @RolesAllowed({Roles.AUDITOR, Roles.COORDINATOR})
    @Operation(summary = "Audit trail: accepted annotations (who, when, which mask), signals, and which annotations built which model")
    public AuditTrail audit(@PathParam("campaignId") String campaignId) {
        check(campaignId);
        List<WorkflowExecutionHistory> runs = histories.allRuns(campaignId);
        Optional<CampaignStatus> status = campaigns.statusOf(campaignId);
        Map<String, List<String>> modelsByAnnotation = new HashMap<>();
        List<ModelEvent> models = new ArrayList<>();
        for (ModelLineage m : status.map(CampaignStatus::lineage).orElse(List.of())) {
            models.add(new ModelEvent(m.modelKey(), m.parentKey(), m.cycle(), m.annotationIds(), m.dice(), m.kept()));
            for (String a : m.annotationIds()) {
                modelsByAnnotation.computeIfAbsent(a, k -> new ArrayList<>()).add(m.modelKey());
            }
        }
        List<AnnotationEvent> annotations = new ArrayList<>();
        for (CampaignHistories.AcceptedAnnotation a : CampaignHistories.acceptedAnnotations(runs)) {
            AnnotationSubmission s = a.submission();
            annotations.add(new AnnotationEvent(s.annotationId(), s.cycle(), s.patchId(), s.annotator(), s.submittedAt(),
                    a.acceptedAt(), s.maskKey(), s.maskSha256(), a.runId(), modelsByAnnotation.getOrDefault(s.annotationId(), List.of())));
        }
        List<SignalEvent> signals = new ArrayList<>();
        List<String> runIds = new ArrayList<>();
        for (WorkflowExecutionHistory h : runs) {
            String runId = CampaignHistories.runId(h);
            runIds.add(runId);
            for (HistoryEvent e : h.getEvents()) {
                if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) {
                    var a = e.getWorkflowExecutionSignaledEventAttributes();
                    signals.add(new SignalEvent(a.getSignalName(), CampaignHistories.instant(e), a.getIdentity(),
                            a.hasInput() ? payloadText(a.getInput()) : null, runId));
                }
            }
        }
        Collections.reverse(runIds);
        return new AuditTrail(campaignId, runIds, annotations, signals, models);
    }

    private void check(String campaignId) {
        campaigns.record(KeyPolicy.checkId(campaignId, "campaignId"));
    }

    /** Replays through this build's UgaCampaign/UgaCycle code with the shared {@link HistoryReplayer}. */
    private static ReplayRun replayOne(String type, String workflowId, WorkflowExecutionHistory h) {
        Optional<String> mismatch = HistoryReplayer.firstMismatch(h);
        return new ReplayRun(type, workflowId, CampaignHistories.runId(h), h.getEvents().size(), mismatch.isEmpty(),
                mismatch.orElse(null));
    }

    private static String payloadText(Payloads p) {
        StringBuilder sb = new StringBuilder();
        p.getPayloadsList().forEach(x -> {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(x.getData().toStringUtf8());
        });
        return sb.toString();
    }

}
