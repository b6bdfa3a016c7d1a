package org.uga.imaging;

/**
 * One resolution of a slide. {@code imageIndex} is the image (IFD) inside the file; tile sizes equal the
 * level size for untiled images; {@code downsample} is level-0 width over this level's width.
 */
public record SlideLevel(int index, int imageIndex, int width, int height, int tileWidth, int tileHeight, double downsample) {

    public SlideLevel {
        if (width <= 0 || height <= 0 || tileWidth <= 0 || tileHeight <= 0) {
            throw new IllegalArgumentException("invalid level " + index + ": " + width + "x" + height
                    + " tiles " + tileWidth + "x" + tileHeight);
        }
    }

    public boolean tiled() {
        return tileWidth < width || tileHeight < height;
    }
}
