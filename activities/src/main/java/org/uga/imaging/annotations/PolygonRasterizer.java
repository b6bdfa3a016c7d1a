package org.uga.imaging.annotations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Polygons to masks by scanline at pixel centres: mask pixel (px, py) is inside when the slide point
 * {@code (offsetX + (px + 0.5) * scale, offsetY + (py + 0.5) * scale)} is inside the polygon under the
 * even-odd rule over its exterior and holes. Sub-pixel vertices are honoured exactly; separate polygons are
 * united. With {@code scale} the downsample of the mask relative to level 0 and the offsets its top-left
 * corner in level-0 pixels, masks of any region at any level come out aligned with the slide.
 */
public final class PolygonRasterizer {

    /**
     * Classes whose polygons are cut out of the mask instead of added: Camelyon's ASAP group {@code _2}
     * ("exclusion": normal tissue inside a tumour outline) and its spelled-out form.
     */
    public static final Set<String> EXCLUSION_CLASSES = Set.of("_2", "Exclusion", "exclusion");

    private PolygonRasterizer() {
    }

    /** Union of the polygons as a 0/1 mask of {@code width x height}. */
    public static byte[] rasterize(Collection<Polygon> polygons, int width, int height, double offsetX, double offsetY,
                                   double scale) {
        checkGeometry(width, height, scale);
        byte[] mask = new byte[width * height];
        for (Polygon p : polygons) {
            fill(p, mask, width, height, offsetX, offsetY, scale, (byte) 1);
        }
        return mask;
    }

    public static byte[] rasterize(Collection<Polygon> polygons, int width, int height) {
        return rasterize(polygons, width, height, 0, 0, 1);
    }

    /**
     * Annotations to a 0/1 mask: every annotation's polygons are filled unless its class is in
     * {@code exclusionClasses}; those are then cleared. {@code classes}, when non-empty, keeps only the
     * annotations of those classes (exclusions always apply).
     */
    public static byte[] rasterizeAnnotations(List<Annotation> annotations, Set<String> classes, Set<String> exclusionClasses,
                                              int width, int height, double offsetX, double offsetY, double scale) {
        checkGeometry(width, height, scale);
        byte[] mask = new byte[width * height];
        List<Polygon> cut = new ArrayList<>();
        for (Annotation a : annotations) {
            if (exclusionClasses.contains(a.classification())) {
                cut.addAll(a.polygons());
                continue;
            }
            if (!classes.isEmpty() && !classes.contains(a.classification())) {
                continue;
            }
            for (Polygon p : a.polygons()) {
                fill(p, mask, width, height, offsetX, offsetY, scale, (byte) 1);
            }
        }
        for (Polygon p : cut) {
            fill(p, mask, width, height, offsetX, offsetY, scale, (byte) 0);
        }
        return mask;
    }

    private static void checkGeometry(int width, int height, double scale) {
        if (width <= 0 || height <= 0 || (long) width * height > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("mask size must be positive and below 2^31 pixels, got " + width + "x" + height);
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be a positive number, got " + scale);
        }
    }

    /** Sets pixels inside {@code p} (even-odd over its rings) to {@code value}. */
    static void fill(Polygon p, byte[] mask, int width, int height, double offsetX, double offsetY, double scale, byte value) {
        // Edges in mask pixel units, sorted by their top so an active list sweeps the rows.
        List<double[]> edges = new ArrayList<>();
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (List<Point> ring : p.rings()) {
            int n = ring.size();
            for (int i = 0; i < n; i++) {
                Point a = ring.get(i);
                Point b = ring.get((i + 1) % n);
                double ax = (a.x() - offsetX) / scale;
                double ay = (a.y() - offsetY) / scale;
                double bx = (b.x() - offsetX) / scale;
                double by = (b.y() - offsetY) / scale;
                if (ay == by) {
                    continue; // horizontal edges never cross a scanline under the half-open rule
                }
                double top = Math.min(ay, by);
                double bottom = Math.max(ay, by);
                // {top, bottom, x at top, dx/dy}
                double xTop = ay < by ? ax : bx;
                edges.add(new double[] {top, bottom, xTop, (bx - ax) / (by - ay)});
                minY = Math.min(minY, top);
                maxY = Math.max(maxY, bottom);
            }
        }
        if (edges.isEmpty()) {
            return;
        }
        edges.sort((e1, e2) -> Double.compare(e1[0], e2[0]));
        // Rows whose centre y + 0.5 lies in [minY, maxY).
        int rowStart = (int) Math.max(0, Math.ceil(minY - 0.5));
        int rowEnd = (int) Math.min(height - 1, Math.ceil(maxY - 0.5) - 1);
        List<double[]> active = new ArrayList<>();
        double[] xs = new double[16];
        int nextEdge = 0;
        for (int row = rowStart; row <= rowEnd; row++) {
            double yc = row + 0.5;
            while (nextEdge < edges.size() && edges.get(nextEdge)[0] <= yc) {
                active.add(edges.get(nextEdge++));
            }
            int count = 0;
            for (int i = active.size() - 1; i >= 0; i--) {
                double[] e = active.get(i);
                if (e[1] <= yc) {
                    active.remove(i); // half-open: an edge covers top <= y < bottom
                    continue;
                }
                if (count == xs.length) {
                    xs = Arrays.copyOf(xs, count * 2);
                }
                xs[count++] = e[2] + (yc - e[0]) * e[3];
            }
            Arrays.sort(xs, 0, count);
            int base = row * width;
            for (int k = 0; k + 1 < count; k += 2) {
                // Pixels whose centre px + 0.5 lies in [x0, x1).
                int from = (int) Math.max(0, Math.ceil(xs[k] - 0.5));
                int to = (int) Math.min(width, Math.ceil(xs[k + 1] - 0.5));
                if (from < to) {
                    Arrays.fill(mask, base + from, base + to, value);
                }
            }
        }
    }
}
