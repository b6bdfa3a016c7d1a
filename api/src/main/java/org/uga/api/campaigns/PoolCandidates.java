package org.uga.api.campaigns;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.uga.api.campaigns.DatasetService.SlideEntry;
import org.uga.api.platform.Storage;
import org.uga.store.ObjectInfo;

/**
 * What a coordinator can put into a campaign's pool ({@code localData.tileIds}): dataset tiles
 * ({@code datasets/<dataset>/images/<tileId>.png}, pool entry = the tile id, with {@code localData.datasetPrefix} =
 * the dataset) and stored whole slides ({@code slides/<slideId>/<file>}, pool entry = the key itself, walked window
 * by window by the scoring activity).
 */
@Singleton
public class PoolCandidates {

    public static final String TILE = "tile";
    public static final String SLIDE = "slide";
    private static final String DATASETS = "datasets/";

    /**
     * One candidate.
     *
     * @param kind       {@code tile} or {@code slide}
     * @param poolEntry  what goes into {@code localData.tileIds}
     * @param key        the object key
     * @param dataset    tiles: the dataset ({@code localData.datasetPrefix}); null for slides
     * @param width      pixels (slides: level 0); null when unknown (a tile whose PNG header cannot be read)
     * @param levels     resolution levels (tiles: 1)
     * @param bytes      object size
     * @param hasMask    tiles: a mask exists (may serve as a validation tile); null for slides
     * @param previewUrl slides: a PNG of the whole slide, at most 512 px
     * @param usable     false when the object cannot be used (an unreadable slide); {@code problem} says why
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PoolCandidate(String kind, String poolEntry, String key, String dataset, Integer width, Integer height,
                                Integer levels, List<SlideCatalog.LevelSize> levelSizes, long bytes, String format,
                                Boolean hasMask, String previewUrl, boolean usable, String problem) {
    }

    private record Size(int width, int height) {
    }

    private record Versioned(long size, java.time.Instant lastModified, Size dims) {
    }

    @Inject
    Storage storage;

    @Inject
    DatasetService datasets;

    @Inject
    SlideCatalog slides;

    /** PNG sizes read from headers, per object version (tiles registered rather than uploaded have no registry size). */
    private final Map<String, Versioned> headerSizes = new ConcurrentHashMap<>();

    /** Dataset tiles (of {@code dataset} only, when given) then slides, each sorted by key. */
    public List<PoolCandidate> list(String dataset) {
        List<PoolCandidate> out = new ArrayList<>(tiles(dataset));
        out.addAll(slides());
        return out;
    }

    public static String previewUrl(String slideId, String file) {
        return "/api/slides/" + slideId + "/" + file + "/preview";
    }

    List<PoolCandidate> tiles(String dataset) {
        String prefix = dataset == null ? DATASETS : DATASETS + DatasetService.checkDataset(dataset) + "/";
        List<ObjectInfo> objects = storage.listInfo(prefix);
        Set<String> masks = new HashSet<>();
        for (ObjectInfo o : objects) {
            String[] p = datasetParts(o.key());
            if (p != null && p[1].equals("masks")) {
                masks.add(p[0] + "/" + p[2]);
            }
        }
        Map<String, SlideEntry> registered = new HashMap<>();
        datasets.registry().forEach(e -> registered.put(e.key(), e));
        List<PoolCandidate> out = new ArrayList<>();
        for (ObjectInfo o : objects) {
            String[] p = datasetParts(o.key());
            if (p == null || !p[1].equals("images")) {
                continue;
            }
            SlideEntry e = registered.get(o.key());
            Size size = e != null && e.width() != null && e.height() != null ? new Size(e.width(), e.height()) : headerSize(o);
            out.add(new PoolCandidate(TILE, p[2], o.key(), p[0], size == null ? null : size.width(),
                    size == null ? null : size.height(), 1, null, o.size(), "PNG", masks.contains(p[0] + "/" + p[2]), null,
                    true, null));
        }
        out.sort(Comparator.comparing(PoolCandidate::key));
        return out;
    }

    List<PoolCandidate> slides() {
        List<PoolCandidate> out = new ArrayList<>();
        for (SlideCatalog.Inspection in : slides.list()) {
            String[] p = SlideCatalog.parts(in.key()).orElseThrow();
            SlideCatalog.SlideSummary s = in.summary();
            long bytes = s != null ? s.bytes() : storage.size(in.key()).orElse(0L);
            out.add(s == null
                    ? new PoolCandidate(SLIDE, in.key(), in.key(), null, null, null, null, null, bytes, null, null, null, false,
                            in.problem())
                    : new PoolCandidate(SLIDE, in.key(), in.key(), null, s.width(), s.height(), s.levels().size(), s.levels(),
                            bytes, s.format().toUpperCase(java.util.Locale.ROOT), null, previewUrl(p[0], p[1]), true, null));
        }
        out.sort(Comparator.comparing(PoolCandidate::key));
        return out;
    }

    /** {dataset, images|masks, tileId} of {@code datasets/<dataset>/images|masks/<tileId>.png}, else null. */
    static String[] datasetParts(String key) {
        String[] p = key.split("/", -1);
        if (p.length != 4 || !p[0].equals("datasets") || !(p[2].equals("images") || p[2].equals("masks"))
                || !p[3].endsWith(".png") || p[3].length() <= 4) {
            return null;
        }
        return new String[] {p[1], p[2], p[3].substring(0, p[3].length() - 4)};
    }

    /** Width and height from the PNG's IHDR chunk (one ranged read of 24 bytes), or null when it is not a PNG. */
    private Size headerSize(ObjectInfo o) {
        Versioned v = headerSizes.get(o.key());
        if (v != null && v.size() == o.size() && java.util.Objects.equals(v.lastModified(), o.lastModified())) {
            return v.dims();
        }
        Size dims = storage.head(o.key(), 24).map(PoolCandidates::pngSize).orElse(null);
        headerSizes.put(o.key(), new Versioned(o.size(), o.lastModified(), dims));
        return dims;
    }

    static Size pngSize(byte[] head) {
        if (head.length < 24 || (head[0] & 0xFF) != 0x89 || head[1] != 'P' || head[2] != 'N' || head[3] != 'G'
                || head[12] != 'I' || head[13] != 'H' || head[14] != 'D' || head[15] != 'R') {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(head); // big-endian, as PNG
        int w = b.getInt(16);
        int h = b.getInt(20);
        return w > 0 && h > 0 ? new Size(w, h) : null;
    }
}
