package org.uga.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.uga.ml.data.Tile;
import org.uga.ml.train.Trainer;
import org.uga.workflows.activities.ValidationActivities;
import org.uga.workflows.activities.ValidationRequest;
import org.uga.workflows.activities.ValidationResult;

/**
 * Dice of a model on the held-out local tiles: the mean over tiles of Dice(probability >= 0.5, mask). For an
 * ensemble the probability is the mean of its members' probabilities.
 */
public class ValidationActivitiesImpl implements ValidationActivities {

    private final CampaignData data;

    public ValidationActivitiesImpl(CampaignData data) {
        this.data = data;
    }

    @Override
    public ValidationResult validateModel(ValidationRequest r) {
        if (r.tileIds().isEmpty()) {
            throw CampaignData.invalid("validation needs at least one tile");
        }
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        Map<String, Double> perTile = new LinkedHashMap<>();
        double sum = 0;
        try (CampaignModel model = CampaignModel.load(data, r.modelKey())) {
            for (String id : r.tileIds()) {
                Tile t = data.tile(r.datasetPrefix(), id, true);
                double d = Trainer.dice(model.predict(t), t.mask());
                perTile.put(id, d);
                sum += d;
                ctx.heartbeat(perTile.size());
            }
        }
        return new ValidationResult(r.modelKey(), sum / r.tileIds().size(), perTile);
    }
}
