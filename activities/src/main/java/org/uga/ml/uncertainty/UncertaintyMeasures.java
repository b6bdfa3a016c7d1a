package org.uga.ml.uncertainty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Registry of the uncertainty measures by config name. */
public final class UncertaintyMeasures {

    private static final Map<String, Supplier<UncertaintyMeasure>> MEASURES = new LinkedHashMap<>();

    static {
        MEASURES.put(PaperCrossEntropy.NAME, PaperCrossEntropy::new);
        MEASURES.put(PredictiveEntropy.NAME, PredictiveEntropy::new);
        MEASURES.put(MutualInformation.NAME, MutualInformation::new);
        MEASURES.put(PredictiveVariance.NAME, PredictiveVariance::new);
    }

    private UncertaintyMeasures() {
    }

    /** The measure called {@code name} ({@code paper-ce}, {@code entropy}, {@code bald}, {@code variance}). */
    public static UncertaintyMeasure byName(String name) {
        Supplier<UncertaintyMeasure> s = name == null ? null : MEASURES.get(name.trim().toLowerCase(java.util.Locale.ROOT));
        if (s == null) {
            throw new IllegalArgumentException("unknown uncertainty measure '" + name + "'; known: " + names());
        }
        return s.get();
    }

    public static List<String> names() {
        return List.copyOf(MEASURES.keySet());
    }

    /** The paper's measure. */
    public static UncertaintyMeasure paperDefault() {
        return new PaperCrossEntropy();
    }
}
