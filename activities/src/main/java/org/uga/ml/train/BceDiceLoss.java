package org.uga.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/** Binary cross-entropy on logits (numerically stable form) + {@code diceWeight} x (1 - soft Dice over the batch). */
public final class BceDiceLoss extends Loss {

    private final float diceWeight;

    public BceDiceLoss(float diceWeight) {
        super("bce_dice");
        this.diceWeight = diceWeight;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray z = predictions.singletonOrThrow();
        NDArray y = labels.singletonOrThrow();
        // max(z,0) - z*y + log(1 + exp(-|z|))
        NDArray bce = z.maximum(0f).sub(z.mul(y)).add(z.abs().neg().exp().add(1f).log()).mean();
        if (diceWeight == 0f) {
            return bce;
        }
        NDArray p = Activation.sigmoid(z);
        NDArray dice = p.mul(y).sum().mul(2f).add(1f).div(p.sum().add(y.sum()).add(1f));
        return bce.add(dice.neg().add(1f).mul(diceWeight));
    }
}
