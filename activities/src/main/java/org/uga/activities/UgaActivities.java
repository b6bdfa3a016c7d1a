package org.uga.activities;

import java.util.List;
import org.uga.store.ObjectStore;

/** The activity implementations for each task queue, over one object store. */
public final class UgaActivities {

    private final CampaignData data;

    public UgaActivities(ObjectStore store) {
        this.data = new CampaignData(store);
    }

    public CampaignData data() {
        return data;
    }

    /** Scoring and training: register on {@code uga-gpu}. */
    public List<Object> gpu() {
        return List.of(new ScoringActivitiesImpl(data), new TrainingActivitiesImpl(data));
    }

    /** Selection, mask checks, reminders, validation: register on {@code uga-cpu}. */
    public List<Object> cpu() {
        return List.of(new SelectionActivitiesImpl(data), new AnnotationActivitiesImpl(data), new ValidationActivitiesImpl(data));
    }
}
