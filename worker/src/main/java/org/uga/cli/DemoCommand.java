package org.uga.cli;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.uga.demo.DemoOptions;
import org.uga.demo.DemoRunner;
import org.uga.infra.EmbeddedStack;
import org.uga.infra.EmbeddedStackConfig;
import org.uga.infra.TemporalConnection;
import org.uga.infra.TemporalWorkers;
import org.uga.ml.data.Tile;
import org.uga.ml.model.SegmentationModel;
import org.uga.store.ObjectStore;
import org.uga.store.S3ObjectStore;
import org.uga.store.S3Settings;
import org.uga.worker.UgaWorkerRuntime;
import org.uga.workflows.TaskQueues;

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
                !args.flag("no-miss"));
        args.rejectUnknown();
        DemoRunner.Result result = runEmbedded(options);
        return result.replayPassed() ? 0 : 1;
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
        private final ObjectStore store;
        private final Map<String, SegmentationModel> models = new HashMap<>();

        CachingPredictor(ObjectStore store) {
            this.store = store;
        }

        @Override
        public synchronized float[] predict(String modelKey, Tile tile) {
            return models.computeIfAbsent(modelKey, k -> SegmentationModel.fromBytes(store.getBytes(k))).predict(tile);
        }

        @Override
        public synchronized void close() {
            models.values().forEach(SegmentationModel::close);
            models.clear();
        }
    }
}
