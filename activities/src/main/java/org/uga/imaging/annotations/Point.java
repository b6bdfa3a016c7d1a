package org.uga.imaging.annotations;

/** A vertex in slide (level-0) pixel coordinates; sub-pixel values are meaningful. */
public record Point(double x, double y) {

    public Point {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("vertex coordinates must be finite, got " + x + "," + y);
        }
    }
}
