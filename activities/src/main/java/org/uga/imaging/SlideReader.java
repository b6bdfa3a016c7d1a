package org.uga.imaging;

import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.io.IOException;
import org.uga.ml.data.Tile;

/**
 * Random access to a (possibly huge, possibly remote) slide. Regions are in pixels of the requested level;
 * parts of a region outside the level are filled with white (slide background). Implementations decode only
 * what the region needs and are safe to call from several threads (calls are serialised).
 */
public interface SlideReader extends Closeable {

    /** Background colour used outside the slide (white glass). */
    int BACKGROUND_RGB = 0xFFFFFF;

    SlideInfo info();

    /** The region as an RGB image of exactly {@code width x height}. */
    BufferedImage readRegion(int level, int x, int y, int width, int height) throws IOException;

    /**
     * Samples of one band of the region as floats (for float32 maps such as uncertainty); outside the level
     * the value is 0.
     */
    float[] readSamples(int level, int x, int y, int width, int height, int band) throws IOException;

    /** The region as a planar-float {@link Tile} with id {@code name@level:x,y,wxh}. */
    default Tile readTile(int level, int x, int y, int width, int height) throws IOException {
        String id = info().name() + "@" + level + ":" + x + "," + y + "," + width + "x" + height;
        return Images.toTile(id, null, readRegion(level, x, y, width, height));
    }
}
