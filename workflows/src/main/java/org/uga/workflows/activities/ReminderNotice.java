package org.uga.workflows.activities;

import java.time.Instant;
import java.util.List;

/**
 * A reminder to one annotator about their open patches. Both times are workflow time (deterministic):
 * {@code scheduledFor} is when the policy says the reminder is due (assignment + k x interval), {@code sentAt}
 * when the campaign processed it (equal, or a little later if the worker was busy or down).
 */
public record ReminderNotice(String campaignId, int cycle, String annotator, List<String> patchIds, Instant deadline,
                             int reminderNumber, Instant scheduledFor, Instant sentAt) {

    public ReminderNotice {
        patchIds = patchIds == null ? List.of() : List.copyOf(patchIds);
    }
}
