package org.uga.ml.data;

import java.util.Objects;

/**
 * An RGB image tile with an optional binary ground-truth mask.
 *
 * <p>Pixels are planar (CHW) floats in [0,1]: {@code rgb[c * height * width + y * width + x]}. The mask, when
 * present, is row-major {@code height * width} bytes holding 0 (background) or 1 (foreground). Arrays are
 * owned by the tile: callers must not mutate them after construction.
 */
public record Tile(String id, String domain, int width, int height, float[] rgb, byte[] mask) {

    public Tile {
        Objects.requireNonNull(id, "id");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("tile " + id + ": size must be positive, got " + width + "x" + height);
        }
        Objects.requireNonNull(rgb, "rgb");
        if (rgb.length != 3 * width * height) {
            throw new IllegalArgumentException("tile " + id + ": rgb has " + rgb.length + " values, expected 3x" + width + "x" + height);
        }
        if (mask != null && mask.length != width * height) {
            throw new IllegalArgumentException("tile " + id + ": mask has " + mask.length + " values, expected " + width + "x" + height);
        }
    }

    public boolean hasMask() {
        return mask != null;
    }

    public int pixels() {
        return width * height;
    }

    /** The same pixels with another mask (e.g. a clinician's correction). */
    public Tile withMask(byte[] newMask) {
        return new Tile(id, domain, width, height, rgb, newMask);
    }

    /** A copy of the region [x, x+w) x [y, y+h); the id gets an {@code @x,y,wxh} suffix. */
    public Tile crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("tile " + id + ": crop " + x + "," + y + " " + w + "x" + h
                    + " outside " + width + "x" + height);
        }
        float[] out = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < h; r++) {
                System.arraycopy(rgb, c * width * height + (y + r) * width + x, out, c * w * h + r * w, w);
            }
        }
        byte[] m = null;
        if (mask != null) {
            m = new byte[w * h];
            for (int r = 0; r < h; r++) {
                System.arraycopy(mask, (y + r) * width + x, m, r * w, w);
            }
        }
        return new Tile(id + "@" + x + "," + y + "," + w + "x" + h, domain, w, h, out, m);
    }
}
