package org.uga.workflows.activities;

import java.util.List;
import org.uga.workflows.model.AnnotatedPatch;

/**
 * Pick {@code budget} patches of {@code patchSize} from the scored tiles with {@code strategy}, avoiding regions
 * already annotated in earlier cycles.
 */
public record SelectionRequest(String campaignId, int cycle, String modelKey, String datasetPrefix,
                               ScoringResult scoring, String strategy, int budget, int patchSize,
                               List<AnnotatedPatch> alreadyAnnotated, long seed) {

    public SelectionRequest {
        alreadyAnnotated = alreadyAnnotated == null ? List.of() : List.copyOf(alreadyAnnotated);
    }
}
