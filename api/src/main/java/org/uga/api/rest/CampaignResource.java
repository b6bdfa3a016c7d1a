package org.uga.api.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.uga.api.campaigns.CampaignIndexEntry;
import org.uga.api.campaigns.CampaignRecord;
import org.uga.api.campaigns.CampaignService;
import org.uga.api.campaigns.DatasetService;
import org.uga.api.error.ApiProblem;
import org.uga.api.security.KeyPolicy;
import org.uga.api.security.Roles;
import org.uga.workflows.model.CampaignSpec;
import org.uga.workflows.model.CampaignStatus;
import org.uga.workflows.model.CycleSummary;
import org.uga.workflows.model.ModelLineage;
import org.uga.workflows.model.PatchState;
import org.uga.workflows.model.PatchStatus;
import org.uga.workflows.model.Phase;

/** Campaigns: coordinators create and steer them; coordinators and auditors read them. */
@Path("/api/campaigns")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "campaigns", description = "Create, list, inspect and steer UGA campaigns")
public class CampaignResource {

    @Inject
    SecurityIdentity identity;

    @Inject
    CampaignService campaigns;

    @Inject
    DatasetService datasets;

    /** A row of the campaign list; phase/cycle come from the live status query (UNKNOWN when it cannot be asked). */
    public record CampaignSummary(String campaignId, String title, String createdBy, Instant createdAt, String phase,
                                  int cycle, int patchesTotal, int patchesDone, Double currentDice) {
    }

    public record CampaignDetail(String campaignId, String title, String createdBy, Instant createdAt, String runId,
                                 CampaignSpec spec, CampaignStatus status) {
    }

    public record DicePoint(int cycle, Double diceBefore, Double diceAfter, boolean accepted, String modelKey,
                            int patchesAnnotated, Instant finishedAt) {
    }

    public record CancelRequest(String reason) {
    }

    /** Either {@code hours} or an ISO-8601 duration {@code by} (e.g. "PT12H"). */
    public record ExtendRequest(Double hours, String by) {
    }

    public record ReassignRequest(String annotator) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(summary = "Create a campaign from a CampaignSpec and start its UgaCampaign workflow",
            description = "The spec is validated (every problem is listed), its object keys are checked (no '..', no other "
                    + "campaign's keys, the tiles must exist). 'coordinator' defaults to the caller.")
    public Response create(CampaignSpec spec) {
        if (spec == null) {
            throw ApiProblem.badRequest("spec-required", "the request body must be a campaign spec (JSON)");
        }
        String user = identity.getPrincipal().getName();
        if (spec.coordinator() == null || spec.coordinator().isBlank()) {
            spec = new CampaignSpec(spec.campaignId(), spec.title(), user, spec.modelSource(), spec.localData(),
                    spec.patchBudget(), spec.patchSize(), spec.strategy(), spec.uncertainty(), spec.maxCycles(),
                    spec.stopRules(), spec.annotators(), spec.annotationPolicy(), spec.fineTune(), spec.continueAsNewEvery(),
                    spec.seed());
        }
        List<String> problems = new ArrayList<>(spec.validate());
        if (problems.isEmpty()) {
            problems.addAll(datasets.checkSpecData(spec));
        }
        if (!problems.isEmpty()) {
            throw new ApiProblem(400, "invalid-campaign-spec", "Bad request",
                    "the campaign spec is invalid: " + String.join("; ", problems), java.util.Map.of("problems", problems));
        }
        CampaignRecord rec = campaigns.create(spec, user);
        return Response.created(URI.create("/api/campaigns/" + rec.campaignId()))
                .entity(new CampaignDetail(rec.campaignId(), rec.title(), rec.createdBy(), rec.createdAt(), rec.runId(), rec.spec(), null))
                .build();
    }

    @GET
    @RolesAllowed({Roles.COORDINATOR, Roles.AUDITOR})
    @Operation(summary = "Every campaign this API started, oldest first, with its live phase and progress")
    public List<CampaignSummary> list() {
        List<CampaignSummary> out = new ArrayList<>();
        for (CampaignIndexEntry e : campaigns.index()) {
            CampaignStatus s = campaigns.statusOf(e.campaignId()).orElse(null);
            if (s == null) {
                out.add(new CampaignSummary(e.campaignId(), e.title(), e.createdBy(), e.createdAt(), "UNKNOWN", 0, 0, 0, null));
            } else {
                out.add(new CampaignSummary(e.campaignId(), e.title(), e.createdBy(), e.createdAt(), s.phase().name(), s.cycle(),
                        s.patches().size(), (int) s.patches().stream().filter(p -> p.state() == PatchState.SUBMITTED).count(),
                        s.currentDice()));
            }
        }
        return out;
    }

    @GET
    @Path("/{campaignId}")
    @RolesAllowed({Roles.COORDINATOR, Roles.AUDITOR})
    @Operation(summary = "A campaign's spec and live status (phase, cycle, patches, Dice per cycle, lineage)")
    public CampaignDetail get(@PathParam("campaignId") String campaignId) {
        CampaignRecord rec = campaigns.record(KeyPolicy.checkId(campaignId, "campaignId"));
        return new CampaignDetail(rec.campaignId(), rec.title(), rec.createdBy(), rec.createdAt(), rec.runId(), rec.spec(),
                campaigns.statusOf(campaignId).orElse(null));
    }

    @GET
    @Path("/{campaignId}/status")
    @RolesAllowed({Roles.COORDINATOR, Roles.AUDITOR})
    @Operation(summary = "The status query of the campaign's workflow")
    public CampaignStatus status(@PathParam("campaignId") String campaignId) {
        return campaigns.status(KeyPolicy.checkId(campaignId, "campaignId"));
    }

    @GET
    @Path("/{campaignId}/dice")
    @RolesAllowed({Roles.COORDINATOR, Roles.AUDITOR})
    @Operation(summary = "Validation Dice before and after fine-tuning, per finished cycle")
    public List<DicePoint> dice(@PathParam("campaignId") String campaignId) {
        CampaignStatus s = campaigns.status(KeyPolicy.checkId(campaignId, "campaignId"));
        List<DicePoint> out = new ArrayList<>();
        for (CycleSummary c : s.cycles()) {
            out.add(new DicePoint(c.cycle(), c.diceBefore(), c.diceAfter(), c.accepted(), c.modelKey(), c.patchesAnnotated(), c.finishedAt()));
        }
        return out;
    }

    @GET
    @Path("/{campaignId}/lineage")
    @RolesAllowed({Roles.COORDINATOR, Roles.AUDITOR})
    @Operation(summary = "Model lineage: each model, its parent, the annotations and config that built it, its Dice")
    public List<ModelLineage> lineage(@PathParam("campaignId") String campaignId) {
        return campaigns.status(KeyPolicy.checkId(campaignId, "campaignId")).lineage();
    }

    @POST
    @Path("/{campaignId}/pause")
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(summary = "Pause at the next step boundary")
    public Response pause(@PathParam("campaignId") String campaignId) {
        runningStub(campaignId).pause();
        return Response.accepted().build();
    }

    @POST
    @Path("/{campaignId}/resume")
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(summary = "Resume a paused campaign")
    public Response resume(@PathParam("campaignId") String campaignId) {
        runningStub(campaignId).resume();
        return Response.accepted().build();
    }

    @POST
    @Path("/{campaignId}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(summary = "Cancel: finish the current step, keep all data")
    public Response cancel(@PathParam("campaignId") String campaignId, CancelRequest req) {
        String reason = req == null || req.reason() == null || req.reason().isBlank() ? "cancelled by " + identity.getPrincipal().getName()
                : identity.getPrincipal().getName() + ": " + req.reason().trim();
        runningStub(campaignId).cancel(reason);
        return Response.accepted().build();
    }

    @POST
    @Path("/{campaignId}/extend")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(summary = "Move the open patches' deadlines later by {\"hours\": n} or {\"by\": \"PT12H\"}")
    public Response extend(@PathParam("campaignId") String campaignId, ExtendRequest req) {
        Duration by = extension(req);
        runningStub(campaignId).extendDeadline(by);
        return Response.accepted().build();
    }

    @POST
    @Path("/{campaignId}/patches/{patchId}/reassign")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(summary = "Give an open patch to another annotator (with a fresh deadline)")
    public Response reassign(@PathParam("campaignId") String campaignId, @PathParam("patchId") String patchId, ReassignRequest req) {
        if (req == null || req.annotator() == null || req.annotator().isBlank()) {
            throw ApiProblem.badRequest("annotator-required", "'annotator' is required");
        }
        KeyPolicy.checkId(patchId, "patchId");
        CampaignStatus s = campaigns.status(KeyPolicy.checkId(campaignId, "campaignId"));
        PatchStatus p = CampaignService.patch(s, patchId);
        if (p.state() != PatchState.ASSIGNED && p.state() != PatchState.OVERDUE) {
            throw ApiProblem.conflict("patch-closed", "patch '" + patchId + "' is " + p.state() + " and cannot be reassigned");
        }
        CampaignRecord rec = campaigns.record(campaignId);
        if (!rec.spec().annotators().contains(req.annotator())) {
            throw ApiProblem.unprocessable("unknown-annotator", "'" + req.annotator() + "' is not an annotator of campaign '"
                    + campaignId + "' (annotators: " + rec.spec().annotators() + ")");
        }
        runningStub(campaignId).reassignPatch(patchId, req.annotator());
        return Response.accepted().build();
    }

    static Duration extension(ExtendRequest req) {
        if (req == null || (req.hours() == null && req.by() == null)) {
            throw ApiProblem.badRequest("extension-required", "give {\"hours\": n} or {\"by\": \"PT12H\"}");
        }
        Duration by;
        if (req.by() != null) {
            try {
                by = Duration.parse(req.by());
            } catch (DateTimeParseException e) {
                throw ApiProblem.badRequest("invalid-duration", "'by' must be an ISO-8601 duration such as PT12H or P2D, got '" + req.by() + "'");
            }
        } else {
            if (!Double.isFinite(req.hours())) {
                throw ApiProblem.badRequest("invalid-duration", "'hours' must be a number");
            }
            by = Duration.ofSeconds(Math.round(req.hours() * 3600));
        }
        if (by.isNegative() || by.isZero() || by.compareTo(Duration.ofDays(365)) > 0) {
            throw ApiProblem.badRequest("invalid-duration", "the extension must be positive and at most 365 days, got " + by);
        }
        return by;
    }

    private org.uga.workflows.UgaCampaign runningStub(String campaignId) {
        KeyPolicy.checkId(campaignId, "campaignId");
        campaigns.record(campaignId);
        if (!campaigns.running(campaignId)) {
            Phase phase = campaigns.statusOf(campaignId).map(CampaignStatus::phase).orElse(null);
            throw ApiProblem.conflict("campaign-closed", "campaign '" + campaignId + "' is no longer running"
                    + (phase != null ? " (" + phase + ")" : ""));
        }
        return campaigns.stub(campaignId);
    }
}
