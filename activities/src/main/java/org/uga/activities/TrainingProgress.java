package org.uga.activities;

import java.util.List;

/**
 * Heartbeat details of a training activity: epochs finished by the model being trained and the checkpoint stored
 * after the last one. For a deep ensemble, {@code member} is the index of that model and {@code finishedMembers}
 * the final checkpoint keys of members {@code 0..member-1}, so a retry neither retrains nor loses them. Heartbeats
 * of workers before ensembles carry only the first two fields: they read as member 0, none finished.
 */
public record TrainingProgress(int completedEpochs, String checkpointKey, int member, List<String> finishedMembers) {

    public TrainingProgress {
        finishedMembers = finishedMembers == null ? List.of() : List.copyOf(finishedMembers);
    }

    /** Progress of a single model (member 0). */
    public TrainingProgress(int completedEpochs, String checkpointKey) {
        this(completedEpochs, checkpointKey, 0, List.of());
    }
}
