package org.uga.imaging.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.uga.imaging.ImageIoSlideReader;
import org.uga.imaging.SlideGenerator;
import org.uga.imaging.TiledTiffWriter;
import org.uga.imaging.TissueDetector;
import org.uga.imaging.TissueMask;
import org.uga.imaging.WholeSlideScorer;
import org.uga.ml.data.Tile;
import org.uga.ml.model.ModelSet;
import org.uga.ml.model.SegmentationModel;
import org.uga.ml.model.UNetConfig;
import org.uga.ml.uncertainty.McDropoutEstimator;
import org.uga.ml.uncertainty.MemberPredictions;
import org.uga.ml.uncertainty.PaperCrossEntropy;
import org.uga.ml.uncertainty.UncertaintyMap;

/**
 * Whole-slide scoring benchmark: generates H&E-like tiled pyramidal TIFF slides of the given sizes, scores each
 * tile by tile and prints tiles/s and heap numbers. Never asserts timings.
 *
 * <p>Per-tile function: a 3-member colour "ensemble" (hematoxylin-darkness logistic with three thresholds)
 * through the paper's cross-entropy uncertainty ({@link PaperCrossEntropy}); no U-Net exists on this branch yet,
 * so tiles/s measures the imaging pipeline (ranged read, decode, blend, band files, TIFF maps), not a model.
 *
 * <p>{@code --model unet}: the real per-tile function of the campaign's scoring activity instead, a freshly
 * initialised U-Net ({@code SegmentationModel.create(UNetConfig.cpuDefault(), seed)}) with MC dropout
 * ({@link McDropoutEstimator}, {@code --passes} stochastic passes) through the paper's cross-entropy measure.
 * {@code --max-tiles N} stops each slide after N tiles (in walk order: stripe by stripe; tiles/s and heap are
 * then over those tiles) so a slow CPU still gets numbers.
 *
 * <p>{@code --model plain}: probability = red, uncertainty = green (no arithmetic to speak of), for memory
 * measurements where the per-tile function should not matter. {@code --stripe W} sets the scorer's stripe width
 * (default {@link WholeSlideScorer#DEFAULT_STRIPE_WIDTH}); {@code --reuse-slides} keeps generated slides in
 * {@code --dir} and reuses them on the next run (for sweeps over {@code -Xmx}). {@code --live-every N} forces a
 * full GC after every N-th tile and reports the largest heap in use right after it ("sampled live"): the live set
 * while walking, independent of how lazily the collector runs (the after-any-GC figure includes whatever garbage
 * the collector chose to leave in old regions, so it grows with {@code -Xmx}).
 *
 * <p>Usage: {@code WholeSlideBench [SIZE ...] [--tile 256] [--overlap 32] [--dir DIR] [--model colour|plain|unet]
 * [--passes 4] [--max-tiles N] [--stripe W] [--reuse-slides] [--live-every N]} (default sizes 4096 16384).
 */
public final class WholeSlideBench {

    /** Largest heap in use right after any GC: the live set, independent of when the collector runs. */
    private static final AtomicLong maxLiveAfterGc = new AtomicLong();

    public static void main(String[] argv) throws Exception {
        int tile = 256;
        int overlap = 32;
        Path dir = Files.createTempDirectory("uga-bench");
        String modelName = "colour";
        int passes = 4;
        int maxTiles = Integer.MAX_VALUE;
        int stripe = -1;
        boolean reuseSlides = false;
        int liveEvery = 0;
        java.util.List<Integer> sizes = new java.util.ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--tile" -> tile = Integer.parseInt(argv[++i]);
                case "--overlap" -> overlap = Integer.parseInt(argv[++i]);
                case "--dir" -> dir = Files.createDirectories(Path.of(argv[++i]));
                case "--model" -> modelName = argv[++i];
                case "--passes" -> passes = Integer.parseInt(argv[++i]);
                case "--max-tiles" -> maxTiles = Integer.parseInt(argv[++i]);
                case "--stripe" -> stripe = Integer.parseInt(argv[++i]);
                case "--reuse-slides" -> reuseSlides = true;
                case "--live-every" -> liveEvery = Integer.parseInt(argv[++i]);
                default -> sizes.add(Integer.parseInt(argv[i]));
            }
        }
        if (sizes.isEmpty()) {
            sizes = java.util.List.of(4096, 16384);
        }
        installGcListener();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("JVM max heap %d MiB, %d CPUs; tile %d, overlap %d; work dir %s%n",
                rt.maxMemory() >> 20, rt.availableProcessors(), tile, overlap, dir);
        if (!modelName.equals("colour") && !modelName.equals("unet") && !modelName.equals("plain")) {
            throw new IllegalArgumentException("--model must be colour, plain or unet, got '" + modelName + "'");
        }
        WholeSlideScorer.Params params = new WholeSlideScorer.Params(0, tile, overlap, 0.0, 256,
                TiledTiffWriter.Compression.DEFLATE);
        if (stripe > 0) {
            params = params.withStripeWidth(stripe);
        }
        SegmentationModel unet = modelName.equals("unet") ? SegmentationModel.create(UNetConfig.cpuDefault(), 2024) : null;
        Function<Tile, UncertaintyMap> perTile = unet != null ? unetMcDropout(unet, passes)
                : modelName.equals("plain") ? plain() : colourEnsemble();
        System.out.println(unet != null ? "per-tile function: U-Net " + unet.config() + " (" + unet.parameterCount()
                + " params), MC dropout " + passes + " passes + paper-ce uncertainty"
                : modelName.equals("plain") ? "per-tile function: plain (probability = red, uncertainty = green)"
                : "per-tile function: 3-member colour ensemble + paper-ce uncertainty");
        System.out.println("stripe width " + params.stripeWidth());
        if (maxTiles != Integer.MAX_VALUE) {
            System.out.println("stopping each slide after " + maxTiles + " tiles (walk order); maps not written then");
        }
        System.out.println("size    | slide MiB | gen s | tiles | score s | tiles/s | maps MiB | peak heap MiB | max live after GC MiB"
                + " | sampled live MiB");
        java.lang.management.MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int size : sizes) {
            Path slide = dir.resolve("slide-" + size + ".tif");
            long t0 = System.nanoTime();
            if (!(reuseSlides && Files.exists(slide))) {
                new SlideGenerator(size, size, 2024).writeTiff(slide, 256, TiledTiffWriter.Compression.DEFLATE);
            }
            double genS = (System.nanoTime() - t0) / 1e9;

            System.gc();
            resetPeaks();
            maxLiveAfterGc.set(0);
            Path work = dir.resolve("work-" + size);
            long t1 = System.nanoTime();
            WholeSlideScorer.Result r = null;
            int[] tilesDone = {0};
            long[] sampledLive = {-1};
            final int limit = maxTiles;
            final int every = liveEvery;
            try (ImageIoSlideReader reader = ImageIoSlideReader.open(slide)) {
                TissueMask tissue = TissueDetector.defaults().detect(reader, 32);
                r = new WholeSlideScorer(params)
                        .score(reader, tissue, perTile, work, dir.resolve("prob-" + size + ".tif"),
                                dir.resolve("unc-" + size + ".tif"), 0, (index, total, resume) -> {
                                    tilesDone[0] = index + 1;
                                    if (every > 0 && index % every == 0) {
                                        System.gc();
                                        sampledLive[0] = Math.max(sampledLive[0], memory.getHeapMemoryUsage().getUsed());
                                    }
                                    if (index + 1 >= limit) {
                                        throw new StopBench();
                                    }
                                });
            } catch (StopBench stop) {
                // --max-tiles reached: numbers cover the tiles scored so far
            }
            double scoreS = (System.nanoTime() - t1) / 1e9;
            long peak = peakHeap();
            int tiles = r == null ? tilesDone[0] : r.tilesTotal();
            double maps = r == null ? Double.NaN
                    : (Files.size(r.probabilityTiff()) + Files.size(r.uncertaintyTiff())) / 1048576.0;
            System.out.printf("%5dx%-5d | %9.1f | %5.1f | %5d | %7.1f | %7.2f | %8.1f | %13.1f | %21.1f | %16.1f%n",
                    size, size, Files.size(slide) / 1048576.0, genS, tiles, scoreS, tiles / scoreS,
                    maps, peak / 1048576.0, maxLiveAfterGc.get() / 1048576.0,
                    sampledLive[0] < 0 ? Double.NaN : sampledLive[0] / 1048576.0);
            deleteTree(work);
            if (!reuseSlides) {
                Files.deleteIfExists(slide);
            }
            Files.deleteIfExists(dir.resolve("prob-" + size + ".tif"));
            Files.deleteIfExists(dir.resolve("unc-" + size + ".tif"));
        }
        if (unet != null) {
            unet.close();
        }
    }

    /** Thrown from the progress callback to stop a slide at {@code --max-tiles}. */
    private static final class StopBench extends RuntimeException {
        StopBench() {
            super("max tiles reached", null, false, false);
        }
    }

    /** The scoring activity's per-tile function: MC dropout of the U-Net through the paper's measure. */
    static Function<Tile, UncertaintyMap> unetMcDropout(SegmentationModel model, int passes) {
        McDropoutEstimator estimator = new McDropoutEstimator(passes, 7);
        ModelSet models = ModelSet.of(model);
        PaperCrossEntropy measure = new PaperCrossEntropy();
        return tile -> {
            MemberPredictions mp = estimator.predict(models, tile);
            return new UncertaintyMap(tile.id(), tile.width(), tile.height(), mp.mean(), measure.compute(mp));
        };
    }

    /** Probability = red, uncertainty = green: the cheapest per-tile function that still varies over the slide. */
    static Function<Tile, UncertaintyMap> plain() {
        return tile -> {
            int n = tile.pixels();
            float[] p = java.util.Arrays.copyOfRange(tile.rgb(), 0, n);
            float[] u = java.util.Arrays.copyOfRange(tile.rgb(), n, 2 * n);
            return new UncertaintyMap(tile.id(), tile.width(), tile.height(), p, u);
        };
    }

    static Function<Tile, UncertaintyMap> colourEnsemble() {
        PaperCrossEntropy measure = new PaperCrossEntropy();
        float[] shifts = {-1f, 0f, 1f};
        return tile -> {
            int n = tile.pixels();
            float[] rgb = tile.rgb();
            float[][] members = new float[shifts.length][n];
            for (int i = 0; i < n; i++) {
                float dark = 0.55f - 0.5f * (rgb[i] + rgb[n + i]);
                for (int k = 0; k < shifts.length; k++) {
                    members[k][i] = (float) (1 / (1 + Math.exp(-(dark * 20 + shifts[k]))));
                }
            }
            MemberPredictions mp = new MemberPredictions(tile.width(), tile.height(), members);
            return new UncertaintyMap(tile.id(), tile.width(), tile.height(), mp.mean(), measure.compute(mp));
        };
    }

    private static void installGcListener() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof NotificationEmitter emitter)) {
                continue;
            }
            emitter.addNotificationListener((notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                        (CompositeData) notification.getUserData());
                long used = 0;
                for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (isHeapPool(e.getKey())) {
                        used += e.getValue().getUsed();
                    }
                }
                long u = used;
                maxLiveAfterGc.accumulateAndGet(u, Math::max);
            }, null, null);
        }
    }

    private static boolean isHeapPool(String name) {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getName().equals(name)) {
                return p.getType() == MemoryType.HEAP;
            }
        }
        return false;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peak usage since the last reset (an upper bound on the peak heap). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
