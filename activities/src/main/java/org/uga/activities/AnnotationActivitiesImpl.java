package org.uga.activities;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uga.ml.data.Images;
import org.uga.store.NotFoundException;
import org.uga.store.ObjectKeys;
import org.uga.workflows.activities.AnnotationActivities;
import org.uga.workflows.activities.MaskCheck;
import org.uga.workflows.activities.MaskCheckRequest;
import org.uga.workflows.activities.ReminderNotice;

/** Mask checks before {@code submitAnnotation}, and reminder records. */
public class AnnotationActivitiesImpl implements AnnotationActivities {

    private static final Logger LOG = LoggerFactory.getLogger(AnnotationActivitiesImpl.class);

    private final CampaignData data;

    public AnnotationActivitiesImpl(CampaignData data) {
        this.data = data;
    }

    @Override
    public MaskCheck verifyMask(MaskCheckRequest r) {
        return check(data, r);
    }

    /** The check itself, callable in-process by the API and the CLI (no Temporal context needed). */
    public static MaskCheck check(CampaignData data, MaskCheckRequest r) {
        List<String> problems = new ArrayList<>();
        byte[] bytes;
        try {
            bytes = data.store().getBytes(r.maskKey());
        } catch (NotFoundException e) {
            return new MaskCheck(r.maskKey(), false, null, 0, 0, 0, List.of("mask object " + r.maskKey() + " does not exist"));
        } catch (IllegalArgumentException e) {
            return new MaskCheck(r.maskKey(), false, null, 0, 0, 0, List.of("bad mask key: " + e.getMessage()));
        }
        String sha = CampaignData.sha256(bytes);
        if (r.expectedSha256() != null && !r.expectedSha256().equals(sha)) {
            problems.add("mask SHA-256 is " + sha + ", expected " + r.expectedSha256());
        }
        MaskCheck content = checkBytes(r.maskKey(), bytes, r.expectedWidth(), r.expectedHeight());
        problems.addAll(content.problems());
        return new MaskCheck(r.maskKey(), problems.isEmpty(), sha, content.width(), content.height(),
                content.foregroundPixels(), problems);
    }

    /**
     * The content part of the check, on bytes not yet stored (clients run it before uploading): a PNG that decodes,
     * of the expected size, binary (0/1 or 0/255).
     */
    public static MaskCheck checkBytes(String what, byte[] bytes, int expectedWidth, int expectedHeight) {
        List<String> problems = new ArrayList<>();
        String sha = CampaignData.sha256(bytes);
        if (bytes.length < 8 || (bytes[0] & 0xFF) != 0x89 || bytes[1] != 'P' || bytes[2] != 'N' || bytes[3] != 'G') {
            problems.add("mask " + what + " is not a PNG");
            return new MaskCheck(what, false, sha, 0, 0, 0, problems);
        }
        BufferedImage img;
        try {
            img = Images.read(bytes, what);
        } catch (IOException | RuntimeException e) {
            problems.add("mask " + what + " cannot be decoded: " + e.getMessage());
            return new MaskCheck(what, false, sha, 0, 0, 0, problems);
        }
        if (img.getWidth() != expectedWidth || img.getHeight() != expectedHeight) {
            problems.add("mask is " + img.getWidth() + "x" + img.getHeight() + ", expected " + expectedWidth + "x"
                    + expectedHeight);
        }
        long fg = 0;
        try {
            for (byte b : Images.toMask(img, what)) {
                fg += b;
            }
        } catch (IOException | RuntimeException e) {
            problems.add("mask is not binary: " + e.getMessage());
        }
        return new MaskCheck(what, problems.isEmpty(), sha, img.getWidth(), img.getHeight(), fg, problems);
    }

    @Override
    public String sendReminder(ReminderNotice n) {
        String key = ObjectKeys.report(n.campaignId(), "reminder-cycle" + n.cycle() + "-" + n.annotator() + "-" + n.reminderNumber() + ".json");
        data.store().putJson(key, n);
        LOG.info("reminder #{} to {} for campaign {} cycle {}: {} open patch(es), deadline {}", n.reminderNumber(),
                n.annotator(), n.campaignId(), n.cycle(), n.patchIds().size(), n.deadline());
        return key;
    }
}
