package org.uga.ml.model;

import java.util.List;
import java.util.Objects;

/**
 * The model(s) an uncertainty estimator runs: one for MC dropout and TTA, K independently trained members for a
 * deep ensemble. {@link #primary()} is the model used for segmentation and fine-tuning. Closing the set closes
 * every member.
 */
public record ModelSet(List<SegmentationModel> members) implements AutoCloseable {

    public ModelSet {
        Objects.requireNonNull(members, "members");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a model set needs at least one model");
        }
        members = List.copyOf(members);
    }

    public static ModelSet of(SegmentationModel... models) {
        return new ModelSet(List.of(models));
    }

    public SegmentationModel primary() {
        return members.get(0);
    }

    public int size() {
        return members.size();
    }

    @Override
    public void close() {
        for (SegmentationModel m : members) {
            m.close();
        }
    }
}
