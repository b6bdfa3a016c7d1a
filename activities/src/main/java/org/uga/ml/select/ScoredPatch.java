package org.uga.ml.select;

/** A candidate patch with the score its strategy ranked it by (higher = more worth annotating). */
public record ScoredPatch(PatchRegion region, double score) {
}
