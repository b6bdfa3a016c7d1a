package org.uga.workflows.activities;

import java.time.Instant;
import java.util.List;

/**
 * A reminder to one annotator about their open patches. {@code sentAt} is workflow time (deterministic), so tests
 * and the notification log show exactly when the campaign decided to remind.
 */
public record ReminderNotice(String campaignId, int cycle, String annotator, List<String> patchIds, Instant deadline,
                             int reminderNumber, Instant sentAt) {

    public ReminderNotice {
        patchIds = patchIds == null ? List.of() : List.copyOf(patchIds);
    }
}
