package org.uga.ml.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetTest {

    private static Dataset ids(int n) {
        List<Tile> tiles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tiles.add(new Tile("tile-" + i, i % 3 == 0 ? "local" : "central", 1, 1, new float[3], null));
        }
        return new Dataset("ids", tiles);
    }

    private static Set<String> idSet(Dataset d) {
        Set<String> s = new HashSet<>();
        d.tiles().forEach(t -> s.add(t.id()));
        return s;
    }

    @Test
    void splitIsDisjointCompleteDeterministicAndRoughlyProportional() {
        Dataset d = ids(1000);
        Dataset.Split s = d.splitById(0.3, "salt");
        Set<String> a = idSet(s.first());
        Set<String> b = idSet(s.second());
        assertEquals(1000, a.size() + b.size());
        a.retainAll(b);
        assertTrue(a.isEmpty());
        assertTrue(Math.abs(s.first().size() - 300) < 60, "first half has " + s.first().size());
        assertEquals(idSet(s.first()), idSet(d.splitById(0.3, "salt").first()));
        assertNotEquals(idSet(s.first()), idSet(d.splitById(0.3, "pepper").first()));
        // stable when other tiles are removed: a tile's side depends only on its id
        Dataset smaller = new Dataset("s", d.tiles().subList(0, 500));
        Set<String> firstOfSmaller = idSet(smaller.splitById(0.3, "salt").first());
        Set<String> expected = new HashSet<>(idSet(s.first()));
        expected.retainAll(idSet(smaller));
        assertEquals(expected, firstOfSmaller);
        assertEquals(0, d.splitById(0, "x").first().size());
        assertEquals(1000, d.splitById(1, "x").first().size());
        assertThrows(IllegalArgumentException.class, () -> d.splitById(1.5, "x"));
    }

    @Test
    void byDomainAndDuplicateIds() {
        Dataset d = ids(9);
        assertEquals(3, d.byDomain("local").size());
        assertEquals(Set.of("central", "local"), d.domains());
        Tile t = d.tiles().get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("dup", List.of(t, t)));
        assertTrue(e.getMessage().contains(t.id()));
    }
}
