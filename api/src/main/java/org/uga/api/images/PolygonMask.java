package org.uga.api.images;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.List;
import org.uga.api.error.ApiProblem;

/**
 * A mask drawn as polygons (the JSON alternative to a PNG upload): every polygon is filled as foreground with
 * the non-zero winding rule, without anti-aliasing, so the result is binary by construction.
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
        Path2D.Double path = new Path2D.Double(Path2D.WIND_NON_ZERO);
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
                if (i == 0) {
                    path.moveTo(x, y);
                } else {
                    path.lineTo(x, y);
                }
            }
            path.closePath();
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setColor(Color.WHITE);
            g.fill(path);
        } finally {
            g.dispose();
        }
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        byte[] out = new byte[width * height];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (data[i] != 0 ? 1 : 0);
        }
        return new ImageChecks.BinaryMask(width, height, out);
    }
}
