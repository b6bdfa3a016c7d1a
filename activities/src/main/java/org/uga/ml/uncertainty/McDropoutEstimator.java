package org.uga.ml.uncertainty;

import org.uga.ml.data.Tile;
import org.uga.ml.model.ModelSet;

/**
 * {@code mc-dropout}: T stochastic passes of the primary model with dropout on and BatchNorm in inference mode.
 * The dropout masks are seeded from (seed, tile id), so a tile's map does not depend on which tiles came before.
 */
public final class McDropoutEstimator implements UncertaintyEstimator {

    public static final String NAME = "mc-dropout";

    private final int passes;
    private final long seed;

    public McDropoutEstimator(int passes, long seed) {
        if (passes < 2) {
            throw new IllegalArgumentException("MC dropout needs at least 2 passes, got " + passes);
        }
        this.passes = passes;
        this.seed = seed;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int requiredModels() {
        return 1;
    }

    public int passes() {
        return passes;
    }

    @Override
    public MemberPredictions predict(ModelSet models, Tile tile) {
        float[][] samples = models.primary().predictMcDropout(tile, passes, seed * 31 + tile.id().hashCode());
        return new MemberPredictions(tile.width(), tile.height(), samples);
    }
}
