package org.uga.api.it;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import org.uga.api.images.ImageChecks;
import org.uga.api.images.TestImages;
import org.uga.store.ObjectKeys;
import org.uga.store.ObjectStore;
import org.uga.workflows.activities.AnnotationActivities;
import org.uga.workflows.activities.FineTuneRequest;
import org.uga.workflows.activities.InitialTrainingRequest;
import org.uga.workflows.activities.MaskCheck;
import org.uga.workflows.activities.MaskCheckRequest;
import org.uga.workflows.activities.PatchDescriptor;
import org.uga.workflows.activities.ReminderNotice;
import org.uga.workflows.activities.ScoringActivities;
import org.uga.workflows.activities.ScoringRequest;
import org.uga.workflows.activities.ScoringResult;
import org.uga.workflows.activities.SelectionActivities;
import org.uga.workflows.activities.SelectionRequest;
import org.uga.workflows.activities.TileScore;
import org.uga.workflows.activities.TrainedModel;
import org.uga.workflows.activities.TrainingActivities;
import org.uga.workflows.activities.ValidationActivities;
import org.uga.workflows.activities.ValidationRequest;
import org.uga.workflows.activities.ValidationResult;

/**
 * Fast stand-ins for the ML activities, used only by the API tests while this build has no in-process worker
 * runtime: the workflow (UgaCampaign/UgaCycle), Temporal and the object store are real; patches are real crops of
 * the uploaded tiles, stored under the platform's key layout; "models" are small content-addressed blobs and their
 * Dice grows by 0.05 per fine-tuning so that cycles are distinguishable.
 */
public class DoubleActivities implements ScoringActivities, SelectionActivities, TrainingActivities, ValidationActivities,
        AnnotationActivities {

    private final ObjectStore store;
    private final Map<String, Double> dice = new ConcurrentHashMap<>();

    public DoubleActivities(ObjectStore store) {
        this.store = store;
    }

    @Override
    public TrainedModel trainInitialModel(InitialTrainingRequest r) {
        String key = store.putContentAddressed(ObjectKeys.modelCheckpointPrefix(),
                ("initial " + r.campaignId() + " " + r.tileIds()).getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        dice.put(key, 0.60);
        return new TrainedModel(key, null, null, r.epochs(), 0.5, r.tileIds().size());
    }

    @Override
    public TrainedModel fineTune(FineTuneRequest r) {
        String key = store.putContentAddressed(ObjectKeys.modelCheckpointPrefix(),
                ("fine-tuned " + r.campaignId() + " " + r.cycle() + " " + r.parentModelKey()).getBytes(StandardCharsets.UTF_8),
                "application/octet-stream");
        dice.put(key, dice.getOrDefault(r.parentModelKey(), 0.6) + 0.05);
        return new TrainedModel(key, r.parentModelKey(), null, 1, 0.4, 1);
    }

    @Override
    public ValidationResult validateModel(ValidationRequest r) {
        double d = dice.getOrDefault(r.modelKey(), 0.6);
        return new ValidationResult(r.modelKey(), d, Map.of());
    }

    @Override
    public ScoringResult scoreTiles(ScoringRequest r) {
        List<TileScore> tiles = new ArrayList<>();
        for (String id : r.tileIds()) {
            BufferedImage img = read(ObjectKeys.datasetImage(r.datasetPrefix(), id));
            tiles.add(new TileScore(id, null, img.getWidth(), img.getHeight(), 0.1, 0.9));
        }
        return new ScoringResult(ObjectKeys.cyclePrefix(r.campaignId(), r.cycle()) + "uncertainty/", r.modelKey(), tiles);
    }

    @Override
    public List<PatchDescriptor> selectPatches(SelectionRequest r) {
        List<PatchDescriptor> out = new ArrayList<>();
        List<TileScore> tiles = r.scoring().tiles();
        for (int i = 0; i < r.budget(); i++) {
            TileScore t = tiles.get(i % tiles.size());
            int x = ((i / tiles.size()) * r.patchSize()) % Math.max(1, t.width() - r.patchSize() + 1);
            int size = Math.min(r.patchSize(), Math.min(t.width(), t.height()));
            BufferedImage tile = read(ObjectKeys.datasetImage(r.datasetPrefix(), t.tileId()));
            BufferedImage crop = tile.getSubimage(x, 0, size, size);
            BufferedImage prediction = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
            BufferedImage uncertainty = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
            for (int yy = 0; yy < size; yy++) {
                for (int xx = 0; xx < size; xx++) {
                    int rgb = crop.getRGB(xx, yy);
                    int g = (rgb >> 8) & 0xFF;
                    prediction.getRaster().setSample(xx, yy, 0, g < 120 ? 255 : 0);
                    uncertainty.getRaster().setSample(xx, yy, 0, (xx * 255) / Math.max(1, size - 1));
                }
            }
            String patchId = "c" + r.cycle() + "-p" + i;
            String img = ObjectKeys.patchImage(r.campaignId(), r.cycle(), patchId);
            String pred = ObjectKeys.patchPrediction(r.campaignId(), r.cycle(), patchId);
            String unc = ObjectKeys.patchUncertainty(r.campaignId(), r.cycle(), patchId);
            store.putBytes(img, TestImages.encode(copyRgb(crop), "png"), "image/png");
            store.putBytes(pred, TestImages.encode(prediction, "png"), "image/png");
            store.putBytes(unc, TestImages.encode(uncertainty, "png"), "image/png");
            out.add(new PatchDescriptor(patchId, t.tileId(), x, 0, size, size, 1.0 - i * 0.01, img, pred, unc));
        }
        return out;
    }

    @Override
    public MaskCheck verifyMask(MaskCheckRequest r) {
        byte[] png = store.getBytes(r.maskKey());
        try {
            ImageChecks.BinaryMask m = ImageChecks.verifyMaskPng(png, r.expectedWidth(), r.expectedHeight());
            return new MaskCheck(r.maskKey(), true, null, m.width(), m.height(), m.foregroundPixels(), List.of());
        } catch (RuntimeException e) {
            return new MaskCheck(r.maskKey(), false, null, 0, 0, 0, List.of(e.getMessage()));
        }
    }

    @Override
    public String sendReminder(ReminderNotice notice) {
        return "reminded " + notice.annotator();
    }

    private BufferedImage read(String key) {
        try {
            return ImageIO.read(new ByteArrayInputStream(store.getBytes(key)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BufferedImage copyRgb(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        out.getGraphics().drawImage(src, 0, 0, null);
        return out;
    }
}
