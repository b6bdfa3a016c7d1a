package org.uga.imaging.annotations;

import java.util.ArrayList;
import java.util.List;

/**
 * A polygon with holes. Rings are stored open (the closing vertex is not repeated) and need at least three
 * vertices; orientation is free (rasterisation is even-odd).
 */
public record Polygon(List<Point> exterior, List<List<Point>> holes) {

    public Polygon {
        exterior = openRing(exterior, "exterior");
        List<List<Point>> hs = new ArrayList<>();
        for (int i = 0; i < holes.size(); i++) {
            hs.add(openRing(holes.get(i), "hole " + i));
        }
        holes = List.copyOf(hs);
    }

    public Polygon(List<Point> exterior) {
        this(exterior, List.of());
    }

    /** An axis-aligned rectangle. */
    public static Polygon rectangle(double x, double y, double width, double height) {
        return new Polygon(List.of(new Point(x, y), new Point(x + width, y), new Point(x + width, y + height),
                new Point(x, y + height)));
    }

    /** The ring without repeated consecutive vertices and without the closing copy of the first vertex. */
    public static List<Point> distinctRing(List<Point> ring) {
        List<Point> r = new ArrayList<>(ring.size());
        for (Point p : ring) {
            if (r.isEmpty() || !r.get(r.size() - 1).equals(p)) {
                r.add(p);
            }
        }
        while (r.size() > 1 && r.get(0).equals(r.get(r.size() - 1))) {
            r.remove(r.size() - 1);
        }
        return r;
    }

    private static List<Point> openRing(List<Point> ring, String what) {
        List<Point> r = distinctRing(ring);
        if (r.size() < 3) {
            throw new IllegalArgumentException("polygon " + what + " needs at least 3 distinct vertices, got " + r.size());
        }
        return List.copyOf(r);
    }

    /** Signed shoelace area of a ring (positive when clockwise on screen, i.e. with y pointing down). */
    public static double signedArea(List<Point> ring) {
        double a = 0;
        int n = ring.size();
        for (int i = 0; i < n; i++) {
            Point p = ring.get(i);
            Point q = ring.get((i + 1) % n);
            a += p.x() * q.y() - q.x() * p.y();
        }
        return a / 2;
    }

    /** Area of the exterior minus the holes. */
    public double area() {
        double a = Math.abs(signedArea(exterior));
        for (List<Point> h : holes) {
            a -= Math.abs(signedArea(h));
        }
        return a;
    }

    /** All rings, exterior first. */
    public List<List<Point>> rings() {
        List<List<Point>> all = new ArrayList<>(holes.size() + 1);
        all.add(exterior);
        all.addAll(holes);
        return all;
    }

    /** Even-odd point test over all rings. */
    public boolean contains(double x, double y) {
        boolean inside = false;
        for (List<Point> ring : rings()) {
            int n = ring.size();
            for (int i = 0, j = n - 1; i < n; j = i++) {
                Point a = ring.get(i);
                Point b = ring.get(j);
                if ((a.y() > y) != (b.y() > y) && x < (b.x() - a.x()) * (y - a.y()) / (b.y() - a.y()) + a.x()) {
                    inside = !inside;
                }
            }
        }
        return inside;
    }

    /** {@code [minX, minY, maxX, maxY]} of the exterior. */
    public double[] bounds() {
        double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (Point p : exterior) {
            b[0] = Math.min(b[0], p.x());
            b[1] = Math.min(b[1], p.y());
            b[2] = Math.max(b[2], p.x());
            b[3] = Math.max(b[3], p.y());
        }
        return b;
    }
}
