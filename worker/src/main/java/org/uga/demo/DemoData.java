package org.uga.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.uga.activities.SlideScoring;
import org.uga.imaging.SlideGenerator;
import org.uga.imaging.StoredSlides;
import org.uga.imaging.TiledTiffWriter;
import org.uga.ml.data.Dataset;
import org.uga.ml.data.DatasetReader;
import org.uga.ml.data.HeGenerator;
import org.uga.ml.data.Images;
import org.uga.ml.data.Tile;
import org.uga.store.ObjectKeys;
import org.uga.store.ObjectStore;

/**
 * The demo's three sets, uploaded to the object store the way a coordinator would: central (images + masks, to
 * train the starting model), the local pool (images only — the platform never sees their masks; the simulated
 * clinicians hold them) and local validation (images + masks, for Dice).
 *
 * @param localTiles the local tiles with their true masks, known only to the demo (the simulated clinicians)
 */
public record DemoData(String centralDatasetId, List<Tile> centralTiles, String localDatasetId, List<String> poolIds,
                       List<String> validationIds, Map<String, Tile> localTiles, String source, DemoSlide slide) {

    /**
     * A generated whole slide in the local lab's stain, stored at {@code key} ({@code slides/<id>/<file>}); the
     * generator also gives the simulated clinicians its nucleus ground truth.
     */
    public record DemoSlide(String key, SlideGenerator generator) {

        public static DemoSlide generate(int width, int height, long seed) {
            return new DemoSlide("slides/demo-slide-" + seed + "/slide.tif",
                    new SlideGenerator(width, height, seed, HeGenerator.StainShift.LOCAL_DEFAULT));
        }
    }

    public DemoData(String centralDatasetId, List<Tile> centralTiles, String localDatasetId, List<String> poolIds,
                    List<String> validationIds, Map<String, Tile> localTiles, String source) {
        this(centralDatasetId, centralTiles, localDatasetId, poolIds, validationIds, localTiles, source, null);
    }

    /** The same data plus a whole slide in the pool. */
    public DemoData withSlide(DemoSlide s) {
        return new DemoData(centralDatasetId, centralTiles, localDatasetId, poolIds, validationIds, localTiles,
                source + " + a generated " + s.generator().width() + "x" + s.generator().height() + " slide", s);
    }

    /** What the campaigns score: the pool tiles, and the slide's key when there is one. */
    public List<String> poolEntries() {
        if (slide == null) {
            return poolIds;
        }
        List<String> all = new ArrayList<>(poolIds);
        all.add(slide.key());
        return List.copyOf(all);
    }

    /** Validation share of the local domain; the rest is the pool the campaign selects patches from. */
    static final double VALIDATION_FRACTION = 0.4;

    /** Generated H&E-like data: {@code central} central tiles and {@code local} stain-shifted tiles of size x size. */
    public static DemoData generated(int central, int local, int size, long seed) {
        Dataset c = HeGenerator.generate(central, size, size, HeGenerator.CENTRAL, HeGenerator.StainShift.NONE, seed);
        Dataset l = HeGenerator.generate(local, size, size, HeGenerator.LOCAL, HeGenerator.StainShift.LOCAL_DEFAULT, seed);
        return of(c, l, "generated H&E-like tiles (" + central + " central, " + local + " local with a stain shift, "
                + size + "x" + size + ", seed " + seed + ")", seed);
    }

    /** A dataset folder with a manifest {@code domain} column: {@code central} is central, every other domain local. */
    public static DemoData fromFolder(Path dir, long seed) {
        Dataset all = DatasetReader.read(dir);
        Dataset c = all.byDomain(HeGenerator.CENTRAL);
        Dataset l = new Dataset(all.name() + "-local",
                all.tiles().stream().filter(t -> !HeGenerator.CENTRAL.equals(t.domain())).toList());
        if (c.isEmpty() || l.isEmpty()) {
            throw new IllegalArgumentException(dir + ": the demo needs tiles of domain 'central' and of another "
                    + "domain in manifest.csv; found " + all.domains());
        }
        return of(c, l, dir + " (" + c.size() + " central, " + l.size() + " local tiles)", seed);
    }

    private static DemoData of(Dataset central, Dataset local, String source, long seed) {
        Dataset.Split split = local.splitById(VALIDATION_FRACTION, "uga-demo-" + seed);
        Map<String, Tile> localTiles = new HashMap<>();
        for (Tile t : local.tiles()) {
            localTiles.put(t.id(), t);
        }
        String tag = Integer.toHexString(source.hashCode());
        return new DemoData("demo-central-" + tag, central.tiles(), "demo-local-" + tag,
                split.second().tiles().stream().map(Tile::id).toList(),
                split.first().tiles().stream().map(Tile::id).toList(), Map.copyOf(localTiles), source);
    }

    public List<String> centralIds() {
        return centralTiles.stream().map(Tile::id).toList();
    }

    /** Uploads images (and the masks the platform may see) under {@code datasets/<id>/}. Idempotent. */
    public void upload(ObjectStore store) {
        try {
            for (Tile t : centralTiles) {
                putTile(store, centralDatasetId, t, true);
            }
            for (String id : poolIds) {
                putTile(store, localDatasetId, localTiles.get(id), false);
            }
            for (String id : validationIds) {
                putTile(store, localDatasetId, localTiles.get(id), true);
            }
            if (slide != null && !store.exists(slide.key())) {
                Path tmp = Files.createTempFile("uga-demo-slide", ".tif");
                try {
                    slide.generator().writeTiff(tmp, 256, TiledTiffWriter.Compression.DEFLATE);
                    StoredSlides.upload(store, tmp, slide.key(), StoredSlides.TIFF);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putTile(ObjectStore store, String datasetId, Tile t, boolean withMask) throws IOException {
        String imageKey = ObjectKeys.datasetImage(datasetId, t.id());
        if (!store.exists(imageKey)) {
            store.putBytes(imageKey, Images.encodePng(Images.toImage(t)), "image/png");
        }
        String maskKey = ObjectKeys.datasetMask(datasetId, t.id());
        if (withMask && !store.exists(maskKey)) {
            store.putBytes(maskKey, Images.encodePng(Images.maskToImage(t.mask(), t.width(), t.height())), "image/png");
        }
    }

    /** The clinician's "correction": the true mask of the patch region, as a 0/255 PNG. */
    public byte[] truthPatchPng(String tileId, int x, int y, int w, int h) {
        if (slide != null && SlideScoring.SlideWindow.isWindowId(tileId)) {
            SlideScoring.SlideWindow win = SlideScoring.SlideWindow.parse(tileId);
            if (!win.slideKey().equals(slide.key())) {
                throw new IllegalArgumentException("the demo has no slide " + win.slideKey());
            }
            int x0 = win.x() + x;
            byte[] rows = slide.generator().renderMaskRows(win.y() + y, h);
            byte[] mask = new byte[w * h];
            for (int r = 0; r < h; r++) {
                System.arraycopy(rows, r * slide.generator().width() + x0, mask, r * w, w);
            }
            try {
                return Images.encodePng(Images.maskToImage(mask, w, h));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Tile t = localTiles.get(tileId);
        if (t == null) {
            throw new IllegalArgumentException("the demo has no local tile " + tileId);
        }
        try {
            return Images.encodePng(Images.maskToImage(t.crop(x, y, w, h).mask(), w, h));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
