package org.uga.ml.train;

/** One line of a training history. */
public record EpochStats(int epoch, double loss, double valDice, long millis) {
}
