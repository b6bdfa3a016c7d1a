package org.uga.workflows.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the campaign's first model comes from: an existing content-addressed checkpoint ({@code initialModelKey}),
 * or central data to train one ({@code centralDatasetPrefix}, {@code initialEpochs}). The central prefix, when given,
 * is also the replay data mixed into every fine-tuning.
 */
public record ModelSource(String initialModelKey, String centralDatasetPrefix, List<String> centralTileIds, int initialEpochs) {

    /**
     * Keys of deep-ensemble manifests start with this ({@code models/ensembles/<sha256>.json}, built by the store's
     * {@code ObjectKeys.modelEnsemble}); any other {@code initialModelKey} is a single checkpoint.
     */
    public static final String ENSEMBLE_MANIFEST_PREFIX = "models/ensembles/";

    public ModelSource {
        centralTileIds = centralTileIds == null ? List.of() : List.copyOf(centralTileIds);
    }

    public static ModelSource checkpoint(String modelKey) {
        return new ModelSource(modelKey, null, List.of(), 0);
    }

    public static ModelSource trainOn(String centralDatasetPrefix, List<String> centralTileIds, int epochs) {
        return new ModelSource(null, centralDatasetPrefix, centralTileIds, epochs);
    }

    /** True when {@code initialModelKey} names a deep-ensemble manifest rather than one checkpoint. */
    public boolean initialModelIsEnsemble() {
        return hasInitialModelKey() && initialModelKey.startsWith(ENSEMBLE_MANIFEST_PREFIX) && initialModelKey.endsWith(".json");
    }

    /** The campaign starts from {@code initialModelKey} (else it trains on the central data). */
    public boolean hasInitialModelKey() {
        return initialModelKey != null && !initialModelKey.isBlank();
    }

    List<String> problems() {
        List<String> p = new ArrayList<>();
        boolean hasKey = initialModelKey != null && !initialModelKey.isBlank();
        boolean hasCentral = centralDatasetPrefix != null && !centralDatasetPrefix.isBlank();
        if (!hasKey && !hasCentral) {
            p.add("modelSource: give initialModelKey or centralDatasetPrefix");
        }
        if (!hasKey && hasCentral && initialEpochs <= 0) {
            p.add("modelSource.initialEpochs must be > 0 to train from central data, got " + initialEpochs);
        }
        return p;
    }
}
