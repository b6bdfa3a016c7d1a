package org.uga.activities;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uga.imaging.ImageIoSlideReader;
import org.uga.imaging.StoredSlides;
import org.uga.imaging.TiledTiffWriter;
import org.uga.imaging.TissueDetector;
import org.uga.imaging.WholeSlideScorer;
import org.uga.ml.data.Tile;
import org.uga.ml.uncertainty.MemberPredictions;
import org.uga.ml.uncertainty.UncertaintyMap;
import org.uga.ml.uncertainty.UncertaintyMeasure;
import org.uga.store.NotFoundException;
import org.uga.store.ObjectKeys;
import org.uga.workflows.activities.TileScore;
import org.uga.workflows.model.SlideWindowing;

/**
 * Whole-slide scoring for the campaign's scoring activity. A pool entry {@code slides/<slideId>/<file>} names a
 * slide in the store: it is read with ranged GETs, walked tile by tile by {@link WholeSlideScorer} with the same
 * per-tile function as dataset tiles (the campaign model + MC dropout or TTA + the configured measure), and the
 * probability and uncertainty maps are stored as tiled pyramidal float32 TIFFs. The result is one
 * {@link TileScore} per scored window (background windows are skipped), whose id is a {@link SlideWindow} id, so
 * selection can rank windows and crop patches with region reads.
 *
 * <p>Resume: the scorer keeps its resumable state (band files) in a local work directory. With
 * {@link #scoreResumable} that directory is mirrored to {@link ObjectKeys#slideWalkPrefix} by a
 * {@link WorkDirMirror}: restored at the start of an attempt, synced whenever the scorer's {@code resumeFrom}
 * advances and before the caller heartbeats it, deleted once the maps and window scores are stored. So a retry
 * on any worker, given the last heartbeated {@code resumeFrom}, skips the finished tiles. A slide whose
 * window-score JSON exists was finished by an earlier attempt and is read back.
 */
public final class SlideScoring {

    /** Pool entries with this prefix are whole slides, not dataset tile ids. */
    public static final String SLIDES_PREFIX = "slides/";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(SlideScoring.class);

    /**
     * @param tileSize          model input per window (multiple of the U-Net's size multiple)
     * @param overlap           blended overlap between neighbouring windows
     * @param minTissueFraction windows with less tissue are not scored (the paper drops background tiles)
     * @param tissueDownsample  level downsample tissue detection runs at
     */
    public record Params(int tileSize, int overlap, double minTissueFraction, double tissueDownsample) {

        public Params {
            if (tileSize < 16 || overlap < 0 || overlap >= tileSize) {
                throw new IllegalArgumentException("invalid slide scoring grid: tile " + tileSize + ", overlap " + overlap);
            }
            if (minTissueFraction < 0 || minTissueFraction > 1 || tissueDownsample < 1) {
                throw new IllegalArgumentException("invalid tissue filter: fraction " + minTissueFraction
                        + ", downsample " + tissueDownsample);
            }
        }

        public static Params defaults() {
            return new Params(256, 32, 0.05, 32);
        }

        /** A campaign's windowing ({@code LocalData.slideWindowing}); null gives {@link #defaults()}. */
        public static Params of(SlideWindowing w) {
            Params d = defaults();
            if (w == null) {
                return d;
            }
            try {
                return new Params(w.windowSize(), w.overlap(), w.minTissueFraction(), d.tissueDownsample());
            } catch (IllegalArgumentException e) {
                throw CampaignData.invalid("localData.slideWindowing is invalid: " + e.getMessage());
            }
        }
    }

    /**
     * What scoring one slide did: its scored windows, and for a walk (not read back from an earlier attempt's
     * window scores) the scorer's counts; {@code tilesResumed} tiles came from a restored checkpoint.
     */
    public record SlideOutcome(List<TileScore> windows, boolean readBack, int tilesTotal, int tilesScored,
                               int tilesSkipped, int tilesResumed) {
    }

    /**
     * A window of a stored slide, in level-0 pixels. Its id {@code <slideId>@<file>@x<X>y<Y>w<W>h<H>} is a valid
     * single-segment object id, so it travels through selection, patch ids and annotations like a tile id.
     */
    public record SlideWindow(String slideKey, int x, int y, int width, int height) {

        private static final Pattern ID = Pattern.compile("([^@/]+)@([^@/]+)@x(\\d+)y(\\d+)w(\\d+)h(\\d+)");

        public SlideWindow {
            slideParts(slideKey);
            if (x < 0 || y < 0 || width <= 0 || height <= 0) {
                throw new IllegalArgumentException("invalid window " + x + "," + y + " " + width + "x" + height + " of " + slideKey);
            }
        }

        public String id() {
            String[] p = slideParts(slideKey);
            return p[0] + "@" + p[1] + "@x" + x + "y" + y + "w" + width + "h" + height;
        }

        public static boolean isWindowId(String id) {
            return id != null && ID.matcher(id).matches();
        }

        public static SlideWindow parse(String id) {
            Matcher m = id == null ? null : ID.matcher(id);
            if (m == null || !m.matches()) {
                throw new IllegalArgumentException("'" + id + "' is not a slide window id (<slideId>@<file>@x<X>y<Y>w<W>h<H>)");
            }
            return new SlideWindow(ObjectKeys.slide(m.group(1), m.group(2)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)));
        }
    }

    /** True when a pool entry names a whole slide ({@code slides/<slideId>/<file>}) rather than a dataset tile. */
    public static boolean isSlideKey(String poolEntry) {
        return poolEntry != null && poolEntry.startsWith(SLIDES_PREFIX);
    }

    /** {slideId, fileName} of {@code slides/<slideId>/<file>}; the id may not contain '@' (window ids use it). */
    public static String[] slideParts(String slideKey) {
        String[] p = slideKey == null ? new String[0] : slideKey.split("/", -1);
        if (p.length != 3 || !p[0].equals("slides")) {
            throw new IllegalArgumentException("slide key must be slides/<slideId>/<file>, got '" + slideKey + "'");
        }
        ObjectKeys.id("slideId", p[1]);
        ObjectKeys.id("fileName", p[2]);
        if (p[1].contains("@") || p[2].contains("@")) {
            throw new IllegalArgumentException("slide key " + slideKey + " must not contain '@' (used by window ids)");
        }
        return new String[] {p[1], p[2]};
    }

    /** The image id a slide's maps are stored under: {@code <slideId>@<file>}. */
    public static String imageId(String slideKey) {
        String[] p = slideParts(slideKey);
        return p[0] + "@" + p[1];
    }

    /** Stored form of a window's score, one per scored window, in the slide's {@code .windows.json}. */
    record StoredWindow(String id, int x, int y, int width, int height, double tissueFraction, double meanUncertainty,
                        double maxUncertainty, double meanProbability) {
    }

    private final CampaignData data;
    private final Params params;

    public SlideScoring(CampaignData data, Params params) {
        this.data = Objects.requireNonNull(data, "data");
        this.params = Objects.requireNonNull(params, "params");
    }

    public Params params() {
        return params;
    }

    /**
     * The scoring activity's per-tile function: {@code estimator} ({@code mc-dropout}, {@code tta} or
     * {@code ensemble}, see {@link CampaignModel#members}) members of the model through {@code measure}. The seed
     * derives from the window's id, so a resumed or repeated walk gives each window the same samples.
     */
    public static Function<Tile, UncertaintyMap> perTile(CampaignModel model, UncertaintyMeasure measure,
                                                         String estimator, int passes, long seed) {
        return tile -> {
            float[][] members = model.members(tile, estimator, passes, seed * 31 + tile.id().hashCode());
            MemberPredictions mp = new MemberPredictions(tile.width(), tile.height(), members);
            return new UncertaintyMap(tile.id(), tile.width(), tile.height(), mp.mean(), measure.compute(mp));
        };
    }

    /**
     * Scores one stored slide with its walk's state mirrored to the store, so that any worker can resume it.
     * {@code workDir} is local scratch (emptied and refilled from the store at the start, deleted at the end);
     * {@code resumeFrom} is the last {@code resumeFrom} the previous attempt's {@code progress} saw (0 = start):
     * {@code progress} (the heartbeat) only ever sees resume points whose state is in the store. The checkpoint is
     * per campaign, cycle, model ({@code modelKey}) and slide.
     */
    public SlideOutcome scoreResumable(String campaignId, int cycle, String modelKey, String slideKey,
                                       Function<Tile, UncertaintyMap> perTile, Path workDir, int resumeFrom,
                                       WholeSlideScorer.Progress progress) {
        String prefix;
        try {
            prefix = ObjectKeys.slideWalkPrefix(campaignId, cycle, modelId(modelKey), imageId(slideKey));
        } catch (IllegalArgumentException e) {
            throw CampaignData.invalid(e.getMessage());
        }
        return walk(campaignId, cycle, slideKey, perTile, workDir,
                new WorkDirMirror(data.store(), prefix, workDir, SlideScoring::isWalkState), resumeFrom, progress);
    }

    /** Short id of a model key for checkpoint keys: the first 16 hex digits of the key's SHA-256. */
    public static String modelId(String modelKey) {
        if (modelKey == null || modelKey.isBlank()) {
            throw CampaignData.invalid("modelKey is required");
        }
        return CampaignData.sha256(modelKey.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** The map TIFFs {@link StoredSlides#scoreToStore} assembles in the work directory after the walk. */
    private static final java.util.Set<String> ASSEMBLED_MAPS = java.util.Set.of("probability.tif", "uncertainty.tif");

    /**
     * The scorer's resumable files: everything in the work directory but the two assembled map TIFFs (uploaded to
     * their own keys; a retry rebuilds them from the band files).
     */
    static boolean isWalkState(String relativePath) {
        return !ASSEMBLED_MAPS.contains(relativePath);
    }

    private SlideOutcome walk(String campaignId, int cycle, String slideKey, Function<Tile, UncertaintyMap> perTile,
                              Path workDir, WorkDirMirror mirror, int resumeFrom, WholeSlideScorer.Progress progress) {
        String imageId;
        try {
            imageId = imageId(slideKey);
        } catch (IllegalArgumentException e) {
            throw CampaignData.invalid(e.getMessage());
        }
        String uKey = ObjectKeys.slideUncertaintyMap(campaignId, cycle, imageId);
        String pKey = ObjectKeys.slideProbabilityMap(campaignId, cycle, imageId);
        String windowsKey = ObjectKeys.slideWindowScores(campaignId, cycle, imageId);
        if (data.store().exists(windowsKey)) {
            mirror.clear(); // an earlier attempt may have stored the results but died before removing its checkpoint
            List<TileScore> windows = toTileScores(readWindows(windowsKey), uKey);
            return new SlideOutcome(windows, true, 0, 0, 0, 0);
        }
        if (!data.store().exists(slideKey)) {
            throw CampaignData.invalid("slide " + slideKey + " does not exist");
        }
        WorkDirMirror.Restored restored = mirror.restore(resumeFrom > 0);
        if (restored.downloadedFiles() > 0) {
            LOG.info("slide {}: restored {} checkpoint files ({} bytes) from {} to resume at tile {}", slideKey,
                    restored.downloadedFiles(), restored.downloadedBytes(), mirror.prefix(), resumeFrom);
        }
        WholeSlideScorer.Progress reporting = mirror.syncing(progress, resumeFrom);
        WholeSlideScorer scorer = new WholeSlideScorer(new WholeSlideScorer.Params(0, params.tileSize(), params.overlap(),
                params.minTissueFraction(), 256, TiledTiffWriter.Compression.DEFLATE));
        WholeSlideScorer.Result result;
        try {
            result = StoredSlides.scoreToStore(data.store(), slideKey, pKey, uKey, scorer, TissueDetector.defaults(),
                    params.tissueDownsample(), perTile, workDir, resumeFrom, reporting);
        } catch (IOException e) {
            // Undecodable or unsupported files never get better on retry; S3 hiccups surface as runtime errors.
            throw CampaignData.invalid("slide " + slideKey + " cannot be scored: " + e.getMessage());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("scoring slide " + slideKey + " failed: " + e.getMessage(), e);
        }
        List<StoredWindow> windows = new ArrayList<>();
        for (WholeSlideScorer.TileScore t : result.tiles()) {
            if (!t.scored()) {
                continue;
            }
            double pixels = (double) t.width() * t.height();
            windows.add(new StoredWindow(new SlideWindow(slideKey, t.x(), t.y(), t.width(), t.height()).id(), t.x(), t.y(),
                    t.width(), t.height(), t.tissueFraction(), t.uncertaintySum() / pixels, t.uncertaintyMax(),
                    t.meanProbability()));
        }
        try {
            // Last: its presence marks the slide as finished for a retried attempt.
            data.store().putBytes(windowsKey, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(windows), "application/json");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + windowsKey, e);
        }
        mirror.clear();
        return new SlideOutcome(toTileScores(windows, uKey), false, result.tilesTotal(), result.tilesScored(),
                result.tilesSkipped(), result.tilesResumed());
    }

    private List<StoredWindow> readWindows(String key) {
        try {
            return JSON.readValue(data.bytes(key), new TypeReference<List<StoredWindow>>() { });
        } catch (IOException e) {
            throw CampaignData.invalid("object " + key + " is not a window score list: " + e.getMessage());
        }
    }

    private static List<TileScore> toTileScores(List<StoredWindow> windows, String mapKey) {
        List<TileScore> out = new ArrayList<>(windows.size());
        for (StoredWindow w : windows) {
            out.add(new TileScore(w.id(), mapKey, w.width(), w.height(), w.meanUncertainty(), w.maxUncertainty()));
        }
        return out;
    }

    /** The RGB window of a stored slide as a tile (id = window id), read with ranged GETs of its tiles only. */
    public static Tile readWindow(CampaignData data, SlideWindow w) {
        try (ImageIoSlideReader slide = StoredSlides.open(data.store(), w.slideKey())) {
            Tile t = slide.readTile(0, w.x(), w.y(), w.width(), w.height());
            return new Tile(w.id(), "slide", t.width(), t.height(), t.rgb(), null);
        } catch (NotFoundException e) {
            throw CampaignData.invalid("slide " + w.slideKey() + " does not exist");
        } catch (IOException e) {
            throw CampaignData.invalid("slide " + w.slideKey() + " cannot be read at " + w.id() + ": " + e.getMessage());
        }
    }

    /** The window's probability and uncertainty from the slide's stored maps (region reads of the TIFFs). */
    public static UncertaintyMap readWindowMaps(CampaignData data, String campaignId, int cycle, SlideWindow w) {
        String imageId = imageId(w.slideKey());
        float[] p = readMapRegion(data, ObjectKeys.slideProbabilityMap(campaignId, cycle, imageId), w);
        float[] u = readMapRegion(data, ObjectKeys.slideUncertaintyMap(campaignId, cycle, imageId), w);
        return new UncertaintyMap(w.id(), w.width(), w.height(), p, u);
    }

    private static float[] readMapRegion(CampaignData data, String key, SlideWindow w) {
        try (ImageIoSlideReader map = StoredSlides.open(data.store(), key)) {
            return map.readSamples(0, w.x(), w.y(), w.width(), w.height(), 0);
        } catch (NotFoundException e) {
            throw CampaignData.invalid("map " + key + " does not exist");
        } catch (IOException e) {
            throw CampaignData.invalid("map " + key + " cannot be read at " + w.id() + ": " + e.getMessage());
        }
    }
}
