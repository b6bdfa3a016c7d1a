package org.uga.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.uga.activities.AnnotationActivitiesImpl;
import org.uga.activities.CampaignData;
import org.uga.infra.EmbeddedStack;
import org.uga.infra.EmbeddedStackConfig;
import org.uga.infra.TemporalWorkers;
import org.uga.ml.data.HeGenerator;
import org.uga.ml.data.Images;
import org.uga.ml.data.Tile;
import org.uga.store.ObjectKeys;
import org.uga.store.S3ObjectStore;
import org.uga.store.S3Settings;
import org.uga.workflows.UgaCampaigns;
import org.uga.workflows.activities.MaskCheck;
import org.uga.workflows.activities.MaskCheckRequest;
import org.uga.workflows.model.AnnotationPolicy;
import org.uga.workflows.model.AnnotationResult;
import org.uga.workflows.model.AnnotationSubmission;
import org.uga.workflows.model.CampaignSpec;
import org.uga.workflows.model.CampaignStatus;
import org.uga.workflows.model.DeadlineAction;
import org.uga.workflows.model.FineTuneConfig;
import org.uga.workflows.model.LocalData;
import org.uga.workflows.model.ModelSource;
import org.uga.workflows.model.PatchState;
import org.uga.workflows.model.PatchStatus;
import org.uga.workflows.model.Phase;
import org.uga.workflows.model.StopRules;
import org.uga.workflows.model.UncertaintyConfig;

/**
 * A real embedded stack (Temporal test server + S3Proxy), generated H&E data in S3, and a simulated annotator that
 * writes the ground-truth mask of each patch to S3, checks it with the mask activity's code, then sends the update.
 */
final class E2eSupport implements AutoCloseable {

    static final int SIZE = 64;

    final EmbeddedStack stack;
    final WorkflowClient client;
    final S3ObjectStore store;
    final CampaignData data;
    /** Ground truth of the local tiles, which the simulated annotator "knows". */
    final Map<String, Tile> localTruth = new LinkedHashMap<>();
    final List<String> centralIds = new ArrayList<>();
    final List<String> poolIds = new ArrayList<>();
    final List<String> validationIds = new ArrayList<>();

    E2eSupport(Path dir) throws IOException {
        stack = EmbeddedStack.start(new EmbeddedStackConfig(dir, 0, 0, "uga", "uga-secret-key", "uga", true, true));
        client = TemporalWorkers.client(TemporalWorkers.connect(stack.temporalTarget()), "default");
        store = new S3ObjectStore(S3Settings.of(stack.s3Endpoint(), stack.accessKey(), stack.secretKey(), stack.bucket()));
        data = new CampaignData(store);
        for (Tile t : HeGenerator.generate(6, SIZE, SIZE, HeGenerator.CENTRAL, HeGenerator.StainShift.NONE, 7).tiles()) {
            put("central", t);
            centralIds.add(t.id());
        }
        List<Tile> local = HeGenerator.generate(6, SIZE, SIZE, HeGenerator.LOCAL, HeGenerator.StainShift.LOCAL_DEFAULT, 7).tiles();
        for (int i = 0; i < local.size(); i++) {
            Tile t = local.get(i);
            put("local", t);
            localTruth.put(t.id(), t);
            (i < 4 ? poolIds : validationIds).add(t.id());
        }
    }

    private void put(String dataset, Tile t) throws IOException {
        store.putBytes(ObjectKeys.datasetImage(dataset, t.id()), Images.encodePng(Images.toImage(t)), "image/png");
        store.putBytes(ObjectKeys.datasetMask(dataset, t.id()), Images.encodePng(Images.maskToImage(t.mask(), t.width(), t.height())), "image/png");
    }

    CampaignSpec spec(String id, int maxCycles, int fineTuneEpochs) {
        return new CampaignSpec(id, "E2E " + id, "coordinator", ModelSource.trainOn("central", centralIds, 2),
                new LocalData("local", poolIds, validationIds), 2, 32, "uga", new UncertaintyConfig("mc-dropout", 4, "paper-ce"),
                maxCycles, StopRules.none(), List.of("alice", "bob"),
                new AnnotationPolicy(Duration.ofDays(7), Duration.ofDays(1), DeadlineAction.PROCEED_WITH_RECEIVED, 1),
                new FineTuneConfig(fineTuneEpochs, 0.5, 1e-3, 4), 10, 11L);
    }

    void start(CampaignSpec spec) {
        UgaCampaigns.start(client, spec);
    }

    CampaignStatus awaitStatus(String id, String what, Duration timeout, Predicate<CampaignStatus> p) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        CampaignStatus last = null;
        while (System.nanoTime() < end) {
            try {
                last = UgaCampaigns.campaign(client, id).status();
                if (p.test(last)) {
                    return last;
                }
            } catch (RuntimeException notYet) {
                // before the first workflow task, or while no worker polls
            }
            Thread.sleep(200);
        }
        fail("timed out waiting for " + what + "; last status: " + last);
        return null;
    }

    /** Writes the ground truth of each open patch as the annotator's mask, verifies it, then submits it. */
    List<AnnotationResult> annotateAll(String campaignId, CampaignStatus s) throws IOException {
        List<AnnotationResult> results = new ArrayList<>();
        for (PatchStatus p : s.patches()) {
            if (p.state() != PatchState.ASSIGNED) {
                continue;
            }
            Tile truth = localTruth.get(p.imageId()).crop(p.x(), p.y(), p.w(), p.h());
            byte[] png = Images.encodePng(Images.maskToImage(truth.mask(), p.w(), p.h()));
            String annotationId = "ann-" + p.patchId();
            String key = ObjectKeys.annotationMask(campaignId, p.cycle(), annotationId);
            store.putBytes(key, png, "image/png");
            MaskCheck check = AnnotationActivitiesImpl.check(data, new MaskCheckRequest(key, p.w(), p.h(), CampaignData.sha256(png)));
            assertTrue(check.ok(), check.problems().toString());
            results.add(UgaCampaigns.campaign(client, campaignId).submitAnnotation(new AnnotationSubmission(annotationId,
                    campaignId, p.cycle(), p.patchId(), p.assignedTo(), key, check.sha256(), p.w(), p.h(), Instant.now(), null)));
        }
        return results;
    }

    /**
     * The real submit path for one patch with the annotator's {@code mask} (0/1 per pixel, patch-sized): the mask
     * goes to S3, is checked with the mask activity's code, then the update is sent.
     */
    AnnotationResult submitMask(String campaignId, PatchStatus p, byte[] mask) throws IOException {
        byte[] png = Images.encodePng(Images.maskToImage(mask, p.w(), p.h()));
        String annotationId = "ann-" + p.patchId();
        String key = ObjectKeys.annotationMask(campaignId, p.cycle(), annotationId);
        store.putBytes(key, png, "image/png");
        MaskCheck check = AnnotationActivitiesImpl.check(data, new MaskCheckRequest(key, p.w(), p.h(), CampaignData.sha256(png)));
        assertTrue(check.ok(), check.problems().toString());
        return UgaCampaigns.campaign(client, campaignId).submitAnnotation(new AnnotationSubmission(annotationId,
                campaignId, p.cycle(), p.patchId(), p.assignedTo(), key, check.sha256(), p.w(), p.h(), Instant.now(), null));
    }

    static Predicate<CampaignStatus> annotating(int cycle) {
        return s -> s.cycle() == cycle && s.phase() == Phase.ANNOTATING;
    }

    @Override
    public void close() {
        client.getWorkflowServiceStubs().shutdownNow();
        store.close();
        stack.close();
    }
}
