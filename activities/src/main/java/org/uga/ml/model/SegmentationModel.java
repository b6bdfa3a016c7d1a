package org.uga.ml.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uga.ml.data.Tile;

/**
 * A U-Net segmentation model on one device: foreground probability maps for tiles of any size, MC-dropout
 * samples, and a byte checkpoint (config + parameters, including BatchNorm running statistics) that round-trips
 * exactly. Not thread-safe: use one instance per thread (or synchronise).
 */
public final class SegmentationModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentationModel.class);
    private static final int MAGIC = 0x55474E55; // "UGNU"
    private static final int FORMAT_VERSION = 1;
    /** Tiles per forward pass at inference; bounds activation memory on CPU. */
    private static final int PREDICT_BATCH = 4;

    private final UNetConfig config;
    private final Device device;
    private final Model model;
    private final UNetBlock block;

    private SegmentationModel(UNetConfig config, Device device, Model model, UNetBlock block) {
        this.config = config;
        this.device = device;
        this.model = model;
        this.block = block;
    }

    /** A freshly initialised network on the preferred device (CUDA if present, else CPU). */
    public static SegmentationModel create(UNetConfig config, long seed) {
        return create(config, Devices.preferred(), seed);
    }

    /** A freshly initialised network (He-normal conv weights) on {@code device}; the same seed gives the same weights. */
    public static SegmentationModel create(UNetConfig config, Device device, long seed) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(device, "device");
        Engine.getInstance().setRandomSeed(seedInt(seed));
        Model model = Model.newInstance("uga-unet", device);
        UNetBlock block = new UNetBlock(config);
        block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
        int m = config.sizeMultiple();
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, m, m));
        model.setBlock(block);
        SegmentationModel created = new SegmentationModel(config, device, model, block);
        LOG.info("created U-Net {} ({} parameters) on {}", config, created.parameterCount(), device);
        return created;
    }

    /** Restores a checkpoint written by {@link #toBytes()} on the preferred device. */
    public static SegmentationModel fromBytes(byte[] checkpoint) {
        return fromBytes(checkpoint, Devices.preferred());
    }

    public static SegmentationModel fromBytes(byte[] checkpoint, Device device) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint))) {
            if (checkpoint.length < 20 || in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a UGA U-Net checkpoint (bad magic, " + checkpoint.length + " bytes)");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unsupported U-Net checkpoint version " + version + ", expected " + FORMAT_VERSION);
            }
            UNetConfig config = new UNetConfig(in.readInt(), in.readInt(), in.readFloat());
            Model model = Model.newInstance("uga-unet", device);
            UNetBlock block = new UNetBlock(config);
            try {
                block.loadParameters(model.getNDManager(), in);
            } catch (MalformedModelException | IOException | RuntimeException e) {
                model.close();
                throw new IllegalArgumentException("corrupt U-Net checkpoint for " + config + ": " + e.getMessage(), e);
            }
            // Loaded arrays do not track gradients; trainable ones must, for fine-tuning.
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            }
            model.setBlock(block);
            return new SegmentationModel(config, device, model, block);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated U-Net checkpoint: " + e.getMessage(), e);
        }
    }

    /** Config header + all parameters (weights, biases, BatchNorm running mean/variance). */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeInt(config.baseChannels());
            out.writeInt(config.depth());
            out.writeFloat(config.dropout());
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** An independent copy on the same device. */
    public SegmentationModel copy() {
        return fromBytes(toBytes(), device);
    }

    public UNetConfig config() {
        return config;
    }

    public Device device() {
        return device;
    }

    /** The DJL model holding the block; for training code. */
    public Model djlModel() {
        return model;
    }

    public long parameterCount() {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                n += p.getValue().getArray().getShape().size();
            }
        }
        return n;
    }

    /** Foreground probability per pixel, row-major {@code height * width}; deterministic (dropout off). */
    public float[] predict(Tile tile) {
        return predict(List.of(tile)).get(0);
    }

    /** {@link #predict(Tile)} for several tiles, batched by size. */
    public List<float[]> predict(List<Tile> tiles) {
        float[][] out = new float[tiles.size()][];
        Map<Long, List<Integer>> bySize = new LinkedHashMap<>();
        for (int i = 0; i < tiles.size(); i++) {
            Tile t = tiles.get(i);
            bySize.computeIfAbsent(((long) t.width() << 32) | t.height(), k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> group : bySize.values()) {
            for (int from = 0; from < group.size(); from += PREDICT_BATCH) {
                List<Integer> idx = group.subList(from, Math.min(group.size(), from + PREDICT_BATCH));
                List<Tile> batch = new ArrayList<>(idx.size());
                for (int i : idx) {
                    batch.add(tiles.get(i));
                }
                float[][] probs = forwardTiles(batch, null);
                for (int k = 0; k < idx.size(); k++) {
                    out[idx.get(k)] = probs[k];
                }
            }
        }
        return List.of(out);
    }

    /**
     * {@code passes} stochastic predictions with dropout on and BatchNorm in inference mode (running statistics
     * used, not updated). Seeds the engine RNG with {@code seed}, so the same call gives the same samples.
     */
    public float[][] predictMcDropout(Tile tile, int passes, long seed) {
        if (passes < 1) {
            throw new IllegalArgumentException("MC-dropout passes must be >= 1, got " + passes);
        }
        if (config.dropout() == 0f) {
            throw new IllegalStateException("MC dropout needs a model with dropout > 0, this one has " + config);
        }
        Engine.getInstance().setRandomSeed(seedInt(seed));
        float[][] samples = new float[passes][];
        for (int from = 0; from < passes; from += PREDICT_BATCH) {
            int n = Math.min(PREDICT_BATCH, passes - from);
            List<Tile> copies = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                copies.add(tile);
            }
            float[][] probs = forwardTiles(copies, McDropout.mcParams());
            System.arraycopy(probs, 0, samples, from, n);
        }
        return samples;
    }

    /** Tiles of one size through the network in one batch (padded by reflection to the size multiple). */
    private float[][] forwardTiles(List<Tile> tiles, PairList<String, Object> params) {
        int w = tiles.get(0).width();
        int h = tiles.get(0).height();
        int m = config.sizeMultiple();
        int pw = ceilTo(w, m);
        int ph = ceilTo(h, m);
        float[] input = new float[tiles.size() * 3 * ph * pw];
        for (int k = 0; k < tiles.size(); k++) {
            padInto(tiles.get(k), pw, ph, input, k * 3 * ph * pw);
        }
        float[] probs;
        try (NDManager step = model.getNDManager().newSubManager()) {
            NDArray x = step.create(input, new Shape(tiles.size(), 3, ph, pw));
            NDList out = block.forward(new ParameterStore(step, false), new NDList(x), false, params);
            probs = Activation.sigmoid(out.singletonOrThrow()).toFloatArray();
        }
        float[][] result = new float[tiles.size()][w * h];
        for (int k = 0; k < tiles.size(); k++) {
            int base = k * ph * pw;
            for (int y = 0; y < h; y++) {
                System.arraycopy(probs, base + y * pw, result[k], y * w, w);
            }
        }
        return result;
    }

    static int ceilTo(int v, int m) {
        return (v + m - 1) / m * m;
    }

    /** Writes the tile's CHW pixels into a pw x ph canvas, mirroring edges into the padding. */
    static void padInto(Tile t, int pw, int ph, float[] dst, int offset) {
        int w = t.width();
        int h = t.height();
        float[] src = t.rgb();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < ph; y++) {
                int sy = mirror(y, h);
                int srcRow = c * w * h + sy * w;
                int dstRow = offset + c * pw * ph + y * pw;
                System.arraycopy(src, srcRow, dst, dstRow, w);
                for (int x = w; x < pw; x++) {
                    dst[dstRow + x] = src[srcRow + mirror(x, w)];
                }
            }
        }
    }

    private static int mirror(int i, int n) {
        if (i < n) {
            return i;
        }
        int r = 2 * (n - 1) - i;
        return r < 0 ? 0 : r;
    }

    static int seedInt(long seed) {
        return (int) (seed ^ (seed >>> 32));
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "SegmentationModel[" + config + " on " + device + "]";
    }
}
