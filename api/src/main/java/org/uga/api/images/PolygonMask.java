package org.uga.api.images;

import java.util.ArrayList;
import java.util.List;
import org.uga.api.error.ApiProblem;
import org.uga.imaging.annotations.Point;
import org.uga.imaging.annotations.Polygon;
import org.uga.imaging.annotations.PolygonRasterizer;

/**
 * A mask drawn as polygons (the JSON alternative to a PNG upload): the polygons' union is foreground, each filled
 * by the platform's {@link PolygonRasterizer} (even-odd, pixel centres), so the result is binary by construction
 * and matches what annotation files rasterise to.
 *
 * @param polygons each polygon is a list of [x, y] vertices in patch pixel coordinates, at least 3 of them
 */
public record PolygonMask(List<List<List<Double>>> polygons) {

    public static final int MAX_POLYGONS = 10_000;
    public static final int MAX_VERTICES = 1_000_000;

    /** Checks every vertex against the patch bounds and fills the polygons into a mask of that size. */
    public ImageChecks.BinaryMask rasterize(int width, int height) {
        if (polygons == null) {
            throw ApiProblem.badRequest("invalid-polygons", "field 'polygons' is required: a list of polygons, each a list of [x, y] points");
        }
        if (polygons.size() > MAX_POLYGONS) {
            throw ApiProblem.badRequest("invalid-polygons", polygons.size() + " polygons exceed the limit of " + MAX_POLYGONS);
        }
        List<Polygon> shapes = new ArrayList<>(polygons.size());
        long vertices = 0;
        for (int p = 0; p < polygons.size(); p++) {
            List<List<Double>> poly = polygons.get(p);
            if (poly == null || poly.size() < 3) {
                throw ApiProblem.badRequest("invalid-polygons", "polygon " + p + " needs at least 3 points, has "
                        + (poly == null ? 0 : poly.size()));
            }
            vertices += poly.size();
            if (vertices > MAX_VERTICES) {
                throw ApiProblem.badRequest("invalid-polygons", "more than " + MAX_VERTICES + " vertices in total");
            }
            List<Point> ring = new ArrayList<>(poly.size());
            for (int i = 0; i < poly.size(); i++) {
                List<Double> pt = poly.get(i);
                if (pt == null || pt.size() != 2 || pt.get(0) == null || pt.get(1) == null) {
                    throw ApiProblem.badRequest("invalid-polygons", "point " + i + " of polygon " + p + " must be [x, y]");
                }
                double x = pt.get(0);
                double y = pt.get(1);
                if (!Double.isFinite(x) || !Double.isFinite(y) || x < 0 || y < 0 || x > width || y > height) {
                    throw ApiProblem.unprocessable("polygon-outside-patch", "point " + i + " (" + x + ", " + y + ") of polygon " + p
                            + " lies outside the " + width + "x" + height + " patch");
                }
                ring.add(new Point(x, y));
            }
            try {
                shapes.add(new Polygon(ring));
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest("invalid-polygons", "polygon " + p + ": " + e.getMessage());
            }
        }
        byte[] out = PolygonRasterizer.rasterize(shapes, width, height);
        return new ImageChecks.BinaryMask(width, height, out);
    }
}
