package org.uga.client;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowUpdateException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.uga.activities.AnnotationActivitiesImpl;
import org.uga.activities.CampaignData;
import org.uga.store.ObjectInfo;
import org.uga.store.ObjectKeys;
import org.uga.store.ObjectStore;
import org.uga.workflows.UgaCampaign;
import org.uga.workflows.model.AnnotationResult;
import org.uga.workflows.model.AnnotationSubmission;
import org.uga.workflows.model.CampaignStatus;
import org.uga.workflows.model.PatchStatus;

/**
 * How an annotator's correction reaches a campaign — the path a person's UI and the demo's simulated annotators
 * share: check the mask (PNG, binary, the patch's size), store it in the object store, then send the
 * {@code submitAnnotation} update. The mask is stored before the update so an accepted annotation is never lost;
 * when the workflow rejects the update the stored object is removed again, so nothing is kept for a rejection.
 */
public final class AnnotationClient {

    private final WorkflowClient client;
    private final ObjectStore store;
    private final Clock clock;

    public AnnotationClient(WorkflowClient client, ObjectStore store) {
        this(client, store, Clock.systemUTC());
    }

    public AnnotationClient(WorkflowClient client, ObjectStore store, Clock clock) {
        this.client = Objects.requireNonNull(client);
        this.store = Objects.requireNonNull(store);
        this.clock = clock;
    }

    public CampaignStatus status(String campaignId) {
        return campaign(campaignId).status();
    }

    public UgaCampaign campaign(String campaignId) {
        return client.newWorkflowStub(UgaCampaign.class, campaignId);
    }

    /**
     * Submits {@code maskPng} as {@code annotator}'s correction of {@code patch}.
     *
     * @param annotationId caller-chosen id; resubmitting the same id is idempotent (the first result comes back)
     * @throws AnnotationRejectedException with the reason when the mask is invalid or the workflow rejects it
     */
    public AnnotationResult submit(String campaignId, PatchStatus patch, String annotator, String annotationId,
                                   byte[] maskPng, String note) {
        List<String> problems = checkMask(maskPng, patch.w(), patch.h());
        if (!problems.isEmpty()) {
            throw new AnnotationRejectedException(String.join("; ", problems));
        }
        String key = ObjectKeys.annotationMask(campaignId, patch.cycle(), annotationId);
        boolean existedBefore = store.exists(key);
        ObjectInfo stored;
        if (existedBefore) {
            // A resend of the same annotation id: never overwrite a mask an accepted annotation may point at.
            stored = store.stat(key);
            if (!CampaignData.sha256(maskPng).equals(stored.sha256())) {
                throw new AnnotationRejectedException("annotation id " + annotationId
                        + " is already used for another mask; submit the correction under a new annotation id");
            }
        } else {
            stored = store.putBytes(key, maskPng, "image/png");
        }
        AnnotationSubmission submission = new AnnotationSubmission(annotationId, campaignId, patch.cycle(),
                patch.patchId(), annotator, key, stored.sha256(), patch.w(), patch.h(), clock.instant(), note);
        try {
            return campaign(campaignId).submitAnnotation(submission);
        } catch (WorkflowUpdateException e) {
            if (!existedBefore) {
                store.delete(key);
            }
            throw new AnnotationRejectedException(rootMessage(e));
        }
    }

    /** Problems with an uploaded mask, each naming what is wrong; empty when it is a binary PNG of the right size. */
    public static List<String> checkMask(byte[] png, int expectedWidth, int expectedHeight) {
        return AnnotationActivitiesImpl.checkBytes("upload", png == null ? new byte[0] : png, expectedWidth,
                expectedHeight).problems();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        // ApplicationFailure messages carry "message='…', type='…'"; keep the human part.
        int i = m == null ? -1 : m.indexOf("message='");
        if (i >= 0) {
            int end = m.indexOf("', type=", i);
            return end > i ? m.substring(i + 9, end) : m.substring(i + 9);
        }
        return m;
    }

    /** The mask or the update was refused; the message says why. Nothing was stored. */
    public static final class AnnotationRejectedException extends RuntimeException {
        public AnnotationRejectedException(String message) {
            super(message);
        }
    }
}
