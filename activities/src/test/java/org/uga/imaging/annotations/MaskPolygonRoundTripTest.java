package org.uga.imaging.annotations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskPolygonRoundTripTest {

    /** Rings, disks with several holes, an island inside a hole, diagonal touching pixels, noisy blobs. */
    static byte[] shapes(int w, int h, long seed) {
        byte[] m = new byte[w * h];
        Random rnd = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d1 = Math.hypot(x - 80, y - 80);
                boolean ring = d1 < 60 && d1 >= 35;           // annulus
                boolean island = d1 < 15;                      // island inside the annulus' hole
                double d2 = Math.hypot((x - 230) / 1.4, y - 90);
                boolean disk = d2 < 55 && Math.hypot(x - 215, y - 80) >= 12 && Math.hypot(x - 255, y - 105) >= 9;
                boolean diag = x >= 20 && x < 36 && y >= 170 && y < 186 && (x + y) % 2 == 0; // checkerboard: saddles everywhere
                m[y * w + x] = (byte) (ring || island || disk || diag ? 1 : 0);
            }
        }
        // Smooth random blobs in the lower right.
        for (int k = 0; k < 12; k++) {
            double cx = 150 + rnd.nextDouble() * 150;
            double cy = 160 + rnd.nextDouble() * 80;
            double r = 5 + rnd.nextDouble() * 15;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double a = Math.atan2(y - cy, x - cx);
                    if (Math.hypot(x - cx, y - cy) < r * (1 + 0.3 * Math.sin(3 * a + k))) {
                        m[y * w + x] = 1;
                    }
                }
            }
        }
        return m;
    }

    static double iou(byte[] a, byte[] b) {
        int inter = 0;
        int union = 0;
        for (int i = 0; i < a.length; i++) {
            inter += a[i] & b[i];
            union += a[i] | b[i];
        }
        return union == 0 ? 1 : (double) inter / union;
    }

    @Test
    void exactPolygonsReproduceTheMask() {
        int w = 320;
        int h = 250;
        byte[] mask = shapes(w, h, 1);
        List<Polygon> polys = MaskVectorizer.vectorize(mask, w, h);
        byte[] back = PolygonRasterizer.rasterize(polys, w, h);
        assertArrayEquals(mask, back, "exact vectorisation must round-trip pixel for pixel");
        // The annulus is one polygon with one hole; the island inside it is its own polygon.
        long withHoles = polys.stream().filter(p -> !p.holes().isEmpty()).count();
        assertTrue(withHoles >= 2, "annulus and holed disk keep their holes: " + withHoles);
        Polygon annulus = polys.stream().filter(p -> p.contains(80, 30)).findFirst().orElseThrow();
        assertEquals(1, annulus.holes().size());
        assertTrue(!annulus.contains(80.5, 80.5), "island is not part of the annulus");
        assertTrue(polys.stream().anyMatch(p -> p.contains(80.5, 80.5)), "island is a polygon of its own");
    }

    @Test
    void simplifiedPolygonsKeepIouAbove099() {
        for (long seed = 1; seed <= 4; seed++) {
            int w = 320;
            int h = 250;
            byte[] mask = shapes(w, h, seed);
            List<Polygon> exact = MaskVectorizer.vectorize(mask, w, h);
            List<Polygon> simple = MaskVectorizer.vectorize(mask, w, h, MaskVectorizer.Options.exact().withSimplify(0.5));
            // Count vertices of the smooth shapes (the checkerboard's one-pixel holes cannot get simpler).
            int exactVertices = exact.stream().filter(p -> p.area() > 300).mapToInt(p -> p.exterior().size()).sum();
            int simpleVertices = simple.stream().filter(p -> p.area() > 300).mapToInt(p -> p.exterior().size()).sum();
            assertTrue(simpleVertices < exactVertices * 0.7, "simplification drops vertices: " + simpleVertices + " vs " + exactVertices);
            double iou = iou(mask, PolygonRasterizer.rasterize(simple, w, h));
            assertTrue(iou >= 0.99, "seed " + seed + ": IoU " + iou);
        }
    }

    @Test
    void placementMapsMaskPixelsToSlideCoordinates() {
        int w = 64;
        int h = 48;
        byte[] mask = new byte[w * h];
        for (int y = 10; y < 30; y++) {
            for (int x = 5; x < 40; x++) {
                mask[y * w + x] = (byte) ((x - 20) * (x - 20) + (y - 20) * (y - 20) > 16 ? 1 : 0);
            }
        }
        // A mask at downsample 4 whose top-left corner is at (1000, 2000) on level 0.
        List<Polygon> polys = MaskVectorizer.vectorize(mask, w, h, MaskVectorizer.Options.exact().withPlacement(1000, 2000, 4));
        assertEquals(1, polys.size());
        assertEquals(1000 + 5 * 4, polys.get(0).bounds()[0], 1e-9);
        assertEquals(2000 + 10 * 4, polys.get(0).bounds()[1], 1e-9);
        assertArrayEquals(mask, PolygonRasterizer.rasterize(polys, w, h, 1000, 2000, 4));
        // Same polygons at level 0 around the object: 4x4 pixels per mask pixel.
        byte[] full = PolygonRasterizer.rasterize(polys, 200, 150, 1000, 2000, 1);
        assertEquals(AnnotationFormatsTest.count(mask) * 16, AnnotationFormatsTest.count(full));
    }

    @Test
    void rasterizerUsesPixelCentresAndOffsets() {
        Polygon square = new Polygon(List.of(new Point(0.4, 0.4), new Point(2.6, 0.4), new Point(2.6, 2.6), new Point(0.4, 2.6)));
        assertEquals(9, AnnotationFormatsTest.count(PolygonRasterizer.rasterize(List.of(square), 5, 5)));
        Polygon inner = new Polygon(List.of(new Point(0.6, 0.6), new Point(2.4, 0.6), new Point(2.4, 2.4), new Point(0.6, 2.4)));
        byte[] one = PolygonRasterizer.rasterize(List.of(inner), 5, 5);
        assertEquals(1, AnnotationFormatsTest.count(one));
        assertEquals(1, one[1 * 5 + 1]);
        // Shifted by a region offset: the same square seen from a window starting at (0.5, 0.5).
        byte[] shifted = PolygonRasterizer.rasterize(List.of(square), 5, 5, 0.5, 0.5, 1);
        assertEquals(4, AnnotationFormatsTest.count(shifted), "centres 1.0 and 2.0 per axis fall inside");
        // Even-odd: a hole's pixels stay empty, overlapping separate polygons unite.
        Polygon big = Polygon.rectangle(0, 0, 10, 10);
        Polygon holed = new Polygon(big.exterior(), List.of(Polygon.rectangle(2, 2, 3, 3).exterior()));
        assertEquals(100 - 9, AnnotationFormatsTest.count(PolygonRasterizer.rasterize(List.of(holed), 12, 12)));
        assertEquals(100, AnnotationFormatsTest.count(PolygonRasterizer.rasterize(List.of(holed, Polygon.rectangle(1, 1, 5, 5)), 12, 12)));
        // Triangles with sub-pixel vertices: area close to the pixel count.
        Polygon tri = new Polygon(List.of(new Point(3.3, 1.7), new Point(97.1, 12.9), new Point(40.2, 88.8)));
        int n = AnnotationFormatsTest.count(PolygonRasterizer.rasterize(List.of(tri), 100, 100));
        assertEquals(tri.area(), n, tri.area() * 0.02);
    }

    @Test
    void emptyAndFullMasks() {
        assertEquals(0, MaskVectorizer.vectorize(new byte[100], 10, 10).size());
        byte[] full = new byte[100];
        java.util.Arrays.fill(full, (byte) 1);
        List<Polygon> p = MaskVectorizer.vectorize(full, 10, 10);
        assertEquals(1, p.size());
        assertEquals(4, p.get(0).exterior().size(), "collinear staircase vertices are dropped");
        assertEquals(100, p.get(0).area(), 1e-9);
    }
}
