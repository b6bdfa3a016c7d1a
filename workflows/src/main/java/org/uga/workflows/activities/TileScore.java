package org.uga.workflows.activities;

/** Per-tile scoring output: where its maps are and summary numbers of its uncertainty. */
public record TileScore(String tileId, String mapKey, int width, int height, double meanUncertainty,
                        double maxUncertainty) {
}
