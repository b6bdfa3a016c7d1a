package org.uga.api.campaigns;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.uga.api.error.ApiProblem;
import org.uga.api.platform.Platform;
import org.uga.infra.TemporalWorkers;
import org.uga.workflows.activities.PatchDescriptor;
import org.uga.workflows.activities.SelectionRequest;
import org.uga.workflows.model.AnnotationSubmission;

/**
 * What a campaign's Temporal histories say, across continue-as-new runs: the runs themselves, the accepted
 * annotations (update {@code submitAnnotation}) and each cycle's selected patches (the {@code selectPatches}
 * activity results). The history is the campaign's durable record, so these are available for every past cycle.
 */
@Singleton
public class CampaignHistories {

    @Inject
    Platform platform;

    /** An accepted annotation as recorded in the history. */
    public record AcceptedAnnotation(AnnotationSubmission submission, Instant acceptedAt, String runId) {
    }

    public WorkflowExecutionHistory fetch(String workflowId, String runId) {
        try {
            return platform.client().fetchHistory(workflowId, runId);
        } catch (RuntimeException e) {
            throw ApiProblem.notFound("no-history", "no history for workflow '" + workflowId + "'"
                    + (runId != null ? " run " + runId : "") + ": " + e.getMessage());
        }
    }

    /** Oldest run first: follows continue-as-new links back from the latest run. */
    public List<WorkflowExecutionHistory> allRuns(String campaignId) {
        List<WorkflowExecutionHistory> runs = new ArrayList<>();
        WorkflowExecutionHistory h = fetch(campaignId, null);
        for (int guard = 0; h != null && guard < 1000; guard++) {
            runs.add(h);
            HistoryEvent first = h.getEvents().get(0);
            String previous = first.getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
            h = previous == null || previous.isEmpty() ? null : fetch(campaignId, previous);
        }
        Collections.reverse(runs);
        return runs;
    }

    /** Accepted {@code submitAnnotation} updates in order, first acceptance per annotation id. */
    public static List<AcceptedAnnotation> acceptedAnnotations(List<WorkflowExecutionHistory> runs) {
        DataConverter dc = TemporalWorkers.dataConverter();
        Map<String, AcceptedAnnotation> out = new LinkedHashMap<>();
        for (WorkflowExecutionHistory h : runs) {
            String runId = runId(h);
            for (HistoryEvent e : h.getEvents()) {
                if (e.getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
                    continue;
                }
                var req = e.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest().getInput();
                if (!"submitAnnotation".equals(req.getName()) || !req.hasArgs()) {
                    continue;
                }
                AnnotationSubmission s = dc.fromPayloads(0, Optional.of(req.getArgs()), AnnotationSubmission.class,
                        AnnotationSubmission.class);
                out.putIfAbsent(s.annotationId(), new AcceptedAnnotation(s, instant(e), runId));
            }
        }
        return new ArrayList<>(out.values());
    }

    /**
     * The patches selected for {@code cycle}: the result of the last completed {@code selectPatches} activity whose
     * request was for that cycle (a step retried after a pause completes again with the same patches). Empty when
     * the cycle has not selected yet.
     */
    public static Optional<List<PatchDescriptor>> selectedPatches(List<WorkflowExecutionHistory> runs, int cycle) {
        DataConverter dc = TemporalWorkers.dataConverter();
        List<PatchDescriptor> found = null;
        for (WorkflowExecutionHistory h : runs) {
            Map<Long, Integer> selectionCycleByEventId = new LinkedHashMap<>();
            for (HistoryEvent e : h.getEvents()) {
                if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
                    var a = e.getActivityTaskScheduledEventAttributes();
                    if (a.getActivityType().getName().equalsIgnoreCase("selectPatches") && a.hasInput()) {
                        SelectionRequest r = dc.fromPayloads(0, Optional.of(a.getInput()), SelectionRequest.class, SelectionRequest.class);
                        selectionCycleByEventId.put(e.getEventId(), r.cycle());
                    }
                } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
                    var a = e.getActivityTaskCompletedEventAttributes();
                    Integer c = selectionCycleByEventId.get(a.getScheduledEventId());
                    if (c != null && c == cycle && a.hasResult()) {
                        PatchDescriptor[] patches = dc.fromPayloads(0, Optional.of(a.getResult()), PatchDescriptor[].class,
                                PatchDescriptor[].class);
                        found = List.of(patches);
                    }
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The run id of a fetched history. A history fetched without a run id carries a placeholder
     * ({@code run_id_in_replay}); the started event's {@code originalExecutionRunId} is the run's own id then.
     */
    public static String runId(WorkflowExecutionHistory h) {
        String id = h.getWorkflowExecution().getRunId();
        if (id != null && !id.isEmpty() && !id.equals("run_id_in_replay")) {
            return id;
        }
        HistoryEvent first = h.getEvents().get(0);
        String original = first.getWorkflowExecutionStartedEventAttributes().getOriginalExecutionRunId();
        return original.isEmpty() ? id : original;
    }

    public static Instant instant(HistoryEvent e) {
        return Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos());
    }
}
