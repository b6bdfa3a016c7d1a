package org.uga.ml.uncertainty;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.uga.ml.data.Tile;
import org.uga.ml.model.Dihedral;
import org.uga.ml.model.ModelSet;

/**
 * {@code tta}: the primary model on the first {@code views} of the 8 flips/quarter turns of the tile (view 0 is
 * the tile itself), each prediction mapped back to the original orientation.
 */
public final class TtaEstimator implements UncertaintyEstimator {

    public static final String NAME = "tta";

    private final int views;

    public TtaEstimator(int views) {
        if (views < 2 || views > Dihedral.COUNT) {
            throw new IllegalArgumentException("TTA views must be in [2, 8], got " + views);
        }
        this.views = views;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int requiredModels() {
        return 1;
    }

    @Override
    public MemberPredictions predict(ModelSet models, Tile tile) {
        return predict(models.primary()::predict, tile);
    }

    /** The views through any per-pixel predictor (a model's batch predict), mapped back. */
    MemberPredictions predict(Function<List<Tile>, List<float[]>> predictor, Tile tile) {
        List<Tile> transformed = new ArrayList<>(views);
        for (int k = 0; k < views; k++) {
            transformed.add(Dihedral.apply(tile.withMask(null), k));
        }
        List<float[]> probs = predictor.apply(transformed);
        float[][] maps = new float[views][];
        for (int k = 0; k < views; k++) {
            maps[k] = Dihedral.invert(probs.get(k), tile.width(), tile.height(), k);
        }
        return new MemberPredictions(tile.width(), tile.height(), maps);
    }
}
