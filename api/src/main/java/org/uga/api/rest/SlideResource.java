package org.uga.api.rest;

import io.quarkus.security.identity.SecurityIdentity;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.uga.api.campaigns.DatasetService;
import org.uga.api.campaigns.PoolCandidates;
import org.uga.api.campaigns.SlideCatalog;
import org.uga.api.campaigns.DatasetService.Kind;
import org.uga.api.campaigns.DatasetService.SlideEntry;
import org.uga.api.config.UgaConfig;
import org.uga.api.error.ApiProblem;
import org.uga.api.images.ImageChecks;
import org.uga.api.images.ImageFormat;
import org.uga.api.platform.Storage;
import org.uga.api.security.KeyPolicy;
import org.uga.api.security.Roles;

/** Coordinators bring slides/tiles into the object store: upload (checked) or register existing keys. */
@Path("/api/slides")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "slides", description = "Upload or register slides/tiles for campaigns")
public class SlideResource {

    @Inject
    SecurityIdentity identity;

    @Inject
    DatasetService datasets;

    @Inject
    Storage storage;

    @Inject
    UgaConfig config;

    @Inject
    PoolCandidates pool;

    @Inject
    SlideCatalog slideCatalog;

    public record RegisterRequest(List<String> keys) {
    }

    @POST
    @Consumes({"image/png", "image/tiff", "image/jpeg", MediaType.APPLICATION_OCTET_STREAM})
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(summary = "Upload a tile (PNG, TIFF or JPEG; the body is the file) as datasets/<dataset>/images|masks/<id>.png, or with kind=slide a whole slide as slides/<id>/original.<ext>",
            description = "The body is streamed to a temporary file with a size limit (uga.upload.max-bytes), recognised by "
                    + "its magic bytes and fully decoded; TIFF/JPEG are stored as PNG, the format campaigns read. Masks must be binary.")
    public Response upload(@QueryParam("dataset") String dataset, @QueryParam("id") String tileId,
                           @QueryParam("kind") String kind, @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
                           InputStream body) {
        KeyPolicy.checkId(tileId, "id");
        if ("slide".equalsIgnoreCase(kind)) {
            return uploadSlide(tileId, contentLength, body);
        }
        DatasetService.checkDataset(dataset);
        Kind k = kind(kind);
        long limit = config.upload().maxBytes();
        Bodies.checkDeclaredLength(contentLength, limit, "the upload");
        java.nio.file.Path tmp = Bodies.spoolLimited(body, limit, "the upload");
        try {
            ImageChecks.DecodedInfo info = ImageChecks.verifyImageFile(tmp, "the upload");
            String key = DatasetService.tileKey(dataset, tileId, k);
            long bytes;
            if (k == Kind.MASK) {
                byte[] png = ImageChecks.verifyMaskPng(asPng(tmp, info), info.width(), info.height()).toPng();
                storage.put(key, png, "image/png");
                bytes = png.length;
            } else if (info.format() == ImageFormat.PNG) {
                storage.putFile(key, tmp, "image/png");
                bytes = Files.size(tmp);
            } else {
                byte[] png = asPng(tmp, info);
                storage.put(key, png, "image/png");
                bytes = png.length;
            }
            SlideEntry entry = new SlideEntry(key, dataset, tileId, k.name().toLowerCase(), info.format().name(), info.width(),
                    info.height(), bytes, identity.getPrincipal().getName(), Instant.now(), true, null);
            datasets.record(entry);
            return Response.created(URI.create("/api/slides")).entity(entry).build();
        } catch (IOException e) {
            throw new IllegalStateException("upload buffer unreadable", e);
        } finally {
            Bodies.deleteQuietly(tmp);
        }
    }

    /**
     * A whole-slide image kept as uploaded (streamed, never decoded in full) at {@code slides/<id>/original.<ext>},
     * checked with the reader the scoring activity uses; the key is a pool entry for campaigns.
     */
    private Response uploadSlide(String slideId, String contentLength, InputStream body) {
        if (slideId.contains("@")) {
            throw ApiProblem.badRequest("invalid-id", "id '" + slideId + "' must not contain '@' (slide window ids use it)");
        }
        long limit = config.upload().maxBytes();
        Bodies.checkDeclaredLength(contentLength, limit, "the upload");
        java.nio.file.Path tmp = Bodies.spoolLimited(body, limit, "the upload");
        try {
            ImageChecks.SlideCheck check = ImageChecks.verifySlideFile(tmp, "the slide");
            ImageFormat format = check.format();
            String key = org.uga.store.ObjectKeys.slide(slideId, "original." + format.extension());
            storage.putFile(key, tmp, format.mediaType());
            SlideEntry entry = new SlideEntry(key, null, slideId, "slide", format.name(), check.info().width(),
                    check.info().height(), Files.size(tmp), identity.getPrincipal().getName(), Instant.now(), true,
                    check.info().levelCount());
            datasets.record(entry);
            return Response.created(URI.create("/api/slides")).entity(entry).build();
        } catch (IOException e) {
            throw new IllegalStateException("upload buffer unreadable", e);
        } finally {
            Bodies.deleteQuietly(tmp);
        }
    }

    @POST
    @Path("/register")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(summary = "Register objects already in the bucket (keys checked: no '..', not another campaign's, must exist and be an image)")
    public List<SlideEntry> register(RegisterRequest req) {
        if (req == null || req.keys() == null || req.keys().isEmpty()) {
            throw ApiProblem.badRequest("keys-required", "'keys' must list at least one object key");
        }
        if (req.keys().size() > 10_000) {
            throw ApiProblem.badRequest("too-many-keys", "at most 10000 keys per request");
        }
        String user = identity.getPrincipal().getName();
        // Check all keys first: a request with one bad key registers nothing.
        List<SlideEntry> entries = new ArrayList<>();
        for (String key : req.keys()) {
            entries.add(datasets.inspectExisting(key, user));
        }
        entries.forEach(datasets::record);
        return entries;
    }

    @GET
    @RolesAllowed({Roles.COORDINATOR, Roles.AUDITOR})
    @Operation(summary = "Slides/tiles uploaded or registered so far")
    public List<SlideEntry> list() {
        return datasets.registry();
    }

    @GET
    @Path("/candidates")
    @RolesAllowed({Roles.COORDINATOR, Roles.AUDITOR})
    @Operation(summary = "What can go into a campaign's pool (localData.tileIds): dataset tiles and stored whole slides",
            description = "Tiles: datasets/<dataset>/images/<id>.png (pool entry = the id, localData.datasetPrefix = the "
                    + "dataset; hasMask: usable as a validation tile). Slides: every slides/<slideId>/<file> (pool entry = "
                    + "the key), described with ranged reads of its TIFF header and directories (width/height of level 0, "
                    + "levels), with a previewUrl; an object that does not open as a slide is listed with usable=false "
                    + "and the reader's problem. ?dataset= limits the tiles to one dataset.")
    public List<PoolCandidates.PoolCandidate> candidates(@QueryParam("dataset") String dataset) {
        return pool.list(dataset == null || dataset.isBlank() ? null : dataset);
    }

    @GET
    @Path("/{slideId}/{file}/preview")
    @Produces("image/png")
    @RolesAllowed({Roles.COORDINATOR, Roles.AUDITOR})
    @Operation(summary = "A PNG preview of the stored slide slides/<slideId>/<file>, longest side at most 512 px",
            description = "Read from the coarsest pyramid level that still has 512 px (only that level's tiles are fetched) "
                    + "and scaled down. 404 when there is no such object, 422 when it does not open as a slide.")
    public Response preview(@PathParam("slideId") String slideId, @PathParam("file") String file) {
        KeyPolicy.checkId(slideId, "slideId");
        KeyPolicy.checkId(file, "file");
        String key = org.uga.store.ObjectKeys.slide(slideId, file);
        if (SlideCatalog.parts(key).isEmpty()) {
            throw ApiProblem.badRequest("invalid-key", "'" + key + "' is not a slide key (slides/<slideId>/<file>, no '@')");
        }
        return Response.ok(slideCatalog.preview(key), "image/png").header("Cache-Control", "private, max-age=300").build();
    }

    private static Kind kind(String kind) {
        if (kind == null || kind.isBlank() || kind.equalsIgnoreCase("image")) {
            return Kind.IMAGE;
        }
        if (kind.equalsIgnoreCase("mask")) {
            return Kind.MASK;
        }
        throw ApiProblem.badRequest("invalid-kind", "kind must be 'image', 'mask' or 'slide', got '" + kind + "'");
    }

    private static byte[] asPng(java.nio.file.Path file, ImageChecks.DecodedInfo info) throws IOException {
        if (info.format() == ImageFormat.PNG) {
            return Files.readAllBytes(file);
        }
        var img = ImageIO.read(file.toFile());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
