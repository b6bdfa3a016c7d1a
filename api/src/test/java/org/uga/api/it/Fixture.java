package org.uga.api.it;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uga.ml.data.Dataset;
import org.uga.ml.data.HeGenerator;
import org.uga.ml.data.Images;
import org.uga.ml.data.Tile;

/**
 * Test data and campaigns, created through the API itself on the app's embedded stack (real UgaCampaign, the real
 * in-process worker runtime): generated 64x64 H&E-like tiles ({@link HeGenerator}), 32x32 patches, one epoch of
 * initial training and of fine-tuning (UGA_TRAIN_STEPS=2), MC dropout with 2 passes.
 */
public final class Fixture {

    public static final String CENTRAL = "test-central";
    public static final String LOCAL = "test-local";
    public static final List<String> CENTRAL_IDS = List.of("c0", "c1", "c2", "c3");
    public static final List<String> POOL_IDS = List.of("p0", "p1", "p2", "p3");
    public static final List<String> VALIDATION_IDS = List.of("v0", "v1");
    public static final int TILE = 64;
    public static final int PATCH = 32;

    private static boolean uploaded;

    private Fixture() {
    }

    public static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user);
    }

    /** Uploads generated H&E-like tiles (central domain and the stain-shifted local domain) with their masks, once. */
    public static synchronized void uploadData() {
        if (uploaded) {
            return;
        }
        Dataset central = HeGenerator.generate(CENTRAL_IDS.size(), TILE, TILE, HeGenerator.CENTRAL, HeGenerator.StainShift.NONE, 11);
        Dataset local = HeGenerator.generate(POOL_IDS.size() + VALIDATION_IDS.size(), TILE, TILE, HeGenerator.LOCAL,
                HeGenerator.StainShift.LOCAL_DEFAULT, 11);
        for (int i = 0; i < CENTRAL_IDS.size(); i++) {
            upload(CENTRAL, CENTRAL_IDS.get(i), central.tiles().get(i));
        }
        for (int i = 0; i < POOL_IDS.size(); i++) {
            upload(LOCAL, POOL_IDS.get(i), local.tiles().get(i));
        }
        for (int i = 0; i < VALIDATION_IDS.size(); i++) {
            upload(LOCAL, VALIDATION_IDS.get(i), local.tiles().get(POOL_IDS.size() + i));
        }
        uploaded = true;
    }

    private static void upload(String dataset, String id, Tile t) {
        byte[] image;
        byte[] mask;
        try {
            image = Images.encodePng(Images.toImage(t));
            mask = Images.encodePng(Images.maskToImage(t.mask(), t.width(), t.height()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        as("coord").contentType("image/png").body(image)
                .post("/api/slides?dataset=" + dataset + "&id=" + id).then().statusCode(201);
        as("coord").contentType("image/png").body(mask)
                .post("/api/slides?dataset=" + dataset + "&id=" + id + "&kind=mask").then().statusCode(201);
    }

    /** A valid spec (as JSON-ready maps) training its first model on the central tiles. */
    public static Map<String, Object> spec(String campaignId, List<String> annotators, int budget, int maxCycles) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("campaignId", campaignId);
        s.put("title", "Test campaign " + campaignId);
        s.put("modelSource", Map.of("centralDatasetPrefix", CENTRAL, "centralTileIds", CENTRAL_IDS, "initialEpochs", 1));
        s.put("localData", Map.of("datasetPrefix", LOCAL, "tileIds", POOL_IDS, "validationTileIds", VALIDATION_IDS));
        s.put("patchBudget", budget);
        s.put("patchSize", PATCH);
        s.put("strategy", "uga");
        s.put("uncertainty", Map.of("estimator", "mc-dropout", "passes", 2, "measure", "paper-ce"));
        s.put("maxCycles", maxCycles);
        s.put("annotators", annotators);
        s.put("annotationPolicy", Map.of("annotationTimeout", "PT2H", "deadlineAction", "PROCEED_WITH_RECEIVED", "maxReassignments", 0));
        s.put("fineTune", Map.of("epochs", 1, "replayRatio", 0.0, "learningRate", 0.001, "batchSize", 4));
        s.put("continueAsNewEvery", 5);
        s.put("seed", 7);
        return s;
    }

    /** Creates a campaign and waits until its first cycle has assigned patches. */
    public static JsonPath startAndAwaitAnnotating(String campaignId, List<String> annotators, int budget, int maxCycles) {
        uploadData();
        as("coord").contentType("application/json").body(spec(campaignId, annotators, budget, maxCycles))
                .post("/api/campaigns").then().statusCode(201);
        return awaitStatus(campaignId, Duration.ofMinutes(4), "ANNOTATING with patches",
                s -> "ANNOTATING".equals(s.getString("phase")) && !s.getList("patches").isEmpty());
    }

    public static JsonPath status(String campaignId) {
        return as("coord").get("/api/campaigns/" + campaignId + "/status").then().statusCode(200).extract().jsonPath();
    }

    public static JsonPath awaitStatus(String campaignId, Duration timeout, String what, java.util.function.Predicate<JsonPath> done) {
        long end = System.nanoTime() + timeout.toNanos();
        JsonPath last = null;
        while (System.nanoTime() < end) {
            var r = as("coord").get("/api/campaigns/" + campaignId + "/status");
            if (r.statusCode() == 200) {
                last = r.jsonPath();
                if (done.test(last)) {
                    return last;
                }
                String phase = last.getString("phase");
                if ("FAILED".equals(phase) || "CANCELLED".equals(phase)) {
                    throw new AssertionError("campaign " + campaignId + " is " + phase + " while waiting for " + what + ": "
                            + last.prettify());
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("campaign " + campaignId + " did not reach " + what + " within " + timeout + "; last status: "
                + (last == null ? "none" : last.prettify()));
    }

    /** The open patches of the status assigned to {@code user}. */
    public static List<Map<String, Object>> openPatchesOf(JsonPath status, String user) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> p : status.<Map<String, Object>>getList("patches")) {
            if (user.equals(p.get("assignedTo")) && ("ASSIGNED".equals(p.get("state")) || "OVERDUE".equals(p.get("state")))) {
                out.add(p);
            }
        }
        return out;
    }
}
