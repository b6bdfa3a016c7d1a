package org.uga.api.campaigns;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.api.common.v1.WorkflowExecution;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.uga.api.error.ApiProblem;
import org.uga.api.platform.Platform;
import org.uga.api.platform.Storage;
import org.uga.infra.TemporalWorkers;
import org.uga.store.ObjectKeys;
import org.uga.workflows.TaskQueues;
import org.uga.workflows.UgaCampaign;
import org.uga.workflows.model.CampaignSpec;
import org.uga.workflows.model.CampaignStatus;
import org.uga.workflows.model.PatchStatus;
import org.uga.workflows.model.Phase;

/**
 * Starts campaigns, keeps the API's campaign index in the object store and reaches a campaign's workflow.
 * One API process owns the index (writes are serialised in this process).
 */
@Singleton
public class CampaignService {

    static final String INDEX_KEY = "campaigns/index.json";
    static final TypeReference<List<CampaignIndexEntry>> INDEX_TYPE = new TypeReference<>() {
    };

    @Inject
    Platform platform;

    @Inject
    Storage storage;

    private final ObjectMapper json = TemporalWorkers.newObjectMapper();
    /** Final statuses never change again: no need to replay a finished workflow for every list. */
    private final Map<String, CampaignStatus> finalStatus = new ConcurrentHashMap<>();

    public static String recordKey(String campaignId) {
        return ObjectKeys.campaign(campaignId);
    }

    /** Starts {@code UgaCampaign} for a valid spec and records it; 409 when the id is taken. */
    public synchronized CampaignRecord create(CampaignSpec spec, String user) {
        List<CampaignIndexEntry> index = index();
        if (index.stream().anyMatch(e -> e.campaignId().equals(spec.campaignId())) || storage.exists(recordKey(spec.campaignId()))) {
            throw ApiProblem.conflict("campaign-exists", "campaign id '" + spec.campaignId() + "' is already taken");
        }
        WorkflowClient client = platform.client();
        UgaCampaign stub = client.newWorkflowStub(UgaCampaign.class, WorkflowOptions.newBuilder()
                .setWorkflowId(spec.campaignId())
                .setTaskQueue(TaskQueues.WORKFLOWS)
                .build());
        WorkflowExecution exec;
        try {
            exec = WorkflowClient.start(stub::run, spec, null);
        } catch (WorkflowExecutionAlreadyStarted e) {
            throw ApiProblem.conflict("campaign-exists", "a workflow with id '" + spec.campaignId() + "' already exists in Temporal");
        }
        CampaignRecord rec = new CampaignRecord(spec.campaignId(), spec.title(), user, Instant.now(), UgaCampaign.TYPE,
                TaskQueues.WORKFLOWS, exec.getRunId(), spec);
        storage.putJson(recordKey(spec.campaignId()), rec);
        List<CampaignIndexEntry> next = new ArrayList<>(index);
        next.add(new CampaignIndexEntry(rec.campaignId(), rec.title(), rec.createdBy(), rec.createdAt()));
        storage.putJson(INDEX_KEY, next);
        return rec;
    }

    public List<CampaignIndexEntry> index() {
        return storage.getJson(INDEX_KEY, INDEX_TYPE).orElse(List.of()).stream()
                .sorted(Comparator.comparing(CampaignIndexEntry::createdAt)).toList();
    }

    /** The record of a campaign this API started; 404 otherwise. */
    public CampaignRecord record(String campaignId) {
        return storage.getJson(recordKey(campaignId), CampaignRecord.class)
                .orElseThrow(() -> ApiProblem.notFound("unknown-campaign", "no campaign with id '" + campaignId + "'"));
    }

    public UgaCampaign stub(String campaignId) {
        return platform.client().newWorkflowStub(UgaCampaign.class, campaignId);
    }

    /** The campaign's status query; 404 for unknown campaigns, 503 when Temporal cannot answer. */
    public CampaignStatus status(String campaignId) {
        record(campaignId);
        return statusOf(campaignId).orElseThrow(() -> new ApiProblem(503, "status-unavailable", "Service unavailable",
                "the workflow of campaign '" + campaignId + "' cannot be queried right now"));
    }

    /** The status, or empty when the workflow cannot be queried (e.g. no worker, or history gone). */
    public Optional<CampaignStatus> statusOf(String campaignId) {
        CampaignStatus cached = finalStatus.get(campaignId);
        if (cached != null) {
            return Optional.of(cached);
        }
        try {
            CampaignStatus s = stub(campaignId).status();
            if (s != null && isFinal(s.phase())) {
                finalStatus.put(campaignId, s);
            }
            return Optional.ofNullable(s);
        } catch (WorkflowNotFoundException | WorkflowServiceException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    public static boolean isFinal(Phase phase) {
        return phase == Phase.COMPLETED || phase == Phase.CANCELLED || phase == Phase.FAILED;
    }

    /** Whether the workflow still runs (signals to a closed workflow would fail). */
    public boolean running(String campaignId) {
        try {
            WorkflowStub s = platform.client().newUntypedWorkflowStub(campaignId);
            return s.describe().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A patch of the campaign's current cycle; 404 when the id is not there. */
    public static PatchStatus patch(CampaignStatus status, String patchId) {
        return status.patches().stream().filter(p -> p.patchId().equals(patchId)).findFirst()
                .orElseThrow(() -> ApiProblem.notFound("unknown-patch", "campaign '" + status.campaignId()
                        + "' has no patch '" + patchId + "' in its current cycle " + status.cycle()));
    }
}
