package org.uga.activities;

import io.temporal.failure.ApplicationFailure;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.uga.ml.data.Images;
import org.uga.ml.data.Tile;
import org.uga.ml.model.SegmentationModel;
import org.uga.store.NotFoundException;
import org.uga.store.ObjectInfo;
import org.uga.store.ObjectKeys;
import org.uga.store.ObjectStore;
import org.uga.workflows.ActivityOptionsCatalog;

/**
 * Reads and writes what activities share through the object store: dataset tiles, masks, model checkpoints.
 * Problems that no retry can fix (missing object, undecodable image) become non-retryable
 * {@link ActivityOptionsCatalog#INVALID_INPUT} failures naming the object.
 */
public final class CampaignData {

    private final ObjectStore store;

    public CampaignData(ObjectStore store) {
        this.store = store;
    }

    public ObjectStore store() {
        return store;
    }

    /** Accepts a dataset id ({@code local}) or its prefix ({@code datasets/local/}). */
    public static String datasetId(String datasetPrefix) {
        if (datasetPrefix == null || datasetPrefix.isBlank()) {
            throw invalid("dataset prefix is required");
        }
        String s = datasetPrefix;
        if (s.startsWith("datasets/")) {
            s = s.substring("datasets/".length());
        }
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            return ObjectKeys.id("datasetId", s);
        } catch (IllegalArgumentException e) {
            throw invalid("bad dataset prefix '" + datasetPrefix + "': " + e.getMessage());
        }
    }

    /**
     * The tile image, with its ground-truth mask when {@code withMask}. A slide window id
     * ({@link SlideScoring.SlideWindow}) reads that region of the stored slide instead (ranged reads; slides have
     * no ground-truth masks).
     */
    public Tile tile(String datasetPrefix, String tileId, boolean withMask) {
        if (SlideScoring.SlideWindow.isWindowId(tileId)) {
            if (withMask) {
                throw invalid("slide window " + tileId + " has no ground-truth mask: validation needs dataset tiles");
            }
            return SlideScoring.readWindow(this, SlideScoring.SlideWindow.parse(tileId));
        }
        String id = datasetId(datasetPrefix);
        String imageKey = ObjectKeys.datasetImage(id, tileId);
        Tile t = Images.toTile(image(imageKey), tileId, id, imageKey);
        return withMask ? t.withMask(mask(ObjectKeys.datasetMask(id, tileId), t.width(), t.height())) : t;
    }

    public List<Tile> tiles(String datasetPrefix, List<String> tileIds, boolean withMask) {
        List<Tile> out = new ArrayList<>(tileIds.size());
        for (String id : tileIds) {
            out.add(tile(datasetPrefix, id, withMask));
        }
        return out;
    }

    /** Every tile id of a dataset (from its images/ listing), sorted. */
    public List<String> tileIds(String datasetPrefix) {
        String prefix = ObjectKeys.datasetPrefix(datasetId(datasetPrefix)) + "images/";
        List<String> ids = new ArrayList<>();
        for (ObjectInfo o : store.list(prefix)) {
            String name = o.key().substring(prefix.length());
            if (name.endsWith(".png")) {
                ids.add(name.substring(0, name.length() - 4));
            }
        }
        if (ids.isEmpty()) {
            throw invalid("dataset " + datasetPrefix + " has no images under " + prefix);
        }
        return ids;
    }

    public BufferedImage image(String key) {
        byte[] bytes = bytes(key);
        try {
            return Images.read(bytes, key);
        } catch (IOException | RuntimeException e) {
            throw invalid("object " + key + " is not a readable image: " + e.getMessage());
        }
    }

    /** A binary mask of the expected size (0/1 bytes). */
    public byte[] mask(String key, int width, int height) {
        BufferedImage img = image(key);
        if (img.getWidth() != width || img.getHeight() != height) {
            throw invalid("mask " + key + " is " + img.getWidth() + "x" + img.getHeight() + ", expected " + width + "x" + height);
        }
        try {
            return Images.toMask(img, key);
        } catch (IOException | RuntimeException e) {
            throw invalid("mask " + key + " is not binary: " + e.getMessage());
        }
    }

    public byte[] bytes(String key) {
        try {
            return store.getBytes(key);
        } catch (NotFoundException e) {
            throw invalid("object " + key + " does not exist");
        }
    }

    public SegmentationModel model(String modelKey) {
        byte[] bytes = bytes(modelKey);
        try {
            return SegmentationModel.fromBytes(bytes);
        } catch (RuntimeException e) {
            throw invalid("object " + modelKey + " is not a model checkpoint: " + e.getMessage());
        }
    }

    /** Stores a checkpoint content-addressed; returns its key {@code models/sha256/<hex>}. */
    public String putModel(byte[] checkpoint) {
        return store.putContentAddressed(ObjectKeys.modelCheckpointPrefix(), checkpoint, "application/octet-stream");
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ApplicationFailure invalid(String message) {
        return ApplicationFailure.newNonRetryableFailure(message, ActivityOptionsCatalog.INVALID_INPUT);
    }
}
