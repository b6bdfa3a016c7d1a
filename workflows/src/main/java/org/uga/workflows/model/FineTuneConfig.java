package org.uga.workflows.model;

import java.util.ArrayList;
import java.util.List;

/**
 * @param epochs       fine-tuning epochs per cycle
 * @param replayRatio  central (replay) samples per annotated patch in each epoch, against forgetting (0 = none)
 * @param learningRate Adam learning rate
 * @param batchSize    mini-batch size
 */
public record FineTuneConfig(int epochs, double replayRatio, double learningRate, int batchSize) {

    List<String> problems() {
        List<String> p = new ArrayList<>();
        if (epochs <= 0) {
            p.add("fineTune.epochs must be > 0, got " + epochs);
        }
        if (replayRatio < 0) {
            p.add("fineTune.replayRatio must be >= 0, got " + replayRatio);
        }
        if (!(learningRate > 0)) {
            p.add("fineTune.learningRate must be > 0, got " + learningRate);
        }
        if (batchSize <= 0) {
            p.add("fineTune.batchSize must be > 0, got " + batchSize);
        }
        return p;
    }
}
