package org.uga.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.uga.workflows.model.SlideWindowing;
import org.uga.workflows.model.UncertaintyConfig;

/**
 * What {@code uga demo} runs. The defaults finish in a few minutes on 2 CPU cores.
 *
 * @param data           a dataset folder (manifest with a {@code domain} column), or null for generated tiles
 * @param tiny           CI size: fewer, smaller tiles and shorter training
 * @param annotationTimeout how long annotators have per cycle before the deadline rule applies
 * @param reminderEvery  reminder interval while a patch is open
 * @param uncertainty    how both campaigns estimate uncertainty (default: the paper's measure with MC dropout)
 * @param slide          also put a generated whole slide (local stain) into both pools, walked window by window
 */
public record DemoOptions(Path data, int cycles, int patches, int annotators, long seed, Path out, Path home,
                          boolean tiny, Duration annotationTimeout, Duration reminderEvery, boolean missDeadline,
                          UncertaintyConfig uncertainty, boolean slide) {

    public DemoOptions {
        if (cycles < 1 || patches < 1 || annotators < 1) {
            throw new IllegalArgumentException("--cycles, --patches and --annotators must be at least 1");
        }
        uncertainty = uncertainty == null ? UncertaintyConfig.paperDefault() : uncertainty;
        List<String> problems = uncertainty.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    public DemoOptions(Path data, int cycles, int patches, int annotators, long seed, Path out, Path home, boolean tiny,
                       Duration annotationTimeout, Duration reminderEvery, boolean missDeadline) {
        this(data, cycles, patches, annotators, seed, out, home, tiny, annotationTimeout, reminderEvery, missDeadline,
                null, false);
    }

    int slideWidth() {
        return tiny ? 320 : 1024;
    }

    int slideHeight() {
        return tiny ? 256 : 768;
    }

    /** Windows twice the patch size or more, so a window holds a few candidate patches. */
    SlideWindowing slideWindowing() {
        return tiny ? new SlideWindowing(64, 8, 0.05) : new SlideWindowing(128, 16, 0.05);
    }

    int centralTiles() {
        return tiny ? 8 : 24;
    }

    int localTiles() {
        return tiny ? 10 : 24;
    }

    int tileSize() {
        return tiny ? 64 : 128;
    }

    int patchSize() {
        return tiny ? 32 : 48;
    }

    int initialEpochs() {
        return tiny ? 2 : 8;
    }

    int fineTuneEpochs() {
        return tiny ? 1 : 4;
    }
}
