package org.uga.ml.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * U-Net for binary segmentation: input {@code (N, 3, H, W)} with H and W multiples of {@code 2^depth}, output
 * foreground logits {@code (N, 1, H, W)}.
 *
 * <p>Encoder level i: two 3x3 conv + BatchNorm + ReLU with {@code base * 2^i} filters, then 2x2 max pooling.
 * Bottleneck: the same with {@code base * 2^depth} filters, followed by dropout. Decoder level i: 1x1 conv to
 * {@code 4 * C_i} channels + pixel shuffle (x2 up-sampling; the PyTorch engine has no transposed convolution),
 * concatenation with the skip connection, dropout, two 3x3 conv blocks. Head: 1x1 conv to one logit.
 *
 * <p>The conv stacks are {@link SequentialBlock}s; the dropout layers are {@link McDropout} children called
 * by this block with the forward parameters, since SequentialBlock does not pass those on.
 */
public final class UNetBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final UNetConfig config;
    private final Block[] encoders;
    private final Block bottleneck;
    private final McDropout bottleneckDropout;
    private final Block[] ups;
    private final McDropout[] decoderDropouts;
    private final Block[] decoders;
    private final Block head;

    public UNetBlock(UNetConfig config) {
        super(VERSION);
        this.config = config;
        int depth = config.depth();
        encoders = new Block[depth];
        ups = new Block[depth];
        decoderDropouts = new McDropout[depth];
        decoders = new Block[depth];
        for (int i = 0; i < depth; i++) {
            encoders[i] = addChildBlock("enc" + i, convStack(channels(i)));
        }
        bottleneck = addChildBlock("bottleneck", convStack(channels(depth)));
        bottleneckDropout = addChildBlock("bottleneck_dropout", new McDropout(config.dropout()));
        // Deepest decoder level first, so children are registered (and saved) in execution order.
        for (int i = depth - 1; i >= 0; i--) {
            ups[i] = addChildBlock("up" + i, conv(4 * channels(i), 1, false));
            decoderDropouts[i] = addChildBlock("dec" + i + "_dropout", new McDropout(config.dropout()));
            decoders[i] = addChildBlock("dec" + i, convStack(channels(i)));
        }
        head = addChildBlock("head", conv(1, 1, true));
    }

    public UNetConfig config() {
        return config;
    }

    private int channels(int level) {
        return config.baseChannels() << level;
    }

    private static Block conv(int filters, int kernel, boolean bias) {
        int pad = kernel / 2;
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(pad, pad))
                .optBias(bias)
                .build();
    }

    private static Block convStack(int filters) {
        return new SequentialBlock()
                .add(conv(filters, 3, false))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(conv(filters, 3, false))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
    }

    /** (N, 4C, H, W) -> (N, C, 2H, 2W) with the channel order of torch.nn.PixelShuffle(2). */
    static NDArray pixelShuffle(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1) / 4;
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(n, c, 2, 2, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c, 2 * h, 2 * w);
    }

    private static NDArray maxPool(NDArray x) {
        return Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape in = x.getShape();
        int m = config.sizeMultiple();
        if (in.dimension() != 4 || in.get(1) != 3 || in.get(2) % m != 0 || in.get(3) % m != 0) {
            throw new IllegalArgumentException("U-Net input must be (N, 3, H, W) with H, W multiples of " + m + ", got " + in);
        }
        int depth = config.depth();
        NDArray[] skips = new NDArray[depth];
        for (int i = 0; i < depth; i++) {
            x = encoders[i].forward(ps, new NDList(x), training, params).singletonOrThrow();
            skips[i] = x;
            x = maxPool(x);
        }
        x = bottleneck.forward(ps, new NDList(x), training, params).singletonOrThrow();
        x = bottleneckDropout.forward(ps, new NDList(x), training, params).singletonOrThrow();
        for (int i = depth - 1; i >= 0; i--) {
            x = pixelShuffle(ups[i].forward(ps, new NDList(x), training, params).singletonOrThrow());
            x = x.concat(skips[i], 1);
            x = decoderDropouts[i].forward(ps, new NDList(x), training, params).singletonOrThrow();
            x = decoders[i].forward(ps, new NDList(x), training, params).singletonOrThrow();
        }
        return head.forward(ps, new NDList(x), training, params);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        int depth = config.depth();
        Shape[] skips = new Shape[depth];
        for (int i = 0; i < depth; i++) {
            x = init(encoders[i], manager, dataType, x);
            skips[i] = x;
            x = new Shape(x.get(0), x.get(1), x.get(2) / 2, x.get(3) / 2);
        }
        x = init(bottleneck, manager, dataType, x);
        x = init(bottleneckDropout, manager, dataType, x);
        for (int i = depth - 1; i >= 0; i--) {
            Shape up = init(ups[i], manager, dataType, x);
            x = new Shape(up.get(0), up.get(1) / 4 + skips[i].get(1), up.get(2) * 2, up.get(3) * 2);
            x = init(decoderDropouts[i], manager, dataType, x);
            x = init(decoders[i], manager, dataType, x);
        }
        init(head, manager, dataType, x);
    }

    private static Shape init(Block block, NDManager manager, DataType dataType, Shape in) {
        block.initialize(manager, dataType, in);
        return block.getOutputShapes(new Shape[] {in})[0];
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), 1, in.get(2), in.get(3))};
    }
}
