package org.uga.api.campaigns;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.uga.activities.SlideScoring;
import org.uga.api.error.ApiProblem;
import org.uga.api.platform.Platform;
import org.uga.imaging.ImageIoSlideReader;
import org.uga.imaging.RangeImageInputStream;
import org.uga.imaging.SlideInfo;
import org.uga.imaging.SlidePreview;
import org.uga.imaging.StoredSlides;
import org.uga.ml.data.Images;
import org.uga.store.NotFoundException;
import org.uga.store.ObjectInfo;
import org.uga.store.ObjectStore;

/**
 * Whole slides stored at {@code slides/<slideId>/<file>}, as the scoring activity will read them: opened through
 * {@link StoredSlides#open} (the workers' {@link ImageIoSlideReader} over ranged GETs), so describing a slide costs
 * its header and TIFF directories, and a preview costs the tiles of one low-resolution level — never the whole file.
 * Descriptions and previews are cached per object version (size + last-modified).
 */
@Singleton
public class SlideCatalog {

    /** Longest side of a preview PNG. */
    public static final int PREVIEW_MAX = 512;
    /** Levels at most this large are read in one region; larger ones (no small pyramid level) are read subsampled. */
    private static final int CACHED_PREVIEWS = 32;

    /** One resolution level: its size and downsample from level 0. */
    public record LevelSize(int width, int height, double downsample) {
    }

    /**
     * What a stored slide is. {@code bytesRead} is what opening it fetched from the store (header and directories),
     * for comparison with {@code bytes}, the object's size.
     */
    public record SlideSummary(String key, String slideId, String file, String format, int width, int height,
                               List<LevelSize> levels, long bytes, long bytesRead) {
    }

    /** The outcome of opening a slide key: a summary, or why the object is not a slide the workers can read. */
    public record Inspection(String key, boolean exists, SlideSummary summary, String problem) {

        public boolean readable() {
            return summary != null;
        }
    }

    private record Version(long size, java.time.Instant lastModified) {
        static Version of(ObjectInfo i) {
            return new Version(i.size(), i.lastModified());
        }
    }

    private record Cached<T>(Version version, T value) {
    }

    @Inject
    Platform platform;

    private final Map<String, Cached<Inspection>> inspections = new ConcurrentHashMap<>();
    private final Map<String, Cached<byte[]>> previews = new LinkedHashMap<>(CACHED_PREVIEWS * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached<byte[]>> eldest) {
            return size() > CACHED_PREVIEWS;
        }
    };

    private ObjectStore store() {
        return platform.store();
    }

    /** The {slideId, file} of a pool key {@code slides/<slideId>/<file>}, or empty when the key has another shape. */
    public static Optional<String[]> parts(String key) {
        if (!SlideScoring.isSlideKey(key)) {
            return Optional.empty();
        }
        try {
            return Optional.of(SlideScoring.slideParts(key));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Every object directly under a slide id ({@code slides/<slideId>/<file>}), described (unreadable ones too). */
    public List<Inspection> list() {
        List<Inspection> out = new ArrayList<>();
        for (ObjectInfo o : store().list(SlideScoring.SLIDES_PREFIX)) {
            if (parts(o.key()).isPresent()) {
                out.add(inspect(o));
            }
        }
        return out;
    }

    /** Describes the slide at {@code key}: missing, unreadable (with the reader's reason) or its levels. */
    public Inspection inspect(String key) {
        ObjectInfo info;
        try {
            info = store().stat(key);
        } catch (NotFoundException e) {
            return new Inspection(key, false, null, "no object at key '" + key + "'");
        }
        return inspect(info);
    }

    private Inspection inspect(ObjectInfo info) {
        Version v = Version.of(info);
        Cached<Inspection> c = inspections.get(info.key());
        if (c != null && c.version().equals(v)) {
            return c.value();
        }
        Inspection result = open(info);
        inspections.put(info.key(), new Cached<>(v, result));
        return result;
    }

    private Inspection open(ObjectInfo o) {
        String[] p = parts(o.key()).orElse(null);
        if (p == null) {
            return new Inspection(o.key(), true, null, "'" + o.key() + "' is not a slide key (slides/<slideId>/<file>)");
        }
        try (ImageIoSlideReader slide = StoredSlides.open(store(), o.key())) {
            SlideInfo si = slide.info();
            List<LevelSize> levels = si.levels().stream()
                    .map(l -> new LevelSize(l.width(), l.height(), l.downsample())).toList();
            long read = slide.input() instanceof RangeImageInputStream r ? r.bytesTransferred() : -1;
            return new Inspection(o.key(), true, new SlideSummary(o.key(), p[0], p[1], si.format(), si.width(), si.height(),
                    levels, o.size(), read), null);
        } catch (NotFoundException e) {
            return new Inspection(o.key(), false, null, "no object at key '" + o.key() + "'");
        } catch (IOException | RuntimeException e) {
            return new Inspection(o.key(), true, null, "'" + o.key() + "' is not a readable slide: " + e.getMessage());
        }
    }

    /**
     * A PNG of the whole slide, longest side at most {@link #PREVIEW_MAX}, from the coarsest level that still has
     * that many pixels (only that level's tiles are fetched). 404 for a missing key, 422 for an unreadable slide.
     */
    public byte[] preview(String key) {
        ObjectInfo info;
        try {
            info = store().stat(key);
        } catch (NotFoundException e) {
            throw ApiProblem.notFound("unknown-slide", "no slide at key '" + key + "'");
        }
        Version v = Version.of(info);
        synchronized (previews) {
            Cached<byte[]> c = previews.get(key);
            if (c != null && c.version().equals(v)) {
                return c.value();
            }
        }
        Inspection in = inspect(info);
        if (!in.readable()) {
            throw ApiProblem.unprocessable("undecodable-image", in.problem());
        }
        byte[] png;
        try (ImageIoSlideReader slide = StoredSlides.open(store(), key)) {
            png = Images.encodePng(SlidePreview.render(slide, PREVIEW_MAX));
        } catch (IOException | RuntimeException e) {
            throw ApiProblem.unprocessable("undecodable-image", "slide '" + key + "' cannot be previewed: " + e.getMessage());
        }
        synchronized (previews) {
            previews.put(key, new Cached<>(v, png));
        }
        return png;
    }
}
