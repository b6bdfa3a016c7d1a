package org.uga.ml.uncertainty;

/** What scoring produces for one tile: mean foreground probability and per-pixel uncertainty (row-major). */
public record UncertaintyMap(String tileId, int width, int height, float[] probability, float[] uncertainty) {

    public UncertaintyMap {
        if (probability.length != width * height || uncertainty.length != width * height) {
            throw new IllegalArgumentException("maps for " + tileId + " must have " + width + "x" + height + " values");
        }
    }
}
