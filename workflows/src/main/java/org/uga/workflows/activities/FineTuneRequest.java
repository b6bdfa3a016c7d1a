package org.uga.workflows.activities;

import java.util.List;
import org.uga.workflows.model.AnnotatedPatch;
import org.uga.workflows.model.FineTuneConfig;

/**
 * Fine-tune {@code parentModelKey} on the annotated patches (cut from the tiles of {@code localDatasetPrefix})
 * mixed with replay tiles from {@code replayDatasetPrefix} (may be null).
 */
public record FineTuneRequest(String campaignId, int cycle, String parentModelKey, String localDatasetPrefix,
                              List<AnnotatedPatch> annotations, List<String> newAnnotationIds,
                              String replayDatasetPrefix, List<String> replayTileIds, FineTuneConfig config,
                              long seed) {

    public FineTuneRequest {
        annotations = annotations == null ? List.of() : List.copyOf(annotations);
        newAnnotationIds = newAnnotationIds == null ? List.of() : List.copyOf(newAnnotationIds);
        replayTileIds = replayTileIds == null ? List.of() : List.copyOf(replayTileIds);
    }
}
