package org.uga.activities;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.List;
import org.uga.store.ObjectKeys;

/**
 * A campaign model that is a deep ensemble: the content-addressed checkpoint keys of its members, in member order.
 * Stored as JSON at {@link ObjectKeys#modelEnsemble} keyed by the SHA-256 of exactly these bytes, so the same
 * members always give the same manifest key. Parent, data and losses live in the lineage record, not here.
 *
 * @param format  manifest format version ({@value #FORMAT})
 * @param members member checkpoint keys ({@code models/sha256/<hex>}), at least 2
 */
public record EnsembleManifest(int format, List<String> members) {

    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public EnsembleManifest {
        if (format != FORMAT) {
            throw new IllegalArgumentException("ensemble manifest format " + format + " is not supported (expected " + FORMAT + ")");
        }
        if (members == null || members.size() < 2) {
            throw new IllegalArgumentException("an ensemble manifest lists at least 2 member checkpoints, got "
                    + (members == null ? 0 : members.size()));
        }
        for (String m : members) {
            if (m == null || ObjectKeys.isModelEnsemble(m)) {
                throw new IllegalArgumentException("ensemble member '" + m + "' must be a checkpoint key, not a manifest");
            }
            ObjectKeys.requireValidKey(m);
        }
        members = List.copyOf(members);
    }

    public static EnsembleManifest of(List<String> members) {
        return new EnsembleManifest(FORMAT, members);
    }

    /** The canonical bytes (their SHA-256 is the manifest's key). */
    public byte[] toBytes() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + this, e);
        }
    }

    /** Stores the manifest (once: same bytes, same key) and returns its key {@code models/ensembles/<hex>.json}. */
    public String store(CampaignData data) {
        byte[] bytes = toBytes();
        String key = ObjectKeys.modelEnsemble(CampaignData.sha256(bytes));
        if (!data.store().exists(key)) {
            data.store().putBytes(key, bytes, "application/json");
        }
        return key;
    }

    /** Reads and checks the manifest at {@code key}; a bad or missing one is a non-retryable invalid input. */
    public static EnsembleManifest read(CampaignData data, String key) {
        byte[] bytes = data.bytes(key);
        try {
            return JSON.readValue(bytes, EnsembleManifest.class);
        } catch (IOException | IllegalArgumentException e) {
            throw CampaignData.invalid("object " + key + " is not an ensemble manifest: " + e.getMessage());
        }
    }

    /** Member checkpoint keys of a campaign model key: the manifest's members, or the single checkpoint itself. */
    public static List<String> memberKeys(CampaignData data, String modelKey) {
        return ObjectKeys.isModelEnsemble(modelKey) ? read(data, modelKey).members() : List.of(modelKey);
    }
}
