package org.uga.api.campaigns;

import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * ({@code registry/slides.json}) lists what was uploaded or registered, with who and when.
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

    /** A registered slide/tile object. */
    public record SlideEntry(String key, String dataset, String tileId, String kind, String format, Integer width,
                             Integer height, long bytes, String addedBy, Instant addedAt, boolean uploaded) {
    }

    @Inject
    Storage storage;

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

    /** Checks an existing object a user wants to register: valid key, exists, starts like an image. */
    public SlideEntry inspectExisting(String key, String user) {
        KeyPolicy.checkForeignCampaignKey(key, "key", CAMPAIGNS_PREFIX, null);
        long size = storage.size(key).orElseThrow(() -> ApiProblem.notFound("unknown-key", "no object at key '" + key + "'"));
        byte[] head = storage.head(key, ImageFormat.MAGIC_LENGTH).orElseThrow(() -> ApiProblem.notFound("unknown-key", "no object at key '" + key + "'"));
        ImageFormat f = ImageChecks.sniffOrReject(head, "object '" + key + "'");
        return new SlideEntry(key, null, null, null, f.name(), null, null, size, user, Instant.now(), false);
    }

    /**
     * Problems with the object keys a campaign spec names: every key must be valid and outside other campaigns'
     * prefixes, every tile image must exist, and validation tiles need their masks.
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
            check(problems, () -> KeyPolicy.checkId(id, "localData.tileIds entry"));
        }
        for (String id : local.validationTileIds()) {
            check(problems, () -> KeyPolicy.checkId(id, "localData.validationTileIds entry"));
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        int missing = 0;
        for (String id : local.tileIds()) {
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

    private static void check(List<String> problems, Runnable r) {
        try {
            r.run();
        } catch (ApiProblem e) {
            problems.add(e.getMessage());
        }
    }
}
