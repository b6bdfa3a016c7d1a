package org.uga.ml.data;

/**
 * Paints one nucleus as hematoxylin concentration plus its ground-truth mask: an ellipse with chromatin texture,
 * an optional darker rim (vesicular nuclei), nucleoli, and a thin soft halo outside the mask (a blurry real edge).
 * Shared by the tile generator ({@link HeGenerator}) and the streamed whole-slide generator
 * ({@code org.uga.imaging.SlideGenerator}), which paints into a band of rows.
 */
public final class NucleusPainter {

    /** A texture sampled at pixel coordinates, values in [0,1]. */
    @FunctionalInterface
    public interface Texture {
        double at(double x, double y);
    }

    /** Farthest a nucleus of semi-axis {@code a} paints from its centre (mask plus halo), in pixels. */
    public static int reach(double a) {
        return (int) Math.ceil(a * 1.35) + 2;
    }

    /**
     * Paints into arrays covering the region {@code [ox, ox + w) x [oy, oy + h)} (index {@code (y-oy)*w + (x-ox)});
     * parts of the nucleus outside the region are clipped, so a nucleus crossing two bands paints each band's part.
     * {@code hem} keeps the maximum of what is there and the nucleus; {@code mask} gets 1 inside the ellipse.
     *
     * @param a, b      semi-axes in pixels; {@code angle} rotates a from the x axis (radians)
     * @param hBase     hematoxylin concentration of the nucleus body
     * @param rimWeight how much darker the membrane is than the centre (vesicular nuclei: high)
     * @param spots     nucleolus centres (pixel coordinates), may be empty
     */
    public static void paint(double cx, double cy, double a, double b, double angle, double hBase, double rimWeight,
                             double[][] spots, Texture chromatin, int ox, int oy, int w, int h, double[] hem,
                             byte[] mask) {
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        int reach = reach(a);
        int x0 = Math.max(ox, (int) cx - reach);
        int x1 = Math.min(ox + w - 1, (int) cx + reach);
        int y0 = Math.max(oy, (int) cy - reach);
        int y1 = Math.min(oy + h - 1, (int) cy + reach);
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                double u = (dx * cos + dy * sin) / a;
                double v = (-dx * sin + dy * cos) / b;
                double rho2 = u * u + v * v;
                int i = (y - oy) * w + (x - ox);
                double value;
                if (rho2 <= 1) {
                    mask[i] = 1;
                    double rim = 1 + rimWeight * rho2 * rho2;
                    value = hBase * (0.7 + 0.6 * chromatin.at(x, y)) * rim;
                    for (double[] s : spots) {
                        double ds = StrictMath.hypot(x + 0.5 - s[0], y + 0.5 - s[1]);
                        if (ds < 1.4) {
                            value += 0.45 * hBase * (1 - ds / 1.4);
                        }
                    }
                } else {
                    double rho = Math.sqrt(rho2);
                    value = 0.3 * hBase * StrictMath.exp(-(rho - 1) * 10);
                }
                if (value > hem[i]) {
                    hem[i] = value;
                }
            }
        }
    }

    private NucleusPainter() {
    }
}
