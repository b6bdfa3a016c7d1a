package org.uga.ml.uncertainty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uga.ml.data.Tile;
import org.uga.ml.model.ModelSet;

/** Model(s) + estimator + measure -> the uncertainty map of a tile (mean probability and per-pixel uncertainty). */
public final class Scoring {

    private Scoring() {
    }

    public static UncertaintyMap score(ModelSet models, UncertaintyEstimator estimator, UncertaintyMeasure measure, Tile tile) {
        MemberPredictions predictions = estimator.predict(models, tile);
        return new UncertaintyMap(tile.id(), tile.width(), tile.height(), predictions.mean(), measure.compute(predictions));
    }

    /** Maps for several tiles, keyed by tile id in input order. */
    public static Map<String, UncertaintyMap> scoreAll(ModelSet models, UncertaintyEstimator estimator,
                                                       UncertaintyMeasure measure, List<Tile> tiles) {
        Map<String, UncertaintyMap> maps = new LinkedHashMap<>();
        for (Tile t : tiles) {
            maps.put(t.id(), score(models, estimator, measure, t));
        }
        return maps;
    }
}
