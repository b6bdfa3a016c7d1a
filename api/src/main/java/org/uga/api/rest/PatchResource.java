package org.uga.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.identity.SecurityIdentity;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.uga.api.campaigns.CampaignService;
import org.uga.api.config.UgaConfig;
import org.uga.api.error.ApiProblem;
import org.uga.api.images.ImageChecks;
import org.uga.api.images.AnnotationUploads;
import org.uga.api.images.PolygonMask;
import org.uga.api.platform.Platform;
import org.uga.api.platform.Storage;
import org.uga.client.AnnotationClient;
import org.uga.imaging.annotations.AnnotationDocument;
import org.uga.imaging.annotations.AnnotationFormat;
import org.uga.api.security.KeyPolicy;
import org.uga.api.security.Roles;
import org.uga.workflows.model.AnnotationResult;
import org.uga.workflows.model.AnnotationSubmission;
import org.uga.workflows.model.CampaignStatus;
import org.uga.workflows.model.PatchState;
import org.uga.workflows.model.PatchStatus;

/**
 * A patch of a campaign's current cycle: its images for the annotator, and the annotator's corrected mask.
 * Annotators reach only patches assigned to them; coordinators and auditors may read every patch.
 */
@Path("/api/campaigns/{campaignId}/patches/{patchId}")
@Tag(name = "patches", description = "Patch images, predictions, uncertainty maps and annotations")
public class PatchResource {

    private static final Logger LOG = Logger.getLogger(PatchResource.class);
    private static final String PNG = "image/png";

    @Inject
    SecurityIdentity identity;

    @Inject
    CampaignService campaigns;

    @Inject
    Storage storage;

    @Inject
    UgaConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    Platform platform;

    public record SkipRequest(String reason) {
    }

    public static String maskKey(String campaignId, int cycle, String annotationId) {
        return org.uga.store.ObjectKeys.annotationMask(campaignId, cycle, annotationId);
    }

    @GET
    @Path("/image")
    @Produces(PNG)
    @RolesAllowed({Roles.ANNOTATOR, Roles.COORDINATOR, Roles.AUDITOR})
    @Operation(summary = "The patch image (PNG)")
    public Response image(@PathParam("campaignId") String campaignId, @PathParam("patchId") String patchId) {
        return png(readable(campaignId, patchId).imageKey(), "image of patch " + patchId);
    }

    @GET
    @Path("/prediction")
    @Produces(PNG)
    @RolesAllowed({Roles.ANNOTATOR, Roles.COORDINATOR, Roles.AUDITOR})
    @Operation(summary = "The current model's binary prediction for the patch (PNG), the annotator's starting mask")
    public Response prediction(@PathParam("campaignId") String campaignId, @PathParam("patchId") String patchId) {
        return png(readable(campaignId, patchId).predictionKey(), "prediction of patch " + patchId);
    }

    @GET
    @Path("/uncertainty")
    @Produces(PNG)
    @RolesAllowed({Roles.ANNOTATOR, Roles.COORDINATOR, Roles.AUDITOR})
    @Operation(summary = "The uncertainty map of the patch (gray PNG, brighter = more uncertain)")
    public Response uncertainty(@PathParam("campaignId") String campaignId, @PathParam("patchId") String patchId) {
        return png(readable(campaignId, patchId).uncertaintyKey(), "uncertainty map of patch " + patchId);
    }

    @GET
    @Path("/annotation")
    @Produces(PNG)
    @RolesAllowed({Roles.ANNOTATOR, Roles.COORDINATOR, Roles.AUDITOR})
    @Operation(summary = "The submitted mask of the patch (PNG, white = foreground)")
    public Response annotation(@PathParam("campaignId") String campaignId, @PathParam("patchId") String patchId) {
        PatchStatus p = readable(campaignId, patchId);
        if (p.maskKey() == null) {
            throw ApiProblem.notFound("no-annotation", "patch '" + patchId + "' has no submitted annotation (state " + p.state() + ")");
        }
        return png(p.maskKey(), "annotation of patch " + patchId);
    }

    @POST
    @Path("/annotation")
    @Consumes({PNG, MediaType.APPLICATION_JSON})
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ANNOTATOR)
    @Operation(summary = "Submit the corrected mask: a binary PNG of the patch size, or JSON {\"polygons\": [[[x,y],...],...]}",
            description = "Checked (format, size, binary) before anything is stored; then stored and sent to the campaign "
                    + "as update submitAnnotation. A rejected update deletes the stored mask and returns 409 with the reason. "
                    + "annotationId makes retries idempotent.")
    public AnnotationResult submit(@PathParam("campaignId") String campaignId, @PathParam("patchId") String patchId,
                                   @QueryParam("annotationId") String annotationId, @QueryParam("note") String note,
                                   @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                   @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
        Target t = target(campaignId, patchId, annotationId, note);
        long limit = config.upload().maxMaskBytes();
        Bodies.checkDeclaredLength(contentLength, limit, "the mask upload");
        byte[] data = Bodies.readLimited(body, limit, "the mask upload");
        ImageChecks.BinaryMask mask = decodeMask(contentType, data, t.patch().w(), t.patch().h());
        return deliver(campaignId, t, mask.toPng(), note);
    }

    @POST
    @Path("/annotation/file")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ANNOTATOR, Roles.COORDINATOR})
    @Operation(summary = "Submit the patch's mask as an annotation file: QuPath GeoJSON, ASAP XML or ImageScope XML",
            description = "The format is detected from the content (or given as ?format=geojson|asap|imagescope). "
                    + "?coordinates=patch (default): vertices are patch pixels; ?coordinates=image: vertices are pixels of the "
                    + "source image (the patch's x/y offset is subtracted). Polygons are rasterised server-side (holes and "
                    + "ASAP exclusion group _2 cut out, pixel centres inside = foreground) and submitted like a PNG mask. "
                    + "A malformed file gets a 400 naming the line/element; nothing is stored. Coordinators submit on "
                    + "behalf of the patch's assignee (recorded in the note).")
    public AnnotationResult submitFile(@PathParam("campaignId") String campaignId, @PathParam("patchId") String patchId,
                                       @QueryParam("annotationId") String annotationId, @QueryParam("note") String note,
                                       @QueryParam("format") String format, @QueryParam("coordinates") String coordinates,
                                       @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, InputStream body) {
        Target t = target(campaignId, patchId, annotationId, note);
        PatchStatus p = t.patch();
        boolean imageCoordinates = switch (coordinates == null ? "patch" : coordinates.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "", "patch" -> false;
            case "image" -> true;
            default -> throw ApiProblem.badRequest("invalid-coordinates", "coordinates must be 'patch' (vertices in patch pixels) "
                    + "or 'image' (vertices in pixels of source image " + p.imageId() + "), got '" + coordinates + "'");
        };
        AnnotationFormat explicit = null;
        if (format != null && !format.isBlank()) {
            try {
                explicit = AnnotationFormat.parse(format.trim());
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest("invalid-format", e.getMessage());
            }
        }
        long limit = config.upload().maxMaskBytes();
        Bodies.checkDeclaredLength(contentLength, limit, "the annotation file");
        byte[] data = Bodies.readLimited(body, limit, "the annotation file");
        AnnotationDocument doc = AnnotationUploads.parse(data, explicit);
        double offsetX = imageCoordinates ? p.x() : 0;
        double offsetY = imageCoordinates ? p.y() : 0;
        ImageChecks.BinaryMask mask = AnnotationUploads.rasterize(doc, p, offsetX, offsetY, imageCoordinates);
        String by = identity.getPrincipal().getName().equals(p.assignedTo()) ? null
                : "uploaded by coordinator " + identity.getPrincipal().getName();
        String fullNote = by == null ? note : (note == null || note.isBlank() ? by : by + ": " + note);
        return deliver(campaignId, t, mask.toPng(), fullNote);
    }

    /** The patch an annotation goes to, after the checks that need no body: ids, role/assignment, patch state. */
    private record Target(PatchStatus patch, String annotationId, boolean repeat) {
    }

    private Target target(String campaignId, String patchId, String annotationId, String note) {
        String user = identity.getPrincipal().getName();
        KeyPolicy.checkId(campaignId, "campaignId");
        KeyPolicy.checkId(patchId, "patchId");
        String id = annotationId == null || annotationId.isBlank() ? UUID.randomUUID().toString() : KeyPolicy.checkId(annotationId, "annotationId");
        if (note != null && note.length() > 2000) {
            throw ApiProblem.badRequest("note-too-long", "note is " + note.length() + " characters; at most 2000");
        }
        CampaignStatus status = campaigns.status(campaignId);
        PatchStatus p = CampaignService.patch(status, patchId);
        if (!user.equals(p.assignedTo()) && !identity.hasRole(Roles.COORDINATOR)) {
            throw ApiProblem.forbidden("patch '" + patchId + "' is not assigned to you");
        }
        boolean repeat = p.state() == PatchState.SUBMITTED && id.equals(p.annotationId());
        if (!repeat && p.state() != PatchState.ASSIGNED && p.state() != PatchState.OVERDUE) {
            throw ApiProblem.conflict("patch-closed", "patch '" + patchId + "' is " + p.state()
                    + (p.annotationId() != null ? " (annotation " + p.annotationId() + ")" : "") + " and takes no more annotations");
        }
        if (p.assignedTo() == null) {
            throw ApiProblem.conflict("patch-unassigned", "patch '" + patchId + "' has no assignee to submit for");
        }
        if (!repeat && storage.exists(maskKey(campaignId, p.cycle(), id))) {
            // Storing would overwrite the mask of another (accepted) annotation with this id.
            throw ApiProblem.conflict("annotation-id-used", "annotation id '" + id + "' is already used in cycle " + p.cycle()
                    + "; choose another annotationId");
        }
        return new Target(p, id, repeat);
    }

    /**
     * Sends a checked, normalised (0/255) mask PNG: a repeat of an accepted annotation id only asks the workflow for its
     * first result (nothing stored again); otherwise {@link AnnotationClient} checks it with the workers' rules, stores it
     * at {@code ObjectKeys.annotationMask}, sends {@code submitAnnotation} and removes the object on a rejection.
     */
    private AnnotationResult deliver(String campaignId, Target t, byte[] png, String note) {
        PatchStatus p = t.patch();
        String annotator = p.assignedTo();
        if (t.repeat()) {
            AnnotationSubmission again = new AnnotationSubmission(t.annotationId(), campaignId, p.cycle(), p.patchId(), annotator,
                    p.maskKey(), sha256(png), p.w(), p.h(), Instant.now(), note);
            try {
                return campaigns.stub(campaignId).submitAnnotation(again);
            } catch (WorkflowUpdateException e) {
                throw ApiProblem.conflict("annotation-rejected", "the campaign rejected the annotation: " + reason(e));
            }
        }
        try {
            return new AnnotationClient(platform.client(), platform.store()).submit(campaignId, p, annotator, t.annotationId(), png, note);
        } catch (AnnotationClient.AnnotationRejectedException e) {
            throw ApiProblem.conflict("annotation-rejected", "the campaign rejected the annotation: " + e.getMessage());
        } catch (RuntimeException e) {
            storage.deleteQuietly(maskKey(campaignId, p.cycle(), t.annotationId()));
            LOG.errorf(e, "submitAnnotation to %s failed", campaignId);
            throw new ApiProblem(503, "campaign-unavailable", "Service unavailable",
                    "the annotation could not be delivered to campaign '" + campaignId + "': " + e.getMessage());
        }
    }

    @POST
    @Path("/skip")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ANNOTATOR, Roles.COORDINATOR})
    @Operation(summary = "Skip an open patch with a reason (annotators: their own patches only)")
    public Response skip(@PathParam("campaignId") String campaignId, @PathParam("patchId") String patchId, SkipRequest req) {
        if (req == null || req.reason() == null || req.reason().isBlank()) {
            throw ApiProblem.badRequest("reason-required", "a non-empty 'reason' is required to skip a patch");
        }
        if (req.reason().length() > 2000) {
            throw ApiProblem.badRequest("reason-too-long", "reason is " + req.reason().length() + " characters; at most 2000");
        }
        KeyPolicy.checkId(campaignId, "campaignId");
        KeyPolicy.checkId(patchId, "patchId");
        CampaignStatus status = campaigns.status(campaignId);
        PatchStatus p = CampaignService.patch(status, patchId);
        if (!identity.hasRole(Roles.COORDINATOR) && !identity.getPrincipal().getName().equals(p.assignedTo())) {
            throw ApiProblem.forbidden("patch '" + patchId + "' is not assigned to you");
        }
        if (p.state() != PatchState.ASSIGNED && p.state() != PatchState.OVERDUE) {
            throw ApiProblem.conflict("patch-closed", "patch '" + patchId + "' is " + p.state() + " and cannot be skipped");
        }
        campaigns.stub(campaignId).skipPatch(patchId, identity.getPrincipal().getName() + ": " + req.reason().trim());
        return Response.accepted().build();
    }

    /** The patch, if this user may see it: its assignee, or any coordinator/auditor. */
    private PatchStatus readable(String campaignId, String patchId) {
        KeyPolicy.checkId(campaignId, "campaignId");
        KeyPolicy.checkId(patchId, "patchId");
        PatchStatus p = CampaignService.patch(campaigns.status(campaignId), patchId);
        boolean privileged = identity.hasRole(Roles.COORDINATOR) || identity.hasRole(Roles.AUDITOR);
        if (!privileged && !identity.getPrincipal().getName().equals(p.assignedTo())) {
            throw ApiProblem.forbidden("patch '" + patchId + "' is not assigned to you");
        }
        return p;
    }

    private Response png(String key, String what) {
        if (key == null) {
            throw ApiProblem.notFound("no-image", what + " was not stored");
        }
        byte[] bytes = storage.get(key).orElseThrow(() -> ApiProblem.notFound("no-image", what + " is missing from the object store"));
        return Response.ok(bytes, PNG).header("Cache-Control", "private, max-age=60").build();
    }

    private ImageChecks.BinaryMask decodeMask(String contentType, byte[] data, int w, int h) {
        String type = contentType == null ? "" : contentType.toLowerCase().split(";")[0].trim();
        if (type.equals(MediaType.APPLICATION_JSON)) {
            PolygonMask polygons;
            try {
                polygons = json.readValue(data, PolygonMask.class);
            } catch (JsonProcessingException e) {
                throw ApiProblem.badRequest("malformed-json", "the polygons body is not valid JSON of the form "
                        + "{\"polygons\": [[[x, y], ...], ...]}: " + e.getOriginalMessage());
            } catch (java.io.IOException e) {
                throw ApiProblem.badRequest("malformed-json", "the polygons body cannot be read: " + e.getMessage());
            }
            if (polygons == null) {
                throw ApiProblem.badRequest("malformed-json", "the polygons body is empty");
            }
            return polygons.rasterize(w, h);
        }
        return ImageChecks.verifyMaskPng(data, w, h);
    }

    static String reason(WorkflowUpdateException e) {
        Throwable c = e.getCause();
        while (c != null) {
            if (c instanceof ApplicationFailure af) {
                return af.getOriginalMessage();
            }
            c = c.getCause();
        }
        return e.getMessage();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
