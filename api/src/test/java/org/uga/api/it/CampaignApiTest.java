package org.uga.api.it;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.uga.api.it.Fixture.as;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.uga.api.images.TestImages;
import org.uga.api.rest.ExportResource;
import org.uga.imaging.annotations.Annotation;
import org.uga.imaging.annotations.AnnotationDocument;
import org.uga.imaging.annotations.AnnotationFiles;
import org.uga.imaging.annotations.AnnotationFormat;
import org.uga.imaging.annotations.PolygonRasterizer;
import org.uga.ml.data.Images;
import org.uga.api.platform.Storage;
import org.uga.store.ObjectKeys;
import org.uga.store.ObjectStore;

/**
 * One real campaign (UgaCampaign on the embedded Temporal server, patches in the embedded S3) driven through the
 * API: annotator queue and patch access, every bad submission (with nothing stored or signalled), accepted and
 * repeated submissions, polygons, skip, coordinator signals, auditors' history/replay/audit. Steps run in order.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CampaignApiTest {

    static final String ID = "api-flow";
    static final int BUDGET = 6;

    @Inject
    WorkflowClient client;

    @Inject
    ObjectStore store;

    @Inject
    Storage storage;

    static JsonPath started;

    @BeforeEach
    void campaign() {
        if (started == null) {
            started = Fixture.startAndAwaitAnnotating(ID, List.of("alice", "bob"), BUDGET, 1);
        }
    }

    static String patchOf(String user, int index) {
        return (String) Fixture.openPatchesOf(Fixture.status(ID), user).get(index).get("patchId");
    }

    static String base(String patchId) {
        return "/api/campaigns/" + ID + "/patches/" + patchId;
    }

    /** Accepted updates and signals in the campaign's history: a rejected request must add none. */
    long interactions() {
        WorkflowExecutionHistory h = client.fetchHistory(ID);
        return h.getEvents().stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
                || e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED).count();
    }

    List<String> storedAnnotations() {
        return storage.list(ObjectKeys.cyclePrefix(ID, 1) + "annotations/");
    }

    @Test
    @Order(1)
    void campaignIsListedAndQueuesShowOwnPatches() {
        as("coord").get("/api/campaigns").then().statusCode(200).body("campaignId", hasItem(ID));
        as("audit").get("/api/campaigns/" + ID).then().statusCode(200).body("spec.patchBudget", equalTo(BUDGET))
                .body("status.phase", equalTo("ANNOTATING"));
        as("alice").get("/api/me/queue").then().statusCode(200).body("campaignId", everyItem(equalTo(ID)))
                .body("size()", org.hamcrest.Matchers.greaterThan(0)).body("[0].deadline", org.hamcrest.Matchers.notNullValue());
        List<String> alices = as("alice").get("/api/me/queue").jsonPath().getList("patchId");
        List<String> bobs = as("bob").get("/api/me/queue").jsonPath().getList("patchId");
        assertEquals(BUDGET, alices.size() + bobs.size());
        assertTrue(alices.stream().noneMatch(bobs::contains));
        // Campaigns exist in the object store index.
        assertTrue(storage.exists(ObjectKeys.campaign(ID)));
    }

    @Test
    @Order(2)
    void annotatorsSeeOnlyTheirPatches() {
        String alices = patchOf("alice", 0);
        for (String kind : List.of("image", "prediction", "uncertainty")) {
            byte[] png = as("alice").get(base(alices) + "/" + kind).then().statusCode(200).contentType("image/png").extract().asByteArray();
            assertTrue(png.length > 8);
            as("bob").get(base(alices) + "/" + kind).then().statusCode(403).contentType("application/problem+json")
                    .body("detail", containsString("not assigned to you"));
            as("audit").get(base(alices) + "/" + kind).then().statusCode(200);
        }
        as("alice").get(base("no-such-patch") + "/image").then().statusCode(404).body("detail", containsString("no-such-patch"));
    }

    @Test
    @Order(3)
    void badSubmissionsAreRejectedWithoutStoringOrSignalling() {
        String p = patchOf("alice", 0);
        long before = interactions();
        int n = Fixture.PATCH;
        // someone else's patch
        as("bob").contentType("image/png").body(TestImages.grayMask(n, n, 255)).post(base(p) + "/annotation")
                .then().statusCode(403).body("detail", containsString("not assigned to you"));
        // unknown patch
        as("alice").contentType("image/png").body(TestImages.grayMask(n, n, 255)).post(base("nope") + "/annotation")
                .then().statusCode(404).body("type", equalTo("/problems/unknown-patch"));
        // wrong size
        as("alice").contentType("image/png").body(TestImages.grayMask(n + 1, n, 255)).post(base(p) + "/annotation")
                .then().statusCode(422).body("detail", containsString("but the patch is " + n + "x" + n));
        // non-binary
        as("alice").contentType("image/png").body(TestImages.gradient(n, n)).post(base(p) + "/annotation")
                .then().statusCode(422).body("type", equalTo("/problems/mask-not-binary"));
        // not an image / not PNG
        as("alice").contentType("image/png").body("hello".getBytes()).post(base(p) + "/annotation")
                .then().statusCode(415).body("detail", containsString("not an image"));
        as("alice").contentType("image/png").body(TestImages.rgb(n, n, "jpeg")).post(base(p) + "/annotation")
                .then().statusCode(415).body("detail", containsString("PNG"));
        // oversized (limit 1 MB in tests)
        as("alice").contentType("image/png").body(new byte[1_000_001]).post(base(p) + "/annotation")
                .then().statusCode(413).body("detail", containsString("limit"));
        // malformed polygons JSON, polygon outside the patch
        as("alice").contentType("application/json").body("{\"polygons\": [[[1,2],").post(base(p) + "/annotation")
                .then().statusCode(400).body("type", equalTo("/problems/malformed-json"));
        as("alice").contentType("application/json").body(Map.of("polygons", List.of(List.of(List.of(0, 0), List.of(500, 0), List.of(0, 5)))))
                .post(base(p) + "/annotation").then().statusCode(422).body("detail", containsString("outside"));
        // path traversal in the annotation id
        as("alice").contentType("image/png").body(TestImages.grayMask(n, n, 255)).queryParam("annotationId", "../../x")
                .post(base(p) + "/annotation").then().statusCode(400).body("type", equalTo("/problems/path-traversal"));
        // wrong role
        as("audit").contentType("image/png").body(TestImages.grayMask(n, n, 255)).post(base(p) + "/annotation").then().statusCode(403);

        assertEquals(before, interactions(), "a rejected request must not reach the workflow");
        assertTrue(storedAnnotations().isEmpty(), "nothing may be stored for rejected requests: " + storedAnnotations());
        assertEquals("ASSIGNED", Fixture.openPatchesOf(Fixture.status(ID), "alice").get(0).get("state"));
    }

    @Test
    @Order(4)
    void validPngSubmissionIsStoredAndAcceptedAndIdempotent() {
        String p = patchOf("alice", 0);
        int n = Fixture.PATCH;
        byte[] mask = TestImages.grayMask(n, n, 255);
        as("alice").contentType("image/png").body(mask).queryParam("annotationId", "ann-1").queryParam("note", "fixed edges")
                .post(base(p) + "/annotation").then().statusCode(200).body("status", equalTo("ACCEPTED"))
                .body("patchId", equalTo(p));
        String key = ObjectKeys.annotationMask(ID, 1, "ann-1");
        assertTrue(storage.exists(key));
        JsonPath s = Fixture.status(ID);
        Map<String, Object> patch = s.<Map<String, Object>>getList("patches").stream().filter(x -> p.equals(x.get("patchId"))).findFirst().orElseThrow();
        assertEquals("SUBMITTED", patch.get("state"));
        assertEquals(key, patch.get("maskKey"));
        // Same annotation id again: the first result, nothing new stored.
        as("alice").contentType("image/png").body(mask).queryParam("annotationId", "ann-1").post(base(p) + "/annotation")
                .then().statusCode(200).body("annotationId", equalTo("ann-1"));
        assertEquals(1, storedAnnotations().stream().filter(k -> k.endsWith(".png")).count());
        // A different annotation for the submitted patch is a conflict.
        as("alice").contentType("image/png").body(mask).queryParam("annotationId", "ann-2").post(base(p) + "/annotation")
                .then().statusCode(409).body("detail", containsString("SUBMITTED"));
        assertFalse(storage.exists(ObjectKeys.annotationMask(ID, 1, "ann-2")));
        // The stored mask is served back, normalised to 0/255.
        as("audit").get(base(p) + "/annotation").then().statusCode(200).contentType("image/png");
    }

    @Test
    @Order(5)
    void polygonSubmissionIsRasterisedServerSide() {
        String p = patchOf("alice", 0);
        as("alice").contentType("application/json")
                .body(Map.of("polygons", List.of(List.of(List.of(2, 2), List.of(20, 2), List.of(20, 20), List.of(2, 20)))))
                .queryParam("annotationId", "ann-poly").post(base(p) + "/annotation").then().statusCode(200)
                .body("status", equalTo("ACCEPTED"));
        assertTrue(storage.exists(ObjectKeys.annotationMask(ID, 1, "ann-poly")));
    }

    @Test
    @Order(6)
    void skipAndReassign() {
        String bobs = patchOf("bob", 0);
        as("alice").contentType("application/json").body(Map.of("reason", "not mine")).post(base(bobs) + "/skip").then().statusCode(403);
        as("bob").contentType("application/json").body(Map.of("reason", " ")).post(base(bobs) + "/skip").then().statusCode(400)
                .body("detail", containsString("reason"));
        as("bob").contentType("application/json").body(Map.of("reason", "out of focus")).post(base(bobs) + "/skip").then().statusCode(202);
        Fixture.awaitStatus(ID, Duration.ofSeconds(20), "patch skipped", s -> s.<Map<String, Object>>getList("patches").stream()
                .anyMatch(x -> bobs.equals(x.get("patchId")) && "SKIPPED".equals(x.get("state"))));
        as("coord").contentType("application/json").body(Map.of("annotator", "bob")).post(base(bobs) + "/reassign").then().statusCode(409);
        String bob2 = patchOf("bob", 0);
        as("coord").contentType("application/json").body(Map.of("annotator", "mallory")).post(base(bob2) + "/reassign").then().statusCode(422)
                .body("detail", containsString("not an annotator"));
        as("coord").contentType("application/json").body(Map.of("annotator", "alice")).post(base(bob2) + "/reassign").then().statusCode(202);
        Fixture.awaitStatus(ID, Duration.ofSeconds(20), "patch reassigned", s -> s.<Map<String, Object>>getList("patches").stream()
                .anyMatch(x -> bob2.equals(x.get("patchId")) && "alice".equals(x.get("assignedTo"))));
        as("bob").get("/api/me/queue").then().statusCode(200).body("patchId", not(hasItem(bob2)));
    }

    static String geoPatch;
    static Map<String, Object> geoPatchStatus;

    @Test
    @Order(7)
    void annotationFilesAreRasterisedOrRejectedWithTheirLine() throws Exception {
        Map<String, Object> alices = Fixture.openPatchesOf(Fixture.status(ID), "alice").get(0);
        String p = (String) alices.get("patchId");
        int px = (Integer) alices.get("x");
        int py = (Integer) alices.get("y");
        String bobs = patchOf("bob", 0);
        long before = interactions();
        String file = base(p) + "/annotation/file";
        // A truncated QuPath GeoJSON: 400 naming the line.
        String truncated = "{\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n    {\"type\": \"Feature\", \"geometry\": "
                + "{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1,\n";
        as("alice").contentType("application/geo+json").body(truncated).post(file).then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("/problems/malformed-annotation-file"))
                .body("detail", containsString("line")).body("line", org.hamcrest.Matchers.greaterThan(0));
        // ASAP XML with a non-numeric coordinate: 400 naming the element.
        String badAsap = "<?xml version=\"1.0\"?>\n<ASAP_Annotations>\n <Annotations>\n  <Annotation Name=\"a\" Type=\"Polygon\" "
                + "PartOfGroup=\"None\">\n   <Coordinates>\n    <Coordinate Order=\"0\" X=\"abc\" Y=\"1\"/>\n   </Coordinates>\n"
                + "  </Annotation>\n </Annotations>\n</ASAP_Annotations>\n";
        as("alice").contentType("application/xml").body(badAsap).post(file).then().statusCode(400)
                .body("detail", containsString("Coordinate")).body("line", equalTo(6));
        // Neither JSON nor XML; an unknown format name; unknown coordinate system.
        as("alice").contentType("text/plain").body("hello").post(file).then().statusCode(400).body("detail", containsString("neither JSON nor XML"));
        as("alice").contentType("application/geo+json").body(square(4, 4, 20, 12)).queryParam("format", "shapefile").post(file)
                .then().statusCode(400).body("detail", containsString("unknown annotation format"));
        as("alice").contentType("application/geo+json").body(square(4, 4, 20, 12)).queryParam("coordinates", "slide-mm").post(file)
                .then().statusCode(400).body("type", equalTo("/problems/invalid-coordinates"));
        // Annotations that miss the patch: in patch coordinates a square in image coordinates far away.
        as("alice").contentType("application/geo+json").body(square(100, 100, 120, 120)).post(file).then().statusCode(422)
                .body("detail", containsString("coordinates=image"));
        // Roles and assignment: auditors never submit; bob cannot submit for alice's patch.
        as("audit").contentType("application/geo+json").body(square(4, 4, 20, 12)).post(file).then().statusCode(403);
        as("bob").contentType("application/geo+json").body(square(4, 4, 20, 12)).post(file).then().statusCode(403)
                .body("detail", containsString("not assigned to you"));
        assertEquals(before, interactions(), "a rejected file must not reach the workflow");
        assertTrue(storedAnnotations().stream().noneMatch(k -> k.contains("ann-geo") || k.contains("ann-asap")), storedAnnotations().toString());

        // QuPath GeoJSON in the source image's coordinates: the patch offset is subtracted.
        as("alice").contentType("application/geo+json").body(square(px + 4, py + 4, px + 20, py + 12)).queryParam("coordinates", "image")
                .queryParam("annotationId", "ann-geo").post(file).then().statusCode(200).body("status", equalTo("ACCEPTED"));
        byte[] stored = Images.toMask(Images.read(storage.get(ObjectKeys.annotationMask(ID, 1, "ann-geo")).orElseThrow(), "mask"), "mask");
        assertEquals(16 * 8, count(stored));
        assertEquals(1, stored[4 * Fixture.PATCH + 4]);
        assertEquals(1, stored[11 * Fixture.PATCH + 19]);
        assertEquals(0, stored[12 * Fixture.PATCH + 19]);
        geoPatch = p;
        geoPatchStatus = alices;

        // A coordinator uploads ASAP XML (patch coordinates, exclusion group _2 cut out) on behalf of bob.
        String asap = "<?xml version=\"1.0\"?>\n<ASAP_Annotations><Annotations>"
                + "<Annotation Name=\"left\" Type=\"Polygon\" PartOfGroup=\"Tumor\" Color=\"#F4FA58\"><Coordinates>"
                + "<Coordinate Order=\"0\" X=\"0\" Y=\"0\"/><Coordinate Order=\"1\" X=\"16\" Y=\"0\"/>"
                + "<Coordinate Order=\"2\" X=\"16\" Y=\"32\"/><Coordinate Order=\"3\" X=\"0\" Y=\"32\"/></Coordinates></Annotation>"
                + "<Annotation Name=\"cut\" Type=\"Rectangle\" PartOfGroup=\"_2\"><Coordinates>"
                + "<Coordinate Order=\"0\" X=\"0\" Y=\"0\"/><Coordinate Order=\"1\" X=\"4\" Y=\"0\"/>"
                + "<Coordinate Order=\"2\" X=\"4\" Y=\"4\"/><Coordinate Order=\"3\" X=\"0\" Y=\"4\"/></Coordinates></Annotation>"
                + "</Annotations><AnnotationGroups><Group Name=\"Tumor\" PartOfGroup=\"None\" Color=\"#F4FA58\"><Attributes/></Group>"
                + "</AnnotationGroups></ASAP_Annotations>";
        as("coord").contentType("application/xml").body(asap).queryParam("annotationId", "ann-asap").post(base(bobs) + "/annotation/file")
                .then().statusCode(200).body("status", equalTo("ACCEPTED"));
        byte[] left = Images.toMask(Images.read(storage.get(ObjectKeys.annotationMask(ID, 1, "ann-asap")).orElseThrow(), "mask"), "mask");
        assertEquals(16 * 32 - 16, count(left));
        JsonPath trail = as("audit").get("/api/campaigns/" + ID + "/audit").then().statusCode(200).extract().jsonPath();
        assertEquals("bob", trail.getString("annotations.find { it.annotationId == 'ann-asap' }.annotator"));
    }

    static String square(int x0, int y0, int x1, int y1) {
        return "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": {\"objectType\": "
                + "\"annotation\", \"classification\": {\"name\": \"Tumor\"}}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
                + "[[[" + x0 + ", " + y0 + "], [" + x1 + ", " + y0 + "], [" + x1 + ", " + y1 + "], [" + x0 + ", " + y1 + "], [" + x0 + ", " + y0
                + "]]]}}]}";
    }

    static int count(byte[] mask) {
        int n = 0;
        for (byte b : mask) {
            n += b != 0 ? 1 : 0;
        }
        return n;
    }

    @Test
    @Order(8)
    void coordinatorSignals() {
        as("coord").contentType("application/json").body(Map.of("hours", -1)).post("/api/campaigns/" + ID + "/extend").then().statusCode(400);
        as("coord").contentType("application/json").body(Map.of("by", "tomorrow")).post("/api/campaigns/" + ID + "/extend").then().statusCode(400)
                .body("detail", containsString("ISO-8601"));
        as("coord").contentType("application/json").body(Map.of("hours", 24)).post("/api/campaigns/" + ID + "/extend").then().statusCode(202);
        as("coord").post("/api/campaigns/" + ID + "/pause").then().statusCode(202);
        Fixture.awaitStatus(ID, Duration.ofSeconds(20), "paused", s -> s.getBoolean("paused"));
        as("coord").post("/api/campaigns/" + ID + "/resume").then().statusCode(202);
        Fixture.awaitStatus(ID, Duration.ofSeconds(20), "resumed", s -> !s.getBoolean("paused"));
        as("coord").get("/api/campaigns/" + ID + "/dice").then().statusCode(200);
        as("coord").get("/api/campaigns/" + ID + "/lineage").then().statusCode(200);
    }

    @Test
    @Order(9)
    void auditorsGetHistoryReplayAndTrail() throws Exception {
        String json = as("audit").get("/api/campaigns/" + ID + "/history").then().statusCode(200).extract().asString();
        WorkflowExecutionHistory h = WorkflowExecutionHistory.fromJson(json);
        assertTrue(h.getEvents().size() > 5);
        as("audit").get("/api/campaigns/" + ID + "/replay").then().statusCode(200).body("passed", equalTo(true))
                .body("runs.size()", org.hamcrest.Matchers.greaterThan(0));
        JsonPath trail = as("audit").get("/api/campaigns/" + ID + "/audit").then().statusCode(200).extract().jsonPath();
        assertTrue(trail.getList("annotations.annotationId").contains("ann-1"));
        assertEquals("alice", trail.getString("annotations.find { it.annotationId == 'ann-1' }.annotator"));
        assertTrue(trail.getList("signals.signal").contains("pause"));
        String runId = as("coord").get("/api/campaigns/" + ID).then().statusCode(200).extract().path("runId");
        assertEquals(List.of(runId), trail.getList("runIds"), "the audit trail names the real run id");
        assertEquals(runId, trail.getString("annotations.find { it.annotationId == 'ann-1' }.runId"));
        // Auditors are read-only.
        as("audit").post("/api/campaigns/" + ID + "/pause").then().statusCode(403);
        as("alice").get("/api/campaigns/" + ID + "/history").then().statusCode(403);
    }

    @Test
    @Order(10)
    void finishingAnnotationAdvancesTheCampaignAndCancelEndsIt() {
        for (String user : List.of("alice", "bob")) {
            for (Map<String, Object> p : Fixture.openPatchesOf(Fixture.status(ID), user)) {
                as(user).contentType("image/png").body(TestImages.grayMask(Fixture.PATCH, Fixture.PATCH, 255))
                        .post(base((String) p.get("patchId")) + "/annotation").then().statusCode(200);
            }
        }
        JsonPath s = Fixture.awaitStatus(ID, Duration.ofSeconds(180), "cycle 1 finished", x -> !x.getList("cycles").isEmpty());
        assertEquals(1, s.getInt("cycles[0].cycle"));
        as("coord").get("/api/campaigns/" + ID + "/dice").then().statusCode(200).body("[0].diceAfter", org.hamcrest.Matchers.notNullValue());
        as("coord").get("/api/campaigns/" + ID + "/lineage").then().statusCode(200).body("size()", org.hamcrest.Matchers.greaterThan(0));
        JsonPath trail = as("audit").get("/api/campaigns/" + ID + "/audit").then().statusCode(200).extract().jsonPath();
        assertTrue(trail.getList("models.annotationIds.flatten()").contains("ann-1"), trail.prettify());
        as("alice").get("/api/me/queue").then().statusCode(200).body("campaignId", not(hasItem(ID)));
    }

    @Test
    @Order(11)
    void cycleExportsOpenAsAnnotationsInTheSourceImagesCoordinates() throws Exception {
        String url = "/api/campaigns/" + ID + "/cycles/1/annotations";
        String image = (String) geoPatchStatus.get("imageId");
        int px = (Integer) geoPatchStatus.get("x");
        int py = (Integer) geoPatchStatus.get("y");
        // Roles: coordinators and auditors only.
        as("alice").queryParam("format", "geojson").get(url).then().statusCode(403);
        as("coord").queryParam("format", "geojson").queryParam("imageId", image).get(url).then().statusCode(200);
        // Bad requests.
        as("audit").queryParam("format", "shapefile").get(url).then().statusCode(400).body("detail", containsString("geojson, asap or imagescope"));
        as("audit").get("/api/campaigns/" + ID + "/cycles/7/annotations").then().statusCode(404).body("detail", containsString("cycle 7"));
        as("audit").queryParam("imageId", "no-such-image").get(url).then().statusCode(404).body("detail", containsString(image));
        as("audit").get("/api/campaigns/nope/cycles/1/annotations").then().statusCode(404);

        // GeoJSON for one image: patch rectangles at their place in the image, the annotation placed at its patch.
        byte[] geo = as("audit").queryParam("format", "geojson").queryParam("imageId", image).get(url).then().statusCode(200)
                .contentType("application/geo+json").extract().asByteArray();
        AnnotationDocument doc = AnnotationFiles.read(geo);
        assertEquals(AnnotationFormat.GEOJSON, doc.format());
        Annotation rect = doc.annotations().stream().filter(a -> a.name().equals(geoPatch)).findFirst().orElseThrow();
        assertEquals(ExportResource.PATCH_CLASS, rect.classification());
        assertArrayEquals(new double[] {px, py, px + Fixture.PATCH, py + Fixture.PATCH}, rect.polygons().get(0).bounds(), 1e-9);
        Annotation ann = doc.annotations().stream().filter(a -> a.name().equals("ann-geo by alice")).findFirst().orElseThrow();
        byte[] back = PolygonRasterizer.rasterize(ann.polygons(), Fixture.PATCH, Fixture.PATCH, px, py, 1);
        byte[] stored = Images.toMask(Images.read(storage.get(ObjectKeys.annotationMask(ID, 1, "ann-geo")).orElseThrow(), "mask"), "mask");
        assertArrayEquals(stored, back, "the exported polygons rasterise back to the submitted mask");

        // ASAP and ImageScope: a zip with one file per source image, each parsing in its dialect.
        for (AnnotationFormat f : List.of(AnnotationFormat.ASAP, AnnotationFormat.IMAGESCOPE)) {
            byte[] zip = as("coord").queryParam("format", f.name().toLowerCase()).get(url).then().statusCode(200)
                    .contentType("application/zip").extract().asByteArray();
            int files = 0;
            int patches = 0;
            try (java.util.zip.ZipInputStream z = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
                for (java.util.zip.ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                    AnnotationDocument d = AnnotationFiles.read(z.readAllBytes());
                    assertEquals(f, d.format(), e.getName());
                    files++;
                    patches += (int) d.annotations().stream().filter(a -> a.classification().equals(ExportResource.PATCH_CLASS)).count();
                }
            }
            assertTrue(files >= 1);
            assertEquals(BUDGET, patches, "every selected patch is exported once");
        }
    }
}
