package org.uga.imaging;

/**
 * Tissue (1) / background (0) per pixel of a low-resolution view of a slide; {@code downsample} maps its
 * pixels to level 0 ({@code level0 = maskPixel * downsample}).
 */
public record TissueMask(int width, int height, double downsample, byte[] mask) {

    public TissueMask {
        if (mask.length != width * height) {
            throw new IllegalArgumentException("tissue mask has " + mask.length + " values, expected " + width + "x" + height);
        }
    }

    /** Fraction of tissue over the whole slide. */
    public double tissueFraction() {
        long n = 0;
        for (byte b : mask) {
            n += b;
        }
        return (double) n / mask.length;
    }

    /**
     * Fraction of tissue inside a rectangle given in level-0 pixels (mask pixels whose centre lies inside;
     * at least the one mask pixel under the rectangle's centre, so tiny rectangles still get an answer).
     */
    public double fraction(double x0, double y0, double w, double h) {
        int mx0 = (int) Math.max(0, Math.ceil(x0 / downsample - 0.5));
        int my0 = (int) Math.max(0, Math.ceil(y0 / downsample - 0.5));
        int mx1 = (int) Math.min(width, Math.ceil((x0 + w) / downsample - 0.5));
        int my1 = (int) Math.min(height, Math.ceil((y0 + h) / downsample - 0.5));
        if (mx1 <= mx0 || my1 <= my0) {
            int cx = (int) Math.min(width - 1, Math.max(0, (x0 + w / 2) / downsample));
            int cy = (int) Math.min(height - 1, Math.max(0, (y0 + h / 2) / downsample));
            return mask[cy * width + cx];
        }
        long on = 0;
        for (int y = my0; y < my1; y++) {
            for (int x = mx0; x < mx1; x++) {
                on += mask[y * width + x];
            }
        }
        return (double) on / ((long) (mx1 - mx0) * (my1 - my0));
    }
}
