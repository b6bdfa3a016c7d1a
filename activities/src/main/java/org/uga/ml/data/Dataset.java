package org.uga.ml.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A named, ordered list of tiles with unique ids. */
public record Dataset(String name, List<Tile> tiles) {

    public Dataset {
        tiles = List.copyOf(tiles);
        Set<String> seen = new HashSet<>();
        for (Tile t : tiles) {
            if (!seen.add(t.id())) {
                throw new IllegalArgumentException("dataset " + name + " has tile id " + t.id() + " twice");
            }
        }
    }

    public int size() {
        return tiles.size();
    }

    public boolean isEmpty() {
        return tiles.isEmpty();
    }

    /** The tiles of one domain, in the same order; the name gets a {@code :domain} suffix. */
    public Dataset byDomain(String domain) {
        return new Dataset(name + ":" + domain, tiles.stream().filter(t -> domain.equals(t.domain())).toList());
    }

    /** The distinct domains, sorted. */
    public Set<String> domains() {
        Set<String> d = new TreeSet<>();
        for (Tile t : tiles) {
            d.add(t.domain());
        }
        return d;
    }

    public Optional<Tile> tile(String id) {
        return tiles.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    public Dataset concat(Dataset other, String newName) {
        List<Tile> all = new ArrayList<>(tiles);
        all.addAll(other.tiles);
        return new Dataset(newName, all);
    }

    /**
     * Deterministic split by tile id: a tile goes to {@code first} when the first 8 bytes of
     * SHA-256(salt + id), read as an unsigned number in [0,1), are below {@code fraction}. A tile's side depends only
     * on its id and the salt, so the split is stable when other tiles are added or removed, and no tile can be on
     * both sides. The sizes are only approximately {@code fraction * size()}; use another salt for another split.
     */
    public Split splitById(double fraction, String salt) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("split fraction must be in [0,1], got " + fraction);
        }
        List<Tile> first = new ArrayList<>();
        List<Tile> second = new ArrayList<>();
        for (Tile t : tiles) {
            (hashUnit(salt + t.id()) < fraction ? first : second).add(t);
        }
        return new Split(new Dataset(name + ":split-a", first), new Dataset(name + ":split-b", second));
    }

    /** Both halves of {@link #splitById}. */
    public record Split(Dataset first, Dataset second) {
    }

    /** SHA-256 of the UTF-8 text mapped to [0,1) from its first 53 bits. */
    static double hashUnit(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xFF);
            }
            return (v >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
