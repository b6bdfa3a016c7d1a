package org.uga.imaging.annotations;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Masks to polygons with holes by following pixel-edge contours ("crack following"). Foreground is
 * 8-connected (diagonal pixels belong to one object, its ring touching itself at the shared corner);
 * background 4-connected, so every hole is one ring. Vertices lie on pixel corners, so re-rasterising the
 * unsimplified polygons at pixel centres gives back exactly the mask. Optional Douglas-Peucker
 * simplification (tolerance in mask pixels) trims the staircase for export.
 */
public final class MaskVectorizer {

    /**
     * @param simplifyTolerance Douglas-Peucker tolerance in mask pixels (0 = exact, only collinear vertices dropped)
     * @param minArea           objects smaller than this many mask pixels are dropped (0 keeps all)
     * @param offsetX           level-0 x of the mask's left edge
     * @param offsetY           level-0 y of the mask's top edge
     * @param scale             level-0 pixels per mask pixel (the mask level's downsample)
     */
    public record Options(double simplifyTolerance, double minArea, double offsetX, double offsetY, double scale) {

        public Options {
            if (simplifyTolerance < 0 || minArea < 0 || !(scale > 0)) {
                throw new IllegalArgumentException("invalid vectorize options: tolerance and minArea must be >= 0, scale > 0");
            }
        }

        public static Options exact() {
            return new Options(0, 0, 0, 0, 1);
        }

        public Options withSimplify(double tolerance) {
            return new Options(tolerance, minArea, offsetX, offsetY, scale);
        }

        public Options withMinArea(double area) {
            return new Options(simplifyTolerance, area, offsetX, offsetY, scale);
        }

        public Options withPlacement(double x, double y, double s) {
            return new Options(simplifyTolerance, minArea, x, y, s);
        }
    }

    private static final int[] DX = {1, 0, -1, 0};
    private static final int[] DY = {0, 1, 0, -1};
    private static final int RIGHT = 0;
    private static final int DOWN = 1;
    private static final int LEFT = 2;
    private static final int UP = 3;
    /** Side bits of a pixel, indexed by the direction of the boundary edge on that side. */
    private static final int[] SIDE_OF_DIRECTION = {1, 2, 4, 8}; // top, right, bottom, left

    private MaskVectorizer() {
    }

    public static List<Polygon> vectorize(byte[] mask, int width, int height) {
        return vectorize(mask, width, height, Options.exact());
    }

    /** One polygon per 8-connected foreground object (non-zero pixels), holes included. */
    public static List<Polygon> vectorize(byte[] mask, int width, int height, Options options) {
        if (mask.length != width * height) {
            throw new IllegalArgumentException("mask has " + mask.length + " values, expected " + width + "x" + height);
        }
        int[] labels = label(mask, width, height);
        byte[] visited = new byte[width * height];
        Map<Integer, List<Point>> outers = new HashMap<>();
        Map<Integer, List<List<Point>>> holes = new HashMap<>();
        List<Integer> order = new ArrayList<>();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                if (mask[i] == 0) {
                    continue;
                }
                for (int d = 0; d < 4; d++) {
                    int side = SIDE_OF_DIRECTION[d];
                    if ((visited[i] & side) != 0 || !isBoundary(mask, width, height, x, y, d)) {
                        continue;
                    }
                    List<int[]> ring = trace(mask, visited, width, height, x, y, d);
                    long twiceArea = twiceArea(ring);
                    int label = labels[i];
                    if (twiceArea > 0) {
                        outers.put(label, toPoints(ring, options));
                        order.add(label);
                    } else {
                        holes.computeIfAbsent(label, k -> new ArrayList<>()).add(toPoints(ring, options));
                    }
                }
            }
        }
        List<Polygon> out = new ArrayList<>();
        double minArea = options.minArea() * options.scale() * options.scale();
        for (int label : order) {
            List<Point> ext = simplify(outers.get(label), options);
            List<List<Point>> hs = new ArrayList<>();
            for (List<Point> h : holes.getOrDefault(label, List.of())) {
                List<Point> s = simplify(h, options);
                if (s.size() >= 3) {
                    hs.add(s);
                }
            }
            if (ext.size() < 3) {
                continue;
            }
            Polygon p = new Polygon(ext, hs);
            if (p.area() >= minArea) {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean fg(byte[] mask, int width, int height, int x, int y) {
        return x >= 0 && y >= 0 && x < width && y < height && mask[y * width + x] != 0;
    }

    /** Whether the side of pixel (x,y) traversed in direction d (top=RIGHT, right=DOWN, ...) faces background. */
    private static boolean isBoundary(byte[] mask, int w, int h, int x, int y, int d) {
        return switch (d) {
            case RIGHT -> !fg(mask, w, h, x, y - 1);
            case DOWN -> !fg(mask, w, h, x + 1, y);
            case LEFT -> !fg(mask, w, h, x, y + 1);
            default -> !fg(mask, w, h, x - 1, y);
        };
    }

    /**
     * Follows the boundary with foreground on the right (clockwise on screen for outer rings) starting at the
     * side of pixel (px, py) given by direction d; returns the corner vertices where the direction changes.
     */
    private static List<int[]> trace(byte[] mask, byte[] visited, int w, int h, int px, int py, int startDir) {
        // Start vertex of the edge on each side, for an edge traversed with the pixel on its right.
        int vx = px + (startDir == DOWN || startDir == LEFT ? 1 : 0);
        int vy = py + (startDir == LEFT || startDir == UP ? 1 : 0);
        int sx = vx;
        int sy = vy;
        int d = startDir;
        List<int[]> ring = new ArrayList<>();
        ring.add(new int[] {sx, sy});
        while (true) {
            markEdge(visited, w, vx, vy, d);
            vx += DX[d];
            vy += DY[d];
            int nd = nextDirection(mask, w, h, vx, vy, d);
            if (vx == sx && vy == sy && nd == startDir) {
                if (nd != d) {
                    // the start vertex is a corner: it is already the first vertex
                } else {
                    ring.remove(0); // the start vertex lies mid-edge: not a corner
                }
                return ring;
            }
            if (nd != d) {
                ring.add(new int[] {vx, vy});
            }
            d = nd;
        }
    }

    /** The pixel whose side the edge leaving (vx, vy) in direction d runs along, marked visited. */
    private static void markEdge(byte[] visited, int w, int vx, int vy, int d) {
        int px;
        int py;
        switch (d) {
            case RIGHT -> {
                px = vx;
                py = vy;
            }
            case DOWN -> {
                px = vx - 1;
                py = vy;
            }
            case LEFT -> {
                px = vx - 1;
                py = vy - 1;
            }
            default -> {
                px = vx;
                py = vy - 1;
            }
        }
        visited[py * w + px] |= (byte) SIDE_OF_DIRECTION[d];
    }

    /** At vertex (vx, vy) arriving in direction d: turn left onto a diagonal neighbour (8-connected), go straight, or turn right. */
    private static int nextDirection(byte[] mask, int w, int h, int vx, int vy, int d) {
        // Pixels ahead of the vertex, to the left and to the right of the travel direction.
        int lx;
        int ly;
        int rx;
        int ry;
        switch (d) {
            case RIGHT -> {
                lx = vx;
                ly = vy - 1;
                rx = vx;
                ry = vy;
            }
            case DOWN -> {
                lx = vx;
                ly = vy;
                rx = vx - 1;
                ry = vy;
            }
            case LEFT -> {
                lx = vx - 1;
                ly = vy;
                rx = vx - 1;
                ry = vy - 1;
            }
            default -> {
                lx = vx - 1;
                ly = vy - 1;
                rx = vx;
                ry = vy - 1;
            }
        }
        if (fg(mask, w, h, lx, ly)) {
            return (d + 3) % 4;
        }
        if (fg(mask, w, h, rx, ry)) {
            return d;
        }
        return (d + 1) % 4;
    }

    private static long twiceArea(List<int[]> ring) {
        long a = 0;
        int n = ring.size();
        for (int i = 0; i < n; i++) {
            int[] p = ring.get(i);
            int[] q = ring.get((i + 1) % n);
            a += (long) p[0] * q[1] - (long) q[0] * p[1];
        }
        return a;
    }

    private static List<Point> toPoints(List<int[]> ring, Options o) {
        List<Point> pts = new ArrayList<>(ring.size());
        for (int[] v : ring) {
            pts.add(new Point(o.offsetX() + v[0] * o.scale(), o.offsetY() + v[1] * o.scale()));
        }
        return pts;
    }

    /** Douglas-Peucker on a closed ring, anchored at vertex 0 and the vertex farthest from it. */
    static List<Point> simplify(List<Point> ring, Options o) {
        double tol = o.simplifyTolerance() * o.scale();
        if (tol <= 0 || ring.size() <= 4) {
            return ring;
        }
        // Pixel-corner staircases lie half a pixel off the boundary they approximate; cutting every corner at
        // the half-pixel points puts the vertices on that boundary, so the simplified line is unbiased.
        ring = chamfer(ring, 0.5 * o.scale());
        int n = ring.size();
        int far = 0;
        double best = -1;
        Point a = ring.get(0);
        for (int i = 1; i < n; i++) {
            double dx = ring.get(i).x() - a.x();
            double dy = ring.get(i).y() - a.y();
            if (dx * dx + dy * dy > best) {
                best = dx * dx + dy * dy;
                far = i;
            }
        }
        boolean[] keep = new boolean[n + 1];
        keep[0] = keep[far] = keep[n] = true;
        List<Point> closed = new ArrayList<>(ring);
        closed.add(ring.get(0));
        dp(closed, 0, far, tol, keep);
        dp(closed, far, n, tol, keep);
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (keep[i]) {
                out.add(ring.get(i));
            }
        }
        return out.size() >= 3 ? out : ring;
    }

    private static List<Point> chamfer(List<Point> ring, double cut) {
        int n = ring.size();
        List<Point> out = new ArrayList<>(2 * n);
        for (int i = 0; i < n; i++) {
            Point prev = ring.get((i + n - 1) % n);
            Point v = ring.get(i);
            Point next = ring.get((i + 1) % n);
            addDistinct(out, toward(v, prev, cut));
            addDistinct(out, toward(v, next, cut));
        }
        if (out.size() > 1 && out.get(0).equals(out.get(out.size() - 1))) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static Point toward(Point from, Point to, double cut) {
        double dx = to.x() - from.x();
        double dy = to.y() - from.y();
        double len = Math.hypot(dx, dy);
        double t = Math.min(cut, len / 2) / len;
        return new Point(from.x() + dx * t, from.y() + dy * t);
    }

    private static void addDistinct(List<Point> pts, Point p) {
        if (pts.isEmpty() || !pts.get(pts.size() - 1).equals(p)) {
            pts.add(p);
        }
    }

    private static void dp(List<Point> pts, int from, int to, double tol, boolean[] keep) {
        // Iterative, so long staircases cannot overflow the stack.
        java.util.ArrayDeque<int[]> stack = new java.util.ArrayDeque<>();
        stack.push(new int[] {from, to});
        while (!stack.isEmpty()) {
            int[] seg = stack.pop();
            int s = seg[0];
            int e = seg[1];
            if (e - s < 2) {
                continue;
            }
            Point a = pts.get(s);
            Point b = pts.get(e);
            double dx = b.x() - a.x();
            double dy = b.y() - a.y();
            double len = Math.hypot(dx, dy);
            int idx = -1;
            double max = tol;
            for (int i = s + 1; i < e; i++) {
                Point p = pts.get(i);
                double dist = len == 0 ? Math.hypot(p.x() - a.x(), p.y() - a.y())
                        : Math.abs(dy * (p.x() - a.x()) - dx * (p.y() - a.y())) / len;
                if (dist > max) {
                    max = dist;
                    idx = i;
                }
            }
            if (idx >= 0) {
                keep[idx] = true;
                stack.push(new int[] {s, idx});
                stack.push(new int[] {idx, e});
            }
        }
    }

    /** 8-connected component labels (two-pass union-find); background gets 0. */
    private static int[] label(byte[] mask, int w, int h) {
        int[] labels = new int[w * h];
        int[] parent = new int[1024];
        int next = 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (mask[i] == 0) {
                    continue;
                }
                int best = 0;
                int[][] nbs = {{x - 1, y}, {x - 1, y - 1}, {x, y - 1}, {x + 1, y - 1}};
                for (int[] nb : nbs) {
                    if (nb[0] < 0 || nb[1] < 0 || nb[0] >= w) {
                        continue;
                    }
                    int l = labels[nb[1] * w + nb[0]];
                    if (l == 0) {
                        continue;
                    }
                    if (best == 0) {
                        best = l;
                    } else {
                        union(parent, best, l);
                    }
                }
                if (best == 0) {
                    if (next == parent.length) {
                        parent = java.util.Arrays.copyOf(parent, parent.length * 2);
                    }
                    parent[next] = next;
                    best = next++;
                }
                labels[i] = best;
            }
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0) {
                labels[i] = find(parent, labels[i]);
            }
        }
        return labels;
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
