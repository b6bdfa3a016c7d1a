package org.uga.api.it;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.uga.api.it.Fixture.as;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.uga.api.images.TestImages;
import org.uga.api.platform.Storage;

/** Endpoints that need no running campaign: roles, uploads, registration, spec validation, error format. */
@QuarkusTest
class NoCampaignApiTest {

    @Inject
    Storage storage;

    /** Every endpoint with a role allowed to call it; the others must get 403, anonymous 401. */
    record Endpoint(String method, String path, List<String> allowed) {
    }

    static final List<String> USERS = List.of("coord", "alice", "audit");
    static final Map<String, String> ROLE = Map.of("coord", "coordinator", "alice", "annotator", "audit", "auditor");
    static final String C = "/api/campaigns/nope";
    static final String P = C + "/patches/x";
    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/api/me", List.of("coordinator", "annotator", "auditor")),
            new Endpoint("GET", "/api/me/queue", List.of("annotator")),
            new Endpoint("GET", "/api/slides", List.of("coordinator", "auditor")),
            new Endpoint("POST", "/api/slides?dataset=d&id=x", List.of("coordinator")),
            new Endpoint("POST", "/api/slides/register", List.of("coordinator")),
            new Endpoint("GET", "/api/slides/candidates", List.of("coordinator", "auditor")),
            new Endpoint("GET", "/api/slides/x/y.tiff/preview", List.of("coordinator", "auditor")),
            new Endpoint("GET", "/api/campaigns", List.of("coordinator", "auditor")),
            new Endpoint("POST", "/api/campaigns", List.of("coordinator")),
            new Endpoint("GET", C, List.of("coordinator", "auditor")),
            new Endpoint("GET", C + "/status", List.of("coordinator", "auditor")),
            new Endpoint("GET", C + "/dice", List.of("coordinator", "auditor")),
            new Endpoint("GET", C + "/lineage", List.of("coordinator", "auditor")),
            new Endpoint("POST", C + "/pause", List.of("coordinator")),
            new Endpoint("POST", C + "/resume", List.of("coordinator")),
            new Endpoint("POST", C + "/cancel", List.of("coordinator")),
            new Endpoint("POST", C + "/extend", List.of("coordinator")),
            new Endpoint("POST", P + "/reassign", List.of("coordinator")),
            new Endpoint("POST", P + "/skip", List.of("coordinator", "annotator")),
            new Endpoint("GET", P + "/image", List.of("coordinator", "annotator", "auditor")),
            new Endpoint("GET", P + "/prediction", List.of("coordinator", "annotator", "auditor")),
            new Endpoint("GET", P + "/uncertainty", List.of("coordinator", "annotator", "auditor")),
            new Endpoint("GET", P + "/annotation", List.of("coordinator", "annotator", "auditor")),
            new Endpoint("POST", P + "/annotation", List.of("annotator")),
            new Endpoint("POST", P + "/annotation/file", List.of("annotator", "coordinator")),
            new Endpoint("GET", C + "/cycles/1/annotations?format=geojson", List.of("coordinator", "auditor")),
            new Endpoint("GET", C + "/history", List.of("auditor", "coordinator")),
            new Endpoint("GET", C + "/replay", List.of("auditor", "coordinator")),
            new Endpoint("GET", C + "/audit", List.of("auditor", "coordinator")));

    private static Response call(io.restassured.specification.RequestSpecification req, Endpoint e) {
        String type = e.path().startsWith("/api/slides?") ? "image/png"
                : e.path().endsWith("/annotation") && e.method().equals("POST") ? "image/png" : "application/json";
        if (e.method().equals("GET")) {
            return req.get(e.path());
        }
        byte[] body = type.equals("image/png") ? TestImages.grayMask(4, 4, 255) : "{}".getBytes();
        return req.contentType(type).body(body).post(e.path());
    }

    @Test
    void everyEndpointChecksRoles() {
        for (Endpoint e : ENDPOINTS) {
            call(RestAssured.given(), e).then().statusCode(401).contentType("application/problem+json")
                    .body("status", equalTo(401)).body("title", equalTo("Unauthorized"));
            for (String user : USERS) {
                Response r = call(as(user), e);
                String what = e.method() + " " + e.path() + " as " + user;
                if (e.allowed().contains(ROLE.get(user))) {
                    if (r.statusCode() == 401 || r.statusCode() == 403) {
                        throw new AssertionError(what + " must be allowed, got " + r.statusCode() + " " + r.asString());
                    }
                } else if (r.statusCode() != 403) {
                    throw new AssertionError(what + " must be forbidden, got " + r.statusCode() + " " + r.asString());
                } else {
                    r.then().contentType("application/problem+json").body("type", equalTo("/problems/forbidden"));
                }
            }
        }
    }

    @Test
    void wrongPasswordIs401WithChallenge() {
        RestAssured.given().auth().preemptive().basic("coord", "wrong").get("/api/me").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Basic")).body("detail", containsString("wrong"));
        // The web UI's requests get no challenge header, so the browser shows no login dialog.
        RestAssured.given().header("X-Requested-With", "XMLHttpRequest").get("/api/me").then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void meReportsRoles() {
        as("alice").get("/api/me").then().statusCode(200).body("user", equalTo("alice")).body("roles", hasItem("annotator"));
    }

    @Test
    void uploadsAreFormatCheckedAndStored() {
        byte[] png = TestImages.rgb(20, 10, "png");
        as("coord").contentType("image/png").body(png).post("/api/slides?dataset=up-ok&id=t1").then().statusCode(201)
                .body("key", equalTo("datasets/up-ok/images/t1.png")).body("width", equalTo(20)).body("format", equalTo("PNG"));
        assert storage.exists("datasets/up-ok/images/t1.png");
        as("coord").contentType("image/tiff").body(TestImages.rgb(12, 8, "tiff")).post("/api/slides?dataset=up-ok&id=t2")
                .then().statusCode(201).body("format", equalTo("TIFF")).body("height", equalTo(8));
        as("coord").contentType("image/jpeg").body(TestImages.rgb(12, 8, "jpeg")).post("/api/slides?dataset=up-ok&id=t3")
                .then().statusCode(201).body("format", equalTo("JPEG"));
        as("coord").get("/api/slides").then().statusCode(200).body("key", hasItem("datasets/up-ok/images/t2.png"));
    }

    @Test
    void badUploadsAreRejectedAndNotStored() {
        as("coord").contentType("application/octet-stream").body("just text, no image".getBytes())
                .post("/api/slides?dataset=up-bad&id=text").then().statusCode(415).contentType("application/problem+json")
                .body("detail", containsString("not a PNG, TIFF or JPEG"));
        byte[] big = new byte[2_000_001];
        System.arraycopy(TestImages.rgb(4, 4, "png"), 0, big, 0, 8);
        as("coord").contentType("image/png").body(big).post("/api/slides?dataset=up-bad&id=big").then().statusCode(413)
                .body("detail", containsString("limit"));
        byte[] truncated = java.util.Arrays.copyOf(TestImages.rgb(64, 64, "png"), 50);
        as("coord").contentType("image/png").body(truncated).post("/api/slides?dataset=up-bad&id=cut").then().statusCode(422);
        as("coord").contentType("image/png").body(TestImages.rgb(4, 4, "png")).post("/api/slides?dataset=../etc&id=x")
                .then().statusCode(400).body("type", equalTo("/problems/path-traversal")).body("detail", containsString(".."));
        as("coord").contentType("image/png").body(TestImages.rgb(4, 4, "png")).post("/api/slides?dataset=campaigns/other&id=x")
                .then().statusCode(400).body("detail", containsString("dataset"));
        as("coord").contentType("image/png").body(TestImages.rgb(4, 4, "png")).post("/api/slides?dataset=ok&id=../x")
                .then().statusCode(400);
        as("coord").contentType("image/png").body(TestImages.gradient(8, 8)).post("/api/slides?dataset=up-bad&id=m&kind=mask")
                .then().statusCode(422).body("detail", containsString("not binary"));
        as("coord").contentType("text/plain").body("x").post("/api/slides?dataset=up-bad&id=t").then().statusCode(415)
                .contentType("application/problem+json");
        for (String id : List.of("text", "big", "cut", "m", "t")) {
            assertFalse(storage.exists("datasets/up-bad/images/" + id + ".png"), id);
            assertFalse(storage.exists("datasets/up-bad/masks/" + id + ".png"), id);
        }
    }

    @Test
    void registeringKeysChecksThem() {
        as("coord").contentType("image/png").body(TestImages.rgb(6, 6, "png")).post("/api/slides?dataset=reg&id=a").then().statusCode(201);
        as("coord").contentType("application/json").body(Map.of("keys", List.of("datasets/reg/images/a.png"))).post("/api/slides/register")
                .then().statusCode(200).body("[0].format", equalTo("PNG"));
        as("coord").contentType("application/json").body(Map.of("keys", List.of("datasets/reg/../secret"))).post("/api/slides/register")
                .then().statusCode(400).body("detail", containsString(".."));
        as("coord").contentType("application/json").body(Map.of("keys", List.of("campaigns/someone/models/m.bin")))
                .post("/api/slides/register").then().statusCode(403).body("detail", containsString("belongs to campaign"));
        as("coord").contentType("application/json").body(Map.of("keys", List.of("datasets/reg/images/missing.png")))
                .post("/api/slides/register").then().statusCode(404).body("detail", containsString("missing.png"));
        storage.put("reg/notes.txt", "hello".getBytes(), "text/plain");
        as("coord").contentType("application/json").body(Map.of("keys", List.of("reg/notes.txt"))).post("/api/slides/register")
                .then().statusCode(415);
    }

    @Test
    void malformedAndInvalidCampaignSpecsAreExplained() {
        as("coord").contentType("application/json").body("{\"campaignId\": \"x\", ").post("/api/campaigns").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("/problems/malformed-json"))
                .body("instance", equalTo("/api/campaigns"));
        as("coord").contentType("application/json").body("{\"campaignId\": \"x\", \"patchBudgett\": 3}").post("/api/campaigns")
                .then().statusCode(400).body("detail", containsString("patchBudgett"));
        as("coord").contentType("application/json").body("{\"patchBudget\": \"many\"}").post("/api/campaigns").then().statusCode(400)
                .body("detail", containsString("patchBudget"));
        as("coord").contentType("application/json").body("{\"campaignId\": \"bad id!\"}").post("/api/campaigns").then().statusCode(400)
                .body("type", equalTo("/problems/invalid-campaign-spec")).body("detail", containsString("campaignId"))
                .body("problems.size()", org.hamcrest.Matchers.greaterThan(3));
        Map<String, Object> spec = new java.util.LinkedHashMap<>(Fixture.spec("spec-traversal", List.of("alice"), 1, 1));
        spec.put("localData", Map.of("datasetPrefix", "../escape", "tileIds", List.of("a"), "validationTileIds", List.of("b")));
        as("coord").contentType("application/json").body(spec).post("/api/campaigns").then().statusCode(400)
                .body("detail", containsString(".."));
        spec.put("localData", Map.of("datasetPrefix", "campaigns/other", "tileIds", List.of("a"), "validationTileIds", List.of("b")));
        as("coord").contentType("application/json").body(spec).post("/api/campaigns").then().statusCode(400)
                .body("detail", containsString("localData.datasetPrefix"));
        spec.put("localData", Map.of("datasetPrefix", "no-such-data", "tileIds", List.of("a"), "validationTileIds", List.of("b")));
        spec.put("modelSource", Map.of("initialModelKey", "campaigns/other/models/m.bin"));
        as("coord").contentType("application/json").body(spec).post("/api/campaigns").then().statusCode(400)
                .body("detail", containsString("belongs to campaign 'other'"));
        spec.put("modelSource", Fixture.spec("x", List.of("alice"), 1, 1).get("modelSource"));
        as("coord").contentType("application/json").body(spec).post("/api/campaigns").then().statusCode(400)
                .body("detail", containsString("tile 'a' has no image"));
        as("coord").get("/api/campaigns").then().statusCode(200).body("campaignId", not(hasItem("spec-traversal")));
    }

    @Test
    void unknownThingsAre404ProblemJson() {
        as("coord").get("/api/campaigns/nope").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("/problems/unknown-campaign")).body("detail", containsString("nope"));
        as("alice").get("/api/campaigns/nope/patches/p/image").then().statusCode(404);
        as("coord").get("/api/nothing/here").then().statusCode(404).contentType("application/problem+json");
        as("coord").get("/api/campaigns/a..b").then().statusCode(oneOf(400, 404));
    }

    @Test
    void openApiAndSwaggerUiAreServed() {
        RestAssured.get("/q/openapi").then().statusCode(200).body(containsString("/api/campaigns"));
        RestAssured.get("/q/swagger-ui/").then().statusCode(200);
        RestAssured.get("/").then().statusCode(200).body(containsString("UGA"));
    }
}
