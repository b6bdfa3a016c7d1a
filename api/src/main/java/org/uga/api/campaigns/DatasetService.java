package org.uga.api.campaigns;

import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uga.activities.SlideScoring;
import org.uga.api.error.ApiProblem;
import org.uga.api.images.ImageChecks;
import org.uga.api.images.ImageFormat;
import org.uga.api.platform.Storage;
import org.uga.api.security.KeyPolicy;
import org.uga.workflows.model.CampaignSpec;
import org.uga.workflows.model.LocalData;
import org.uga.store.ObjectKeys;
import org.uga.workflows.model.ModelSource;

/**
 * Slides/tiles known to the platform. A dataset is a key prefix with {@code images/<tileId>.png} and, for
 * validation tiles, {@code masks/<tileId>.png} — the layout campaigns read. The registry object
 * ({@code registry/slides.json}) lists what was uploaded or registered, with who and when. A campaign pool may
 * also name whole slides by key ({@code slides/<slideId>/<file>}, see {@link SlideCatalog}).
 */
@Singleton
public class DatasetService {

    public static final String CAMPAIGNS_PREFIX = "campaigns/";
    static final String REGISTRY_KEY = "registry/slides.json";
    static final TypeReference<List<SlideEntry>> REGISTRY_TYPE = new TypeReference<>() {
    };

    public enum Kind {
        IMAGE("images"), MASK("masks");

        final String folder;

        Kind(String folder) {
            this.folder = folder;
        }
    }

    /** A registered slide/tile object; {@code levels} (resolution levels) is set for slides. */
    public record SlideEntry(String key, String dataset, String tileId, String kind, String format, Integer width,
                             Integer height, long bytes, String addedBy, Instant addedAt, boolean uploaded, Integer levels) {
    }

    @Inject
    Storage storage;

    @Inject
    SlideCatalog slides;

    /** {@code datasets/<dataset>/images|masks/<tileId>.png} (the platform's key layout, {@link ObjectKeys}). */
    public static String tileKey(String dataset, String tileId, Kind kind) {
        return kind == Kind.IMAGE ? ObjectKeys.datasetImage(dataset, tileId) : ObjectKeys.datasetMask(dataset, tileId);
    }

    /** A dataset id chosen by a user: one safe key segment. */
    public static String checkDataset(String dataset) {
        return KeyPolicy.checkId(dataset, "dataset");
    }

    public synchronized void record(SlideEntry entry) {
        Map<String, SlideEntry> byKey = new LinkedHashMap<>();
        registry().forEach(e -> byKey.put(e.key(), e));
        byKey.put(entry.key(), entry);
        storage.putJson(REGISTRY_KEY, new ArrayList<>(byKey.values()));
    }

    public List<SlideEntry> registry() {
        return storage.getJson(REGISTRY_KEY, REGISTRY_TYPE).orElse(List.of());
    }

    /**
     * Checks an existing object a user wants to register: valid key, exists, starts like an image; a key
     * {@code slides/<slideId>/<file>} must moreover open as a slide with the workers' reader (422 otherwise).
     */
    public SlideEntry inspectExisting(String key, String user) {
        KeyPolicy.checkForeignCampaignKey(key, "key", CAMPAIGNS_PREFIX, null);
        if (SlideScoring.isSlideKey(key)) {
            return inspectSlide(key, user);
        }
        long size = storage.size(key).orElseThrow(() -> ApiProblem.notFound("unknown-key", "no object at key '" + key + "'"));
        byte[] head = storage.head(key, ImageFormat.MAGIC_LENGTH).orElseThrow(() -> ApiProblem.notFound("unknown-key", "no object at key '" + key + "'"));
        ImageFormat f = ImageChecks.sniffOrReject(head, "object '" + key + "'");
        return new SlideEntry(key, null, null, null, f.name(), null, null, size, user, Instant.now(), false, null);
    }

    private SlideEntry inspectSlide(String key, String user) {
        String[] parts = SlideCatalog.parts(key).orElseThrow(() -> ApiProblem.badRequest("invalid-key",
                "key '" + key + "' under slides/ must be slides/<slideId>/<file> (ids of letters, digits, '.', '_', '-', no '@')"));
        SlideCatalog.Inspection in = slides.inspect(key);
        if (!in.exists()) {
            throw ApiProblem.notFound("unknown-key", "no object at key '" + key + "'");
        }
        if (!in.readable()) {
            throw ApiProblem.unprocessable("undecodable-image", in.problem());
        }
        SlideCatalog.SlideSummary s = in.summary();
        return new SlideEntry(key, null, parts[0], "slide", s.format().toUpperCase(java.util.Locale.ROOT), s.width(),
                s.height(), s.bytes(), user, Instant.now(), false, s.levels().size());
    }

    /**
     * Problems with the object keys a campaign spec names: every key must be valid and outside other campaigns'
     * prefixes, every tile image must exist, every slide in the pool must exist and open as a slide, and validation
     * tiles (never slides) need their masks.
     */
    public List<String> checkSpecData(CampaignSpec spec) {
        List<String> problems = new ArrayList<>();
        LocalData local = spec.localData();
        String own = spec.campaignId();
        check(problems, () -> KeyPolicy.checkId(local.datasetPrefix(), "localData.datasetPrefix (a dataset id)"));
        ModelSource ms = spec.modelSource();
        if (ms.initialModelKey() != null && !ms.initialModelKey().isBlank()) {
            check(problems, () -> KeyPolicy.checkForeignCampaignKey(ms.initialModelKey(), "modelSource.initialModelKey", CAMPAIGNS_PREFIX, own));
        }
        if (ms.centralDatasetPrefix() != null && !ms.centralDatasetPrefix().isBlank()) {
            check(problems, () -> KeyPolicy.checkId(ms.centralDatasetPrefix(), "modelSource.centralDatasetPrefix (a dataset id)"));
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        for (String id : local.tileIds()) {
            if (SlideScoring.isSlideKey(id)) {
                check(problems, () -> checkSlideKeyShape(id));
            } else {
                check(problems, () -> KeyPolicy.checkId(id, "localData.tileIds entry"));
            }
        }
        for (String id : local.validationTileIds()) {
            if (SlideScoring.isSlideKey(id)) {
                problems.add("localData.validationTileIds entry '" + id + "' is a slide; validation needs dataset tiles with "
                        + "masks (datasets/<datasetPrefix>/images|masks/<id>.png)");
            } else {
                check(problems, () -> KeyPolicy.checkId(id, "localData.validationTileIds entry"));
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        int missing = 0;
        for (String id : local.tileIds()) {
            if (SlideScoring.isSlideKey(id)) {
                // The scoring activity opens the slide with the same reader: a key that fails here would fail there.
                SlideCatalog.Inspection in = slides.inspect(id);
                if (!in.exists() && missing++ < 5) {
                    problems.add("slide '" + id + "' in localData.tileIds does not exist");
                } else if (in.exists() && !in.readable()) {
                    problems.add("slide '" + id + "' in localData.tileIds cannot be used: " + in.problem());
                }
                continue;
            }
            if (!storage.exists(tileKey(local.datasetPrefix(), id, Kind.IMAGE)) && missing++ < 5) {
                problems.add("tile '" + id + "' has no image at " + tileKey(local.datasetPrefix(), id, Kind.IMAGE));
            }
        }
        for (String id : local.validationTileIds()) {
            for (Kind k : Kind.values()) {
                if (!storage.exists(tileKey(local.datasetPrefix(), id, k)) && missing++ < 5) {
                    problems.add("validation tile '" + id + "' has no " + k.name().toLowerCase() + " at " + tileKey(local.datasetPrefix(), id, k));
                }
            }
        }
        if (ms.initialModelKey() != null && !ms.initialModelKey().isBlank() && !storage.exists(ms.initialModelKey())) {
            problems.add("modelSource.initialModelKey '" + ms.initialModelKey() + "' does not exist");
        }
        if (missing > 5) {
            problems.add((missing - 5) + " more missing objects");
        }
        return problems;
    }

    /** A pool entry naming a slide: a valid key of the form {@code slides/<slideId>/<file>} (ids without '@'). */
    private static void checkSlideKeyShape(String key) {
        KeyPolicy.checkKey(key, "localData.tileIds entry");
        try {
            SlideScoring.imageId(key);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("invalid-key", "localData.tileIds entry '" + key + "': " + e.getMessage());
        }
    }

    private static void check(List<String> problems, Runnable r) {
        try {
            r.run();
        } catch (ApiProblem e) {
            problems.add(e.getMessage());
        }
    }
}
