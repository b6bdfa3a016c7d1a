package org.uga.imaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;
import org.uga.ml.data.Tile;
import org.uga.ml.uncertainty.UncertaintyMap;
import org.uga.store.ObjectStore;

/** Slides and score maps in the object store: open with ranged reads, score and upload the maps streaming. */
public final class StoredSlides {

    public static final String TIFF = "image/tiff";

    private StoredSlides() {
    }

    /** Opens a slide in the store; only the directories and the tiles that are read travel. */
    public static ImageIoSlideReader open(ObjectStore store, String key) throws IOException {
        return ImageIoSlideReader.open(key, S3RangeImageInputStream.open(store, key));
    }

    /** Uploads a local file streaming (one part in memory at most). */
    public static void upload(ObjectStore store, Path file, String key, String contentType) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            store.put(key, in, Files.size(file), contentType);
        }
    }

    /**
     * Scores the slide at {@code slideKey} and stores the probability and uncertainty maps as tiled pyramidal
     * float32 TIFFs at the given keys. {@code tissue} (nullable) detects tissue at {@code tissueDownsample} to skip
     * background. The work directory keeps band files between attempts so {@code resumeFromTile} (from the last
     * heartbeat) can skip finished tile rows; it is emptied after a successful upload.
     */
    public static WholeSlideScorer.Result scoreToStore(ObjectStore store, String slideKey, String probabilityKey,
                                                       String uncertaintyKey, WholeSlideScorer scorer,
                                                       TissueDetector tissue, double tissueDownsample,
                                                       Function<Tile, UncertaintyMap> perTile, Path workDir,
                                                       int resumeFromTile, WholeSlideScorer.Progress progress) throws Exception {
        Files.createDirectories(workDir);
        Path prob = workDir.resolve("probability.tif");
        Path unc = workDir.resolve("uncertainty.tif");
        WholeSlideScorer.Result result;
        try (ImageIoSlideReader slide = open(store, slideKey)) {
            TissueMask mask = tissue == null ? null : tissue.detect(slide, tissueDownsample);
            result = scorer.score(slide, mask, perTile, workDir, prob, unc, resumeFromTile, progress);
        }
        upload(store, prob, probabilityKey, TIFF);
        upload(store, unc, uncertaintyKey, TIFF);
        try (Stream<Path> files = Files.list(workDir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        }
        return result;
    }
}
