package org.uga.imaging;

import java.nio.file.Path;
import java.util.function.Function;
import org.uga.ml.data.Tile;
import org.uga.ml.uncertainty.UncertaintyMap;

/**
 * Scores one slide with a trivial deterministic per-tile function (probability = red, uncertainty = green scaled
 * by the tile's x origin) and exits; run in a JVM with a small {@code -Xmx} by
 * {@code WholeSlideScorerTest#scoresAVeryWideSlideUnderASmallHeap} to show that scoring memory does not grow
 * with the slide width.
 *
 * <p>Usage: {@code WideSlideScoringMain SLIDE WORK_DIR PROB_TIFF UNC_TIFF TILE OVERLAP}
 */
public final class WideSlideScoringMain {

    private WideSlideScoringMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: WideSlideScoringMain SLIDE WORK_DIR PROB_TIFF UNC_TIFF TILE OVERLAP");
            System.exit(2);
        }
        WholeSlideScorer scorer = new WholeSlideScorer(
                WholeSlideScorer.Params.of(Integer.parseInt(args[4]), Integer.parseInt(args[5])));
        long t0 = System.nanoTime();
        try (ImageIoSlideReader slide = ImageIoSlideReader.open(Path.of(args[0]))) {
            WholeSlideScorer.Result r = scorer.score(slide, null, redAndGreen(), Path.of(args[1]), Path.of(args[2]),
                    Path.of(args[3]), 0, null);
            Runtime rt = Runtime.getRuntime();
            System.out.printf("scored %d tiles of %dx%d in %.1f s; max heap %d MiB%n", r.tilesScored(), r.width(),
                    r.height(), (System.nanoTime() - t0) / 1e9, rt.maxMemory() >> 20);
        }
    }

    static Function<Tile, UncertaintyMap> redAndGreen() {
        return tile -> {
            int n = tile.pixels();
            float[] p = new float[n];
            float[] u = new float[n];
            String coords = tile.id().substring(tile.id().indexOf(':') + 1);
            float scale = 1 + Integer.parseInt(coords.split(",")[0]) / 32768f;
            for (int i = 0; i < n; i++) {
                p[i] = tile.rgb()[i];
                u[i] = tile.rgb()[n + i] * scale;
            }
            return new UncertaintyMap(tile.id(), tile.width(), tile.height(), p, u);
        };
    }
}
