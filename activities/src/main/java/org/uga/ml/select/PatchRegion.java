package org.uga.ml.select;

/** A rectangle of a tile or slide, in pixels of that image, proposed to a clinician for annotation. */
public record PatchRegion(String imageId, int x, int y, int width, int height) {

    public PatchRegion {
        if (x < 0 || y < 0 || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("invalid patch region " + imageId + " " + x + "," + y + " " + width + "x" + height);
        }
    }

    public boolean overlaps(PatchRegion o) {
        return imageId.equals(o.imageId) && x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height;
    }

    /** Stable, key-safe identifier, e.g. {@code img42_x64_y128_128x128}. */
    public String key() {
        return imageId.replaceAll("[^A-Za-z0-9._-]", "_") + "_x" + x + "_y" + y + "_" + width + "x" + height;
    }
}
