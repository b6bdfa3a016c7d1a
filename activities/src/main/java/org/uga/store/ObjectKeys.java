package org.uga.store;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The one key layout of the UGA bucket. Every object key is built here; nothing else concatenates key strings.
 *
 * <table>
 *   <caption>Key layout (ids are single path segments; {@code <n>} is a cycle number, {@code <hex>} a SHA-256)</caption>
 *   <tr><th>What</th><th>Key</th><th>Builder</th></tr>
 *   <tr><td>uploaded slide / image file</td><td>{@code slides/<slideId>/<fileName>}</td><td>{@link #slide}</td></tr>
 *   <tr><td>dataset tile image</td><td>{@code datasets/<datasetId>/images/<tileId>.png}</td><td>{@link #datasetImage}</td></tr>
 *   <tr><td>dataset ground-truth mask</td><td>{@code datasets/<datasetId>/masks/<tileId>.png}</td><td>{@link #datasetMask}</td></tr>
 *   <tr><td>campaign definition</td><td>{@code campaigns/<campaignId>/campaign.json}</td><td>{@link #campaign}</td></tr>
 *   <tr><td>pixel uncertainty map (float32, row-major)</td>
 *       <td>{@code campaigns/<campaignId>/cycles/<n>/uncertainty/<imageId>.f32}</td><td>{@link #uncertaintyMap}</td></tr>
 *   <tr><td>uncertainty preview (heat map)</td>
 *       <td>{@code campaigns/<campaignId>/cycles/<n>/uncertainty/<imageId>.png}</td><td>{@link #uncertaintyPreview}</td></tr>
 *   <tr><td>foreground probability map (float32)</td>
 *       <td>{@code campaigns/<campaignId>/cycles/<n>/probability/<imageId>.f32}</td><td>{@link #probabilityMap}</td></tr>
 *   <tr><td>probability preview</td>
 *       <td>{@code campaigns/<campaignId>/cycles/<n>/probability/<imageId>.png}</td><td>{@link #probabilityPreview}</td></tr>
 *   <tr><td>whole-slide maps (tiled float32 TIFF) and per-window scores</td>
 *       <td>{@code campaigns/<campaignId>/cycles/<n>/uncertainty|probability/<imageId>.tif},
 *           {@code .../uncertainty/<imageId>.windows.json}</td>
 *       <td>{@link #slideUncertaintyMap}, {@link #slideProbabilityMap}, {@link #slideWindowScores}</td></tr>
 *   <tr><td>checkpoint files of an unfinished slide walk (mirrored work directory; deleted once the slide's maps
 *           and window scores are stored)</td>
 *       <td>{@code campaigns/<campaignId>/cycles/<n>/slide-walks/<modelId>/<imageId>/<file>}</td>
 *       <td>{@link #slideWalkPrefix}, {@link #underPrefix}</td></tr>
 *   <tr><td>patch sent for annotation: image, model prediction, uncertainty</td>
 *       <td>{@code campaigns/<campaignId>/cycles/<n>/patches/<patchId>/image.png}, {@code .../prediction.png},
 *           {@code .../uncertainty.png}</td>
 *       <td>{@link #patchImage}, {@link #patchPrediction}, {@link #patchUncertainty}</td></tr>
 *   <tr><td>clinician's annotation mask / its record</td>
 *       <td>{@code campaigns/<campaignId>/cycles/<n>/annotations/<annotationId>.png} / {@code .json}</td>
 *       <td>{@link #annotationMask}, {@link #annotationRecord}</td></tr>
 *   <tr><td>campaign report</td><td>{@code campaigns/<campaignId>/reports/<name>}</td><td>{@link #report}</td></tr>
 *   <tr><td>model checkpoint (content-addressed)</td><td>{@code models/sha256/<hex>}</td>
 *       <td>{@link #modelCheckpointPrefix} with {@link ObjectStore#putContentAddressed}; {@link #modelCheckpoint}</td></tr>
 *   <tr><td>model lineage (parent, data, metrics)</td><td>{@code models/lineage/<hex>.json}</td><td>{@link #modelLineage}</td></tr>
 *   <tr><td>deep-ensemble manifest (JSON listing member checkpoint keys), content-addressed by the SHA-256 of its
 *       bytes; its lineage is {@code models/lineage/<hex>.json} too</td>
 *       <td>{@code models/ensembles/<hex>.json}</td><td>{@link #modelEnsemble}, {@link #isModelEnsemble}</td></tr>
 *   <tr><td>exported workflow history</td><td>{@code histories/<workflowId>/<runId>.json}</td><td>{@link #history}</td></tr>
 * </table>
 *
 * <p>Ids must be non-empty single path segments of at most {@value #MAX_ID_LENGTH} characters: no {@code /} or
 * {@code \}, no {@code ..}, no control characters, not {@code .}. Anything else is rejected with an
 * {@link IllegalArgumentException} naming the offending id, so a user-supplied id can never escape its prefix.
 */
public final class ObjectKeys {

    public static final int MAX_ID_LENGTH = 200;
    /** S3's limit on key length, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private ObjectKeys() {
    }

    public static String slide(String slideId, String fileName) {
        return "slides/" + id("slideId", slideId) + "/" + id("fileName", fileName);
    }

    public static String slidePrefix(String slideId) {
        return "slides/" + id("slideId", slideId) + "/";
    }

    public static String datasetImage(String datasetId, String tileId) {
        return datasetPrefix(datasetId) + "images/" + id("tileId", tileId) + ".png";
    }

    public static String datasetMask(String datasetId, String tileId) {
        return datasetPrefix(datasetId) + "masks/" + id("tileId", tileId) + ".png";
    }

    public static String datasetPrefix(String datasetId) {
        return "datasets/" + id("datasetId", datasetId) + "/";
    }

    public static String campaign(String campaignId) {
        return campaignPrefix(campaignId) + "campaign.json";
    }

    public static String campaignPrefix(String campaignId) {
        return "campaigns/" + id("campaignId", campaignId) + "/";
    }

    public static String cyclePrefix(String campaignId, int cycle) {
        return campaignPrefix(campaignId) + "cycles/" + cycle(cycle) + "/";
    }

    public static String uncertaintyMap(String campaignId, int cycle, String imageId) {
        return cyclePrefix(campaignId, cycle) + "uncertainty/" + id("imageId", imageId) + ".f32";
    }

    public static String uncertaintyPreview(String campaignId, int cycle, String imageId) {
        return cyclePrefix(campaignId, cycle) + "uncertainty/" + id("imageId", imageId) + ".png";
    }

    public static String probabilityMap(String campaignId, int cycle, String imageId) {
        return cyclePrefix(campaignId, cycle) + "probability/" + id("imageId", imageId) + ".f32";
    }

    public static String probabilityPreview(String campaignId, int cycle, String imageId) {
        return cyclePrefix(campaignId, cycle) + "probability/" + id("imageId", imageId) + ".png";
    }

    /** Uncertainty map of a whole slide (tiled pyramidal float32 TIFF); {@code imageId} names the slide file. */
    public static String slideUncertaintyMap(String campaignId, int cycle, String imageId) {
        return cyclePrefix(campaignId, cycle) + "uncertainty/" + id("imageId", imageId) + ".tif";
    }

    /** Foreground probability map of a whole slide (tiled pyramidal float32 TIFF). */
    public static String slideProbabilityMap(String campaignId, int cycle, String imageId) {
        return cyclePrefix(campaignId, cycle) + "probability/" + id("imageId", imageId) + ".tif";
    }

    /** Per-window scores of a whole slide (JSON), written after both maps: its presence marks the slide done. */
    public static String slideWindowScores(String campaignId, int cycle, String imageId) {
        return cyclePrefix(campaignId, cycle) + "uncertainty/" + id("imageId", imageId) + ".windows.json";
    }

    /**
     * Where the walk of one slide by one model in one cycle keeps its resumable work files, so a retry on another
     * worker continues it ({@code modelId}: a short id of the model key, since checkpoints of another model never
     * resume). Ends with {@code /}; files below it are keyed with {@link #underPrefix}.
     */
    public static String slideWalkPrefix(String campaignId, int cycle, String modelId, String imageId) {
        return cyclePrefix(campaignId, cycle) + "slide-walks/" + id("modelId", modelId) + "/" + id("imageId", imageId) + "/";
    }

    /**
     * {@code prefix + relativePath} for a prefix ending in {@code /} (as the prefix builders here return) and a
     * relative path of valid id segments separated by {@code /}; the result is a valid key.
     */
    public static String underPrefix(String prefix, String relativePath) {
        if (prefix == null || !prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must end with '/', got '" + (prefix == null ? null : printable(prefix)) + "'");
        }
        requireListPrefix(prefix);
        if (relativePath == null || relativePath.isEmpty()) {
            throw new IllegalArgumentException("relative path under " + prefix + " must not be empty");
        }
        for (String segment : relativePath.split("/", -1)) {
            id("path segment under " + prefix, segment);
        }
        return requireValidKey(prefix + relativePath);
    }

    public static String patchPrefix(String campaignId, int cycle, String patchId) {
        return cyclePrefix(campaignId, cycle) + "patches/" + id("patchId", patchId) + "/";
    }

    public static String patchImage(String campaignId, int cycle, String patchId) {
        return patchPrefix(campaignId, cycle, patchId) + "image.png";
    }

    public static String patchPrediction(String campaignId, int cycle, String patchId) {
        return patchPrefix(campaignId, cycle, patchId) + "prediction.png";
    }

    public static String patchUncertainty(String campaignId, int cycle, String patchId) {
        return patchPrefix(campaignId, cycle, patchId) + "uncertainty.png";
    }

    public static String annotationMask(String campaignId, int cycle, String annotationId) {
        return cyclePrefix(campaignId, cycle) + "annotations/" + id("annotationId", annotationId) + ".png";
    }

    public static String annotationRecord(String campaignId, int cycle, String annotationId) {
        return cyclePrefix(campaignId, cycle) + "annotations/" + id("annotationId", annotationId) + ".json";
    }

    public static String report(String campaignId, String name) {
        return campaignPrefix(campaignId) + "reports/" + id("report name", name);
    }

    /** Prefix for {@link ObjectStore#putContentAddressed}: checkpoints land at {@code models/sha256/<hex>}. */
    public static String modelCheckpointPrefix() {
        return "models";
    }

    /** Key of a checkpoint stored with {@code putContentAddressed(modelCheckpointPrefix(), ...)}. */
    public static String modelCheckpoint(String sha256Hex) {
        return contentAddressed(modelCheckpointPrefix(), sha256Hex);
    }

    /**
     * Manifest of a deep ensemble of checkpoints: {@code models/ensembles/<hex>.json}, {@code hex} the SHA-256 of
     * the manifest's bytes (same members, same key). Must agree with
     * {@code org.uga.workflows.model.ModelSource#ENSEMBLE_MANIFEST_PREFIX}, which spec validation uses.
     */
    public static String modelEnsemble(String sha256Hex) {
        return modelCheckpointPrefix() + "/ensembles/" + sha256(sha256Hex) + ".json";
    }

    /** True when {@code modelKey} has the shape of {@link #modelEnsemble} (a manifest, not a checkpoint). */
    public static boolean isModelEnsemble(String modelKey) {
        String prefix = modelCheckpointPrefix() + "/ensembles/";
        return modelKey != null && modelKey.startsWith(prefix) && modelKey.endsWith(".json")
                && SHA256_HEX.matcher(modelKey.substring(prefix.length(), modelKey.length() - ".json".length())).matches();
    }

    public static String modelLineage(String sha256Hex) {
        return "models/lineage/" + sha256(sha256Hex) + ".json";
    }

    public static String history(String workflowId, String runId) {
        return "histories/" + id("workflowId", workflowId) + "/" + id("runId", runId) + ".json";
    }

    /** {@code <prefix>/sha256/<hex>}: the key content-addressed writes use. */
    public static String contentAddressed(String prefix, String sha256Hex) {
        return requirePrefix(prefix) + "/sha256/" + sha256(sha256Hex);
    }

    // ----------------------------------------------------------------------------------------- validation

    /** Returns {@code value} if it is a valid single-segment id, else throws naming {@code what}. */
    public static String id(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(what + " is longer than " + MAX_ID_LENGTH + " characters: '"
                    + value.substring(0, 40) + "...'");
        }
        if (value.equals(".") || value.contains("..")) {
            throw new IllegalArgumentException(what + " must not contain '..' or be '.', got '" + printable(value) + "'");
        }
        if (value.indexOf('/') >= 0 || value.indexOf('\\') >= 0) {
            throw new IllegalArgumentException(what + " must not contain '/' or '\\', got '" + printable(value) + "'");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(what + " must not contain control characters, got '"
                        + printable(value) + "'");
            }
        }
        return value;
    }

    /** A prefix made of valid id segments separated by single {@code /}, without leading or trailing slash. */
    public static String requirePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("key prefix must not be empty");
        }
        if (prefix.startsWith("/") || prefix.endsWith("/")) {
            throw new IllegalArgumentException("key prefix must not start or end with '/', got '" + printable(prefix) + "'");
        }
        for (String segment : prefix.split("/", -1)) {
            id("key prefix segment", segment);
        }
        return prefix;
    }

    /**
     * Checks a full object key: 1-1024 UTF-8 bytes, no leading {@code /}, no empty, {@code .} or {@code ..}
     * segments, no control characters. Keys from the builders above always pass.
     */
    public static String requireValidKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("object key must not be empty");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("object key is longer than " + MAX_KEY_BYTES + " bytes: '"
                    + printable(key.substring(0, 60)) + "...'");
        }
        if (key.startsWith("/")) {
            throw new IllegalArgumentException("object key must not start with '/', got '" + printable(key) + "'");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("object key has an empty, '.' or '..' segment: '" + printable(key) + "'");
            }
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new IllegalArgumentException("object key must not contain control characters: '" + printable(key) + "'");
            }
        }
        return key;
    }

    /** A listing prefix: empty (everything) or a valid key prefix, optionally ending in {@code /}. */
    public static String requireListPrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("list prefix must not be null (use \"\" for everything)");
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        requireValidKey(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        return prefix;
    }

    public static String sha256(String hex) {
        if (hex == null || !SHA256_HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("expected a SHA-256 as 64 lower-case hex digits, got '"
                    + (hex == null ? null : printable(hex)) + "'");
        }
        return hex;
    }

    private static String cycle(int cycle) {
        if (cycle < 0) {
            throw new IllegalArgumentException("cycle must be >= 0, got " + cycle);
        }
        return Integer.toString(cycle);
    }

    /** Shows control characters as \\uXXXX so error messages stay on one line. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
