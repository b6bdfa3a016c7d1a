package org.uga.cli;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.uga.activities.CampaignData;
import org.uga.activities.CampaignModel;
import org.uga.demo.DemoOptions;
import org.uga.demo.DemoRunner;
import org.uga.infra.EmbeddedStack;
import org.uga.infra.EmbeddedStackConfig;
import org.uga.infra.TemporalConnection;
import org.uga.infra.TemporalWorkers;
import org.uga.ml.data.Tile;
import org.uga.store.ObjectStore;
import org.uga.store.S3ObjectStore;
import org.uga.store.S3Settings;
import org.uga.worker.UgaWorkerRuntime;
import org.uga.workflows.TaskQueues;
import org.uga.workflows.model.UncertaintyConfig;

/** {@code uga demo}: a whole UGA campaign and its random twin on the embedded stack, with a report. */
public final class DemoCommand implements Command {

    @Override
    public String summary() {
        return "a whole UGA campaign (and its random-sampling twin) on the embedded stack, with a report";
    }

    @Override
    public String usage() {
        return """
                Usage: uga demo [--data DIR] [--cycles 2] [--patches 5] [--annotators 2] [--seed 7] [--out demo-out]
                                [--estimator mc-dropout|tta|ensemble] [--passes N] [--measure paper-ce] [--slide]

                Starts the embedded stack (Temporal test server + S3 server, free ports) and a worker in-process,
                uploads data (generated H&E-like tiles with a stain shift, or --data DIR in the dataset layout with a
                manifest 'domain' column: 'central' trains the starting model, the other domain is local), launches a
                UgaCampaign and a twin that selects patches at random, answers the patches with simulated
                pathologists (one misses a deadline once), prints live progress and the Dice table, and writes
                OUT/report.html and OUT/history-<id>.json, then replays those histories.

                Options:
                  --data DIR           dataset folder (images/, masks/, manifest.csv); default: generated tiles
                  --cycles N           UGA cycles per campaign (2)
                  --patches N          patches per cycle (5)
                  --annotators N       simulated pathologists (2)
                  --seed N             seed for data, selection and training (7)
                  --out DIR            output folder (demo-out)
                  --deadline SECONDS   annotation deadline per cycle (25); reminders every third of it
                  --no-miss            nobody misses a deadline
                  --estimator NAME     mc-dropout (default), tta, or ensemble (the paper's deep ensemble: the
                                       starting model is --passes U-Nets, each trained and fine-tuned; N× the cost)
                  --passes N           MC-dropout passes, TTA views or ensemble members (8; 3 for ensemble)
                  --measure NAME       paper-ce (default), entropy, bald or variance
                  --slide              also put a generated whole slide (local stain, tiled pyramidal TIFF) into
                                       both pools: scored window by window, patches cut from it by region reads
                  --tiny               CI size (small tiles, short training)
                """;
    }

    @Override
    public int run(Args args) throws Exception {
        Path data = args.path("data", null);
        int deadline = args.getInt("deadline", 25);
        Path home = Path.of(System.getenv().getOrDefault("UGA_HOME", ".uga"));
        DemoOptions options = new DemoOptions(data, args.getInt("cycles", 2), args.getInt("patches", 5),
                args.getInt("annotators", 2), args.getLong("seed", 7), args.path("out", "demo-out"), home,
                args.flag("tiny"), Duration.ofSeconds(deadline), Duration.ofSeconds(Math.max(1, deadline / 3)),
                !args.flag("no-miss"), uncertainty(args), args.flag("slide"));
        args.rejectUnknown();
        DemoRunner.Result result = runEmbedded(options);
        return result.replayPassed() ? 0 : 1;
    }

    /** {@code --estimator}, {@code --passes}, {@code --measure}; the paper's defaults, 3 members for an ensemble. */
    static UncertaintyConfig uncertainty(Args args) {
        UncertaintyConfig paper = UncertaintyConfig.paperDefault();
        String estimator = args.get("estimator", paper.estimator());
        int passes = args.getInt("passes", "ensemble".equals(estimator) ? 3 : paper.passes());
        UncertaintyConfig u = new UncertaintyConfig(estimator, passes, args.get("measure", paper.measure()));
        List<String> problems = u.problems();
        if (!problems.isEmpty()) {
            throw new Args.UsageException(String.join("; ", problems));
        }
        return u;
    }

    /** Runs the demo on a fresh embedded stack (free ports, data under {@code home/demo}). */
    public static DemoRunner.Result runEmbedded(DemoOptions options) throws Exception {
        EmbeddedStackConfig config = EmbeddedStackConfig.forTests(options.home().resolve("demo"));
        System.out.println("starting the embedded stack (Temporal test server + S3 server)…");
        try (EmbeddedStack stack = EmbeddedStack.start(config);
             ObjectStore store = new S3ObjectStore(S3Settings.of(stack.s3Endpoint(), stack.accessKey(),
                     stack.secretKey(), stack.bucket()))) {
            System.out.println("  Temporal " + stack.temporalTarget() + ", S3 " + stack.s3Endpoint());
            WorkflowServiceStubs stubs = TemporalWorkers.connect(TemporalConnection.plain(stack.temporalTarget()));
            try {
                WorkflowClient client = TemporalWorkers.client(stubs, TemporalConnection.DEFAULT_NAMESPACE);
                try (UgaWorkerRuntime worker = UgaWorkerRuntime.create(client, store, TaskQueues.ALL).start();
                     CachingPredictor predictor = new CachingPredictor(store)) {
                    return new DemoRunner(client, store, predictor, System.out).run(options);
                }
            } finally {
                stubs.shutdown();
            }
        }
    }

    /** Loads each checkpoint once; the report predicts a few tiles with each. */
    private static final class CachingPredictor implements org.uga.demo.DemoReport.Predictor, AutoCloseable {
        private final CampaignData data;
        private final Map<String, CampaignModel> models = new HashMap<>();

        CachingPredictor(ObjectStore store) {
            this.data = new CampaignData(store);
        }

        /** A checkpoint or an ensemble manifest (then the members' mean). */
        @Override
        public synchronized float[] predict(String modelKey, Tile tile) {
            return models.computeIfAbsent(modelKey, k -> CampaignModel.load(data, k)).predict(tile);
        }

        @Override
        public synchronized void close() {
            models.values().forEach(CampaignModel::close);
            models.clear();
        }
    }
}
