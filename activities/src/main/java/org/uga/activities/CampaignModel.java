package org.uga.activities;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.uga.ml.data.Tile;
import org.uga.ml.model.Dihedral;
import org.uga.ml.model.ModelSet;
import org.uga.ml.model.SegmentationModel;
import org.uga.ml.uncertainty.DeepEnsembleEstimator;
import org.uga.store.ObjectKeys;

/**
 * The model of a campaign: one checkpoint ({@code models/sha256/<hex>}) or a deep ensemble of checkpoints listed
 * by a manifest ({@code models/ensembles/<hex>.json}, see {@link EnsembleManifest}). Segmentation is the mean of
 * the members' probabilities; {@link #members} gives the per-estimator samples the uncertainty measure needs.
 * Closing it closes every member.
 */
public final class CampaignModel implements AutoCloseable {

    public static final String MC_DROPOUT = "mc-dropout";
    public static final String TTA = "tta";
    public static final String ENSEMBLE = DeepEnsembleEstimator.NAME;

    private final String key;
    private final List<String> memberKeys;
    private final ModelSet models;

    private CampaignModel(String key, List<String> memberKeys, ModelSet models) {
        this.key = key;
        this.memberKeys = List.copyOf(memberKeys);
        this.models = models;
    }

    /** Loads the checkpoint or every member of the manifest at {@code modelKey}; problems are invalid input. */
    public static CampaignModel load(CampaignData data, String modelKey) {
        List<String> keys = EnsembleManifest.memberKeys(data, modelKey);
        List<SegmentationModel> loaded = new ArrayList<>(keys.size());
        try {
            for (String k : keys) {
                loaded.add(data.model(k));
            }
        } catch (RuntimeException e) {
            loaded.forEach(SegmentationModel::close);
            throw e;
        }
        return new CampaignModel(modelKey, keys, new ModelSet(loaded));
    }

    /** A single in-memory model under {@code key} (the caller's model: closing this closes it). */
    public static CampaignModel of(String key, SegmentationModel model) {
        return new CampaignModel(key, List.of(key), ModelSet.of(Objects.requireNonNull(model, "model")));
    }

    /** The campaign model key it was loaded from (checkpoint or manifest). */
    public String key() {
        return key;
    }

    /** Member checkpoint keys (one for a single checkpoint). */
    public List<String> memberKeys() {
        return memberKeys;
    }

    public ModelSet models() {
        return models;
    }

    /** Number of members (1 for a single checkpoint). */
    public int size() {
        return models.size();
    }

    public boolean isEnsemble() {
        return ObjectKeys.isModelEnsemble(key);
    }

    /** Mean foreground probability of the members. */
    public float[] predict(Tile tile) {
        if (size() == 1) {
            return models.primary().predict(tile);
        }
        int n = tile.width() * tile.height();
        float[] mean = new float[n];
        for (SegmentationModel m : models.members()) {
            float[] p = m.predict(tile);
            for (int i = 0; i < n; i++) {
                mean[i] += p[i];
            }
        }
        for (int i = 0; i < n; i++) {
            mean[i] /= size();
        }
        return mean;
    }

    /** Throws a non-retryable invalid-input failure for an estimator no campaign model can run. */
    public static void requireKnownEstimator(String estimator) {
        if (!MC_DROPOUT.equals(estimator) && !TTA.equals(estimator) && !ENSEMBLE.equals(estimator)) {
            throw CampaignData.invalid("estimator '" + estimator + "' is not supported by this worker; use "
                    + MC_DROPOUT + ", " + TTA + " or " + ENSEMBLE
                    + " (the campaign model must then be an ensemble manifest)");
        }
    }

    /** Throws a non-retryable invalid-input failure when this model cannot run {@code estimator}. */
    public void requireSupports(String estimator) {
        requireKnownEstimator(estimator);
        if (ENSEMBLE.equals(estimator) && size() < 2) {
            throw CampaignData.invalid("estimator 'ensemble' needs an ensemble model, but " + key + " is a single "
                    + "checkpoint; use mc-dropout or tta, or train the campaign's model from central data with "
                    + "estimator ensemble (or give an ensemble manifest models/ensembles/<sha256>.json)");
        }
    }

    /**
     * The member predictions of {@code tile} for the uncertainty measure, each already in the tile's orientation.
     * <ul>
     *   <li>{@code ensemble}: one deterministic prediction per member ({@link DeepEnsembleEstimator}; needs
     *       2+ members; {@code passes} is not used, the manifest fixes the count).</li>
     *   <li>{@code mc-dropout}: {@code passes} dropout samples; on an ensemble, {@code max(passes, size)} samples
     *       spread evenly over the members (member k seeded with {@code seed + k}).</li>
     *   <li>{@code tta}: dihedral views; prediction j uses member {@code j % size} on view {@code j / size}, so
     *       a single model gives views 0..passes-1 (at most 8) and an ensemble first its plain predictions.</li>
     * </ul>
     */
    public float[][] members(Tile tile, String estimator, int passes, long seed) {
        requireSupports(estimator);
        int k = size();
        if (ENSEMBLE.equals(estimator)) {
            return new DeepEnsembleEstimator(k).predict(models, tile).members();
        }
        if (MC_DROPOUT.equals(estimator)) {
            if (k == 1) {
                return models.primary().predictMcDropout(tile, passes, seed);
            }
            int total = Math.max(passes, k);
            float[][] out = new float[total][];
            int at = 0;
            for (int m = 0; m < k; m++) {
                int share = total / k + (m < total % k ? 1 : 0);
                float[][] samples = models.members().get(m).predictMcDropout(tile, share, seed + m);
                System.arraycopy(samples, 0, out, at, share);
                at += share;
            }
            return out;
        }
        int total = Math.min(Math.max(passes, k), k * Dihedral.COUNT);
        float[][] out = new float[total][];
        for (int j = 0; j < total; j++) {
            int view = j / k;
            Tile t = Dihedral.apply(tile, view);
            float[] p = models.members().get(j % k).predict(t);
            out[j] = Dihedral.invert(p, tile.width(), tile.height(), view);
        }
        return out;
    }

    @Override
    public void close() {
        models.close();
    }
}
