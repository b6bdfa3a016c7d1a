package org.uga.ml.select;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** Registry of the selection strategies by config name, all with the paper's tissue filter. */
public final class SelectionStrategies {

    private static final Map<String, Supplier<SelectionStrategy>> STRATEGIES = new LinkedHashMap<>();

    static {
        STRATEGIES.put(UgaStrategy.NAME, UgaStrategy::new);
        STRATEGIES.put(RandomStrategy.NAME, RandomStrategy::new);
        STRATEGIES.put(DiverseStrategy.NAME, DiverseStrategy::new);
        STRATEGIES.put(UgaStrategy.PATCH_MAX_NAME,
                () -> new UgaStrategy(TissueFilter.PAPER, PaperTileScore.Reference.PATCH));
    }

    private SelectionStrategies() {
    }

    /** {@code uga}, {@code random}, {@code diverse} or {@code uga-patchmax}. */
    public static SelectionStrategy byName(String name) {
        Supplier<SelectionStrategy> s = name == null ? null : STRATEGIES.get(name.trim().toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new IllegalArgumentException("unknown selection strategy '" + name + "'; known: " + names());
        }
        return s.get();
    }

    public static List<String> names() {
        return List.copyOf(STRATEGIES.keySet());
    }
}
