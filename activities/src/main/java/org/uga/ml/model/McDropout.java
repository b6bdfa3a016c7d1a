package org.uga.ml.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Element-wise dropout that is active while training and, at inference, only when the forward parameters carry
 * {@link #MC_FLAG} = {@code true}. This is how MC-dropout sampling turns dropout on without putting the whole
 * network in training mode, which would also make BatchNorm use (and update) batch statistics.
 */
public final class McDropout extends AbstractBlock {

    /** Forward-parameter key that enables dropout at inference. */
    public static final String MC_FLAG = "uga.mc-dropout";

    private static final byte VERSION = 1;

    private final float rate;

    public McDropout(float rate) {
        super(VERSION);
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    /** Forward parameters that switch MC dropout on. */
    public static PairList<String, Object> mcParams() {
        PairList<String, Object> p = new PairList<>();
        p.add(MC_FLAG, Boolean.TRUE);
        return p;
    }

    static boolean mcRequested(PairList<String, Object> params) {
        return params != null && Boolean.TRUE.equals(params.get(MC_FLAG));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        boolean active = rate > 0f && (training || mcRequested(params));
        if (!active) {
            return inputs;
        }
        return Dropout.dropout(inputs.singletonOrThrow(), rate, true);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    public float rate() {
        return rate;
    }
}
