package org.uga.api.rest;

import io.temporal.common.WorkflowExecutionHistory;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.uga.activities.SlideScoring;
import org.uga.api.campaigns.CampaignHistories;
import org.uga.api.campaigns.CampaignService;
import org.uga.api.error.ApiProblem;
import org.uga.api.platform.Storage;
import org.uga.api.security.KeyPolicy;
import org.uga.api.security.Roles;
import org.uga.imaging.annotations.Annotation;
import org.uga.imaging.annotations.AnnotationFiles;
import org.uga.imaging.annotations.AnnotationFormat;
import org.uga.imaging.annotations.MaskVectorizer;
import org.uga.imaging.annotations.Polygon;
import org.uga.ml.data.Images;
import org.uga.workflows.activities.PatchDescriptor;
import org.uga.workflows.model.AnnotationSubmission;

/**
 * A cycle's selected patches and submitted annotations as QuPath GeoJSON, ASAP XML or ImageScope XML, in the
 * coordinates of each source image (the patch rectangle at its x/y; masks vectorised and placed at the patch), so
 * the file opens as annotations over that image in QuPath or ASAP. Patches of whole-slide windows are placed in
 * the slide's level-0 pixels and filed under the slide ({@link Placement}).
 */
@Path("/api/campaigns/{campaignId}/cycles/{cycle}/annotations")
@Tag(name = "exports", description = "Annotation exports for QuPath and ASAP")
public class ExportResource {

    /** Class names in the exported files. */
    public static final String PATCH_CLASS = "UGA patch";
    public static final String ANNOTATION_CLASS = "UGA annotation";
    private static final int PATCH_COLOR = 0xFFC800;
    private static final int ANNOTATION_COLOR = 0x00A0FF;

    @Inject
    CampaignService campaigns;

    @Inject
    CampaignHistories histories;

    @Inject
    Storage storage;

    @GET
    @Produces({"application/geo+json", "application/xml", "application/zip"})
    @RolesAllowed({Roles.COORDINATOR, Roles.AUDITOR})
    @Operation(summary = "Export a cycle's selected patches and submitted annotations (format=geojson|asap|imagescope)",
            description = "With imageId: one file for that source image. Without: a zip with one file per source image "
                    + "(<imageId>.geojson | <imageId>.asap.xml | <imageId>.imagescope.xml). Patches are rectangles of class '"
                    + PATCH_CLASS + "' named by patch id; annotations are the vectorised masks, class '" + ANNOTATION_CLASS
                    + "', named '<annotationId> by <annotator>'. Coordinates are pixels of the source image; patches of "
                    + "whole-slide windows are in level-0 pixels of the slide, filed under imageId <slideId>@<file>.")
    public Response export(@PathParam("campaignId") String campaignId, @PathParam("cycle") int cycle,
                           @QueryParam("format") String format, @QueryParam("imageId") String imageId) {
        KeyPolicy.checkId(campaignId, "campaignId");
        campaigns.record(campaignId);
        if (cycle < 1) {
            throw ApiProblem.badRequest("invalid-cycle", "cycle must be 1 or more, got " + cycle);
        }
        AnnotationFormat f;
        try {
            f = AnnotationFormat.parse(format == null || format.isBlank() ? "geojson" : format.trim());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("invalid-format", e.getMessage());
        }
        List<WorkflowExecutionHistory> runs = histories.allRuns(campaignId);
        List<PatchDescriptor> patches = CampaignHistories.selectedPatches(runs, cycle).orElseThrow(() -> ApiProblem.notFound(
                "no-cycle", "campaign '" + campaignId + "' has selected no patches for cycle " + cycle + " (yet)"));
        Map<String, PatchDescriptor> byId = new TreeMap<>();
        patches.forEach(p -> byId.put(p.patchId(), p));
        Map<String, List<Annotation>> byImage = new TreeMap<>();
        for (PatchDescriptor p : patches) {
            Placement at = Placement.of(p);
            byImage.computeIfAbsent(at.imageId(), k -> new ArrayList<>()).add(new Annotation(p.patchId(), PATCH_CLASS,
                    List.of(Polygon.rectangle(at.x(), at.y(), p.w(), p.h())), PATCH_COLOR));
        }
        for (CampaignHistories.AcceptedAnnotation a : CampaignHistories.acceptedAnnotations(runs)) {
            AnnotationSubmission s = a.submission();
            PatchDescriptor p = byId.get(s.patchId());
            if (s.cycle() != cycle || p == null) {
                continue;
            }
            Placement at = Placement.of(p);
            List<Polygon> polygons = MaskVectorizer.vectorize(mask(s), p.w(), p.h(),
                    MaskVectorizer.Options.exact().withPlacement(at.x(), at.y(), 1));
            if (!polygons.isEmpty()) { // an all-background mask has no outline to draw
                byImage.get(at.imageId()).add(new Annotation(s.annotationId() + " by " + s.annotator(), ANNOTATION_CLASS,
                        polygons, ANNOTATION_COLOR));
            }
        }
        String base = campaignId + "-cycle" + cycle;
        if (imageId != null && !imageId.isBlank()) {
            List<Annotation> annotations = byImage.get(imageId);
            if (annotations == null) {
                throw ApiProblem.notFound("unknown-image", "cycle " + cycle + " of campaign '" + campaignId
                        + "' selected no patch in image '" + imageId + "'; images: " + byImage.keySet());
            }
            return Response.ok(write(f, annotations), f == AnnotationFormat.GEOJSON ? "application/geo+json" : "application/xml")
                    .header("Content-Disposition", "attachment; filename=\"" + base + "-" + imageId + suffix(f) + "\"").build();
        }
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (Map.Entry<String, List<Annotation>> e : byImage.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey() + suffix(f)));
                z.write(write(f, e.getValue()));
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException("zip export failed", e);
        }
        return Response.ok(zip.toByteArray(), "application/zip")
                .header("Content-Disposition", "attachment; filename=\"" + base + "-" + f.name().toLowerCase() + ".zip\"").build();
    }

    /**
     * Where a patch goes in the export: a dataset tile's patch at its x/y in that tile; a slide window's patch in
     * the whole slide's level-0 pixels (window origin + patch offset), filed under the slide's image id
     * ({@code <slideId>@<file>}), so all of a slide's patches open together over the slide in QuPath or ASAP.
     */
    record Placement(String imageId, int x, int y) {

        static Placement of(PatchDescriptor p) {
            if (SlideScoring.SlideWindow.isWindowId(p.imageId())) {
                SlideScoring.SlideWindow w = SlideScoring.SlideWindow.parse(p.imageId());
                return new Placement(SlideScoring.imageId(w.slideKey()), w.x() + p.x(), w.y() + p.y());
            }
            return new Placement(p.imageId(), p.x(), p.y());
        }
    }

    static String suffix(AnnotationFormat f) {
        return switch (f) {
            case GEOJSON -> ".geojson";
            case ASAP -> ".asap.xml";
            case IMAGESCOPE -> ".imagescope.xml";
        };
    }

    private byte[] mask(AnnotationSubmission s) {
        byte[] png = storage.get(s.maskKey()).orElseThrow(() -> new ApiProblem(500, "mask-missing", "Internal error",
                "the mask of accepted annotation " + s.annotationId() + " is missing from the object store: " + s.maskKey()));
        try {
            BufferedImage img = Images.read(png, s.maskKey());
            return Images.toMask(img, s.maskKey());
        } catch (IOException e) {
            throw new ApiProblem(500, "mask-unreadable", "Internal error", "the mask " + s.maskKey() + " cannot be read: " + e.getMessage());
        }
    }

    private static byte[] write(AnnotationFormat f, List<Annotation> annotations) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            AnnotationFiles.write(f, annotations, out);
        } catch (IOException e) {
            throw new IllegalStateException("writing " + f + " failed", e);
        }
        return out.toByteArray();
    }
}
