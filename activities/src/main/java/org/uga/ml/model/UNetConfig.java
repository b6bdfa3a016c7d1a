package org.uga.ml.model;

/**
 * Shape of the U-Net: {@code baseChannels} filters at full resolution, doubled at each of {@code depth}
 * down-sampling steps; {@code dropout} is the drop rate of the bottleneck and decoder dropout layers (also the
 * rate MC-dropout sampling uses).
 */
public record UNetConfig(int baseChannels, int depth, float dropout) {

    public UNetConfig {
        // Multiples of 16 only: oneDNN 3.7.1's AVX-512 backward-data convolution (PyTorch 2.7.1 CPU) reads the
        // padding of partial 16-channel blocks and returns NaN gradients intermittently (measured for 8, 12 and 24
        // output channels, never for multiples of 16).
        if (baseChannels < 16 || baseChannels > 512 || baseChannels % 16 != 0) {
            throw new IllegalArgumentException("baseChannels must be a multiple of 16 in [16, 512], got " + baseChannels);
        }
        if (depth < 1 || depth > 6) {
            throw new IllegalArgumentException("depth must be in [1, 6], got " + depth);
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    /** Sized to train in minutes on 2 CPU cores (about 0.48M parameters). */
    public static UNetConfig cpuDefault() {
        return new UNetConfig(16, 3, 0.2f);
    }

    /** A wider, deeper network for a CUDA device. */
    public static UNetConfig gpuDefault() {
        return new UNetConfig(32, 4, 0.2f);
    }

    /** {@link #gpuDefault()} when the engine sees a GPU, else {@link #cpuDefault()}. */
    public static UNetConfig forAvailableDevice() {
        return Devices.hasGpu() ? gpuDefault() : cpuDefault();
    }

    /** Tile sides must be a multiple of this for the network (predict pads to it). */
    public int sizeMultiple() {
        return 1 << depth;
    }
}
