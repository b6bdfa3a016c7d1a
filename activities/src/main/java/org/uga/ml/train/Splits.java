package org.uga.ml.train;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.uga.ml.data.Tile;

/**
 * Exact-size deterministic splits: tiles are ordered by SHA-256(salt + "|" + id) and the first
 * {@code round(n * fraction)} form the held-out part. Depends only on ids and salt, never on the order given.
 */
public final class Splits {

    private Splits() {
    }

    /** The two parts of a split: {@code heldOut} (validation/test) and {@code rest}, each in input order. */
    public record Split(List<Tile> rest, List<Tile> heldOut) {
    }

    public static Split byId(List<Tile> tiles, double fraction, String salt) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("split fraction must be in [0, 1], got " + fraction);
        }
        int k = (int) Math.round(tiles.size() * fraction);
        return byIdCount(tiles, k, salt);
    }

    public static Split byIdCount(List<Tile> tiles, int heldOutCount, String salt) {
        List<Tile> order = new ArrayList<>(tiles);
        order.sort(Comparator.comparing((Tile t) -> key(salt, t.id())).thenComparing(Tile::id));
        java.util.Set<String> held = new java.util.HashSet<>();
        for (int i = 0; i < Math.min(heldOutCount, order.size()); i++) {
            held.add(order.get(i).id());
        }
        List<Tile> rest = new ArrayList<>();
        List<Tile> out = new ArrayList<>();
        for (Tile t : tiles) {
            (held.contains(t.id()) ? out : rest).add(t);
        }
        return new Split(List.copyOf(rest), List.copyOf(out));
    }

    static String key(String salt, String id) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest((salt + "|" + id).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
