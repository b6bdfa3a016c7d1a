package org.uga.ml.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Device choice shared by model creation and config defaults: CUDA when the engine sees one, else CPU. */
public final class Devices {

    private Devices() {
    }

    public static boolean hasGpu() {
        return Engine.getInstance().getGpuCount() > 0;
    }

    public static Device preferred() {
        return hasGpu() ? Device.gpu() : Device.cpu();
    }
}
