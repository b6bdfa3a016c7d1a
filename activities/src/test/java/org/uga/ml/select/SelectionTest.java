package org.uga.ml.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.uga.ml.data.Tile;
import org.uga.ml.uncertainty.UncertaintyMap;

class SelectionTest {

    /** A uniformly pink (tissue-coloured) tile. */
    private static Tile tissue(String id, int w, int h) {
        int n = w * h;
        float[] rgb = new float[3 * n];
        Arrays.fill(rgb, 0, n, 0.85f);
        Arrays.fill(rgb, n, 2 * n, 0.55f);
        Arrays.fill(rgb, 2 * n, 3 * n, 0.75f);
        return new Tile(id, "local", w, h, rgb, null);
    }

    private static UncertaintyMap map(String id, int w, int h, float[] u) {
        return new UncertaintyMap(id, w, h, new float[w * h], u);
    }

    /** Background 0.01 with a hot square of 0.6 at (hx, hy) size s. */
    private static float[] hotSpot(int w, int h, int hx, int hy, int s, float hot) {
        float[] u = new float[w * h];
        Arrays.fill(u, 0.01f);
        for (int y = hy; y < hy + s; y++) {
            for (int x = hx; x < hx + s; x++) {
                u[y * w + x] = hot;
            }
        }
        return u;
    }

    private static void assertNoOverlap(List<ScoredPatch> patches) {
        for (int i = 0; i < patches.size(); i++) {
            for (int j = i + 1; j < patches.size(); j++) {
                assertFalse(patches.get(i).region().overlaps(patches.get(j).region()),
                        patches.get(i) + " overlaps " + patches.get(j));
            }
        }
    }

    @Test
    void paperScoreCountsPixelsAboveFractionOfMaxPlusSum() {
        // 2x2 window of a 3-wide map: values 1.0, 0.81, 0.8, 0.1 -> above 0.8*1.0 (strict): 1.0 and 0.81 -> 2
        float[] u = {1.0f, 0.81f, 0f, 0.8f, 0.1f, 0f};
        double s = PaperTileScore.score(u, 3, 0, 0, 2, 2, 0.8, 1.0);
        assertEquals(100 * 2 + (1.0 + 0.81 + 0.8 + 0.1), s, 1e-5);
        // against a tile maximum of 2.0 no pixel of the window is above 1.6: only the sum remains
        assertEquals(2.71, PaperTileScore.score(u, 3, 0, 0, 2, 2, 0.8, PaperTileScore.Reference.TILE, 2.0), 1e-5);
        // PATCH reference uses the window's own max (1.0)
        assertEquals(202.71, PaperTileScore.score(u, 3, 0, 0, 2, 2, 0.8, PaperTileScore.Reference.PATCH, 2.0), 1e-5);
        // an all-zero region scores 0
        assertEquals(0.0, PaperTileScore.scoreWhole(new float[4], 2, 2, 0.8), 0);
    }

    @Test
    void nmsKeepsBestAndDropsOverlaps() {
        List<ScoredPatch> c = List.of(
                new ScoredPatch(new PatchRegion("a", 0, 0, 10, 10), 5),
                new ScoredPatch(new PatchRegion("a", 5, 5, 10, 10), 9),   // best
                new ScoredPatch(new PatchRegion("a", 15, 15, 10, 10), 4), // touches nothing kept
                new ScoredPatch(new PatchRegion("b", 5, 5, 10, 10), 1));  // other image: no overlap
        List<ScoredPatch> kept = NonMaxSuppression.select(c, 10);
        assertEquals(List.of(c.get(1), c.get(2), c.get(3)), kept);
        assertEquals(List.of(c.get(1)), NonMaxSuppression.select(c, 1));
        assertEquals(List.of(c.get(1), c.get(3)), NonMaxSuppression.select(c, 10, 1)); // one per image
    }

    @Test
    void nmsBreaksTiesByKey() {
        ScoredPatch b = new ScoredPatch(new PatchRegion("t", 8, 0, 10, 10), 1);
        ScoredPatch a = new ScoredPatch(new PatchRegion("t", 0, 0, 10, 10), 1);
        assertEquals(List.of(a), NonMaxSuppression.select(List.of(b, a), 5));
        assertEquals(List.of(a), NonMaxSuppression.select(List.of(a, b), 5));
    }

    @Test
    void offsetsCoverTheWholeAxis() {
        assertEquals(List.of(0, 32, 64, 96, 128), Candidates.offsets(256, 128, 32));
        assertEquals(List.of(0, 64, 128, 192), Candidates.offsets(320, 128, 64));
        assertEquals(List.of(0, 64, 128, 192, 193), Candidates.offsets(321, 128, 64));
        assertEquals(List.of(0), Candidates.offsets(100, 100, 7));
    }

    @Test
    void ugaFindsTheHotSpotsAndReturnsNonOverlappingPatches() {
        List<Tile> pool = List.of(tissue("t1", 128, 128), tissue("t2", 128, 128));
        Map<String, UncertaintyMap> maps = new HashMap<>();
        maps.put("t1", map("t1", 128, 128, hotSpot(128, 128, 80, 80, 32, 0.6f)));
        maps.put("t2", map("t2", 128, 128, hotSpot(128, 128, 0, 0, 16, 0.3f)));
        SelectionParams p = new SelectionParams(3, 32, 16, 0.8, 1);
        List<ScoredPatch> sel = new UgaStrategy().select(pool, maps, p);
        assertEquals(3, sel.size());
        assertEquals(new PatchRegion("t1", 80, 80, 32, 32), sel.get(0).region()); // the whole hot square: 1024 px
        assertEquals(new PatchRegion("t2", 0, 0, 32, 32), sel.get(1).region());  // 256 hot px
        assertNoOverlap(sel);
        assertTrue(sel.get(0).score() > sel.get(1).score() && sel.get(1).score() >= sel.get(2).score());
        // same input in another order: same answer
        assertEquals(sel, new UgaStrategy().select(List.of(pool.get(1), pool.get(0)), maps, p));
    }

    @Test
    void ugaNeedsAMapForEveryPoolTile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UgaStrategy().select(List.of(tissue("t9", 64, 64)), Map.of(), SelectionParams.of(1, 32, 1)));
        assertTrue(e.getMessage().contains("t9"), e.getMessage());
    }

    @Test
    void tissueFilterDropsWhiteAndDarkWindows() {
        int w = 64;
        int h = 32;
        Tile t = tissue("t", w, h);
        float[] rgb = t.rgb().clone();
        int n = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < 32; x++) { // left half: white glass
                for (int c = 0; c < 3; c++) {
                    rgb[c * n + y * w + x] = 0.95f;
                }
            }
        }
        Tile half = new Tile("h", "local", w, h, rgb, null);
        TissueFilter.Prepared p = TissueFilter.PAPER.prepare(half);
        assertEquals(1.0, p.whiteFraction(0, 0, 32, 32), 0);
        assertEquals(0.0, p.whiteFraction(32, 0, 32, 32), 0);
        assertFalse(p.keep(0, 0, 32, 32));
        assertTrue(p.keep(32, 0, 32, 32));
        assertFalse(p.keep(20, 0, 32, 32)); // 12/32 = 37.5% white > 30%
        assertTrue(p.keep(24, 0, 32, 32));  // 8/32 = 25% white
        // a black tile is dark
        Tile black = new Tile("b", "local", 8, 8, new float[192], null);
        assertFalse(TissueFilter.PAPER.keepTile(black));
        assertTrue(TissueFilter.PAPER.keepTile(t));
        // uga never proposes the white half, even where it is most uncertain
        float[] u = hotSpot(w, h, 0, 0, 32, 0.9f);
        List<ScoredPatch> sel = new UgaStrategy().select(List.of(half), Map.of("h", map("h", w, h, u)),
                new SelectionParams(5, 32, 8, 0.8, 1));
        assertFalse(sel.isEmpty());
        for (ScoredPatch s : sel) {
            assertTrue(s.region().x() >= 24, s.toString());
        }
    }

    @Test
    void randomIsSeededNonOverlappingAndIgnoresMaps() {
        List<Tile> pool = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pool.add(tissue("r" + i, 96, 64));
        }
        SelectionParams p = new SelectionParams(8, 32, 16, 0.8, 42);
        List<ScoredPatch> a = new RandomStrategy().select(pool, Map.of(), p);
        List<Tile> reversed = new ArrayList<>(pool);
        java.util.Collections.reverse(reversed);
        List<ScoredPatch> b = new RandomStrategy().select(reversed, Map.of(), p);
        assertEquals(8, a.size());
        assertEquals(a, b);
        assertNoOverlap(a);
        List<ScoredPatch> other = new RandomStrategy().select(pool, Map.of(), new SelectionParams(8, 32, 16, 0.8, 43));
        assertNotEquals(a, other);
        Set<String> images = new HashSet<>();
        a.forEach(s -> images.add(s.region().imageId()));
        assertTrue(images.size() > 1, "8 random patches from 5 tiles all came from one tile: " + a);
    }

    @Test
    void diverseSpreadsAcrossImagesBeforeTakingSecondPatches() {
        List<Tile> pool = new ArrayList<>();
        Map<String, UncertaintyMap> maps = new HashMap<>();
        Random rng = new Random(5);
        for (int i = 0; i < 4; i++) {
            String id = "d" + i;
            pool.add(tissue(id, 128, 128));
            float[] u = new float[128 * 128];
            for (int k = 0; k < u.length; k++) {
                u[k] = rng.nextFloat() * 0.1f;
            }
            // tile d0 is by far the most uncertain everywhere
            if (i == 0) {
                for (int k = 0; k < u.length; k++) {
                    u[k] += 0.5f;
                }
            }
            maps.put(id, map(id, 128, 128, u));
        }
        SelectionParams p = new SelectionParams(4, 32, 32, 0.8, 3);
        List<ScoredPatch> uga = new UgaStrategy().select(pool, maps, p);
        uga.forEach(s -> assertEquals("d0", s.region().imageId())); // uga spends the whole budget on d0
        List<ScoredPatch> diverse = new DiverseStrategy().select(pool, maps, p);
        Set<String> images = new HashSet<>();
        diverse.forEach(s -> images.add(s.region().imageId()));
        assertEquals(Set.of("d0", "d1", "d2", "d3"), images);
        assertEquals("d0", diverse.get(0).region().imageId());
        assertNoOverlap(diverse);
        assertEquals(diverse, new DiverseStrategy().select(pool, maps, p));
        // with a budget of 6 the two extra patches are second picks
        assertEquals(6, new DiverseStrategy().select(pool, maps, new SelectionParams(6, 32, 32, 0.8, 3)).size());
    }

    @Test
    void registryKnowsTheStrategies() {
        for (String n : SelectionStrategies.names()) {
            assertEquals(n, SelectionStrategies.byName(n).name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SelectionStrategies.byName("best"));
        assertTrue(e.getMessage().contains("uga") && e.getMessage().contains("random"), e.getMessage());
    }
}
