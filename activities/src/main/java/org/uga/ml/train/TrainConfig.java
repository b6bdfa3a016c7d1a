package org.uga.ml.train;

/**
 * Hyper-parameters of one training or fine-tuning run.
 *
 * @param epochs             maximum number of epochs
 * @param stepsPerEpoch      optimiser steps per epoch (each on a freshly sampled batch of random crops)
 * @param batchSize          crops per step
 * @param cropSize           side of the square training crops (reduced to fit the smallest training tile)
 * @param learningRate       Adam learning rate
 * @param patience           stop after this many epochs without a better validation Dice (early stopping)
 * @param validationFraction share of the tiles held out for early stopping when no validation set is given
 * @param diceWeight         loss = BCE + diceWeight * (1 - soft Dice)
 * @param augment            random flips and quarter turns of the crops
 * @param seed               seeds the engine RNG (initialisation, dropout) and the crop sampler, per epoch
 */
public record TrainConfig(int epochs, int stepsPerEpoch, int batchSize, int cropSize, float learningRate, int patience,
                          double validationFraction, float diceWeight, boolean augment, long seed) {

    public TrainConfig {
        if (epochs < 1 || stepsPerEpoch < 1 || batchSize < 1) {
            throw new IllegalArgumentException("epochs, stepsPerEpoch and batchSize must be >= 1, got "
                    + epochs + ", " + stepsPerEpoch + ", " + batchSize);
        }
        if (cropSize < 8) {
            throw new IllegalArgumentException("cropSize must be >= 8, got " + cropSize);
        }
        if (!(learningRate > 0f) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a positive number, got " + learningRate);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1), got " + validationFraction);
        }
        if (!(diceWeight >= 0f)) {
            throw new IllegalArgumentException("diceWeight must be >= 0, got " + diceWeight);
        }
    }

    /** Training from scratch on central data: a few minutes on 2 CPU cores for a 16-channel U-Net. */
    public static TrainConfig centralDefault(long seed) {
        return new TrainConfig(24, 10, 8, 96, 2e-3f, 6, 0.2, 1f, true, seed);
    }

    /** Fine-tuning on a handful of annotated patches plus replayed central crops. */
    public static TrainConfig fineTuneDefault(long seed) {
        return new TrainConfig(8, 6, 8, 96, 5e-4f, 4, 0.2, 1f, true, seed);
    }

    public TrainConfig withSeed(long newSeed) {
        return new TrainConfig(epochs, stepsPerEpoch, batchSize, cropSize, learningRate, patience, validationFraction,
                diceWeight, augment, newSeed);
    }

    public TrainConfig withEpochs(int newEpochs) {
        return new TrainConfig(newEpochs, stepsPerEpoch, batchSize, cropSize, learningRate, patience, validationFraction,
                diceWeight, augment, seed);
    }

    public TrainConfig withCropSize(int newCropSize) {
        return new TrainConfig(epochs, stepsPerEpoch, batchSize, newCropSize, learningRate, patience, validationFraction,
                diceWeight, augment, seed);
    }
}
