package org.uga.cli;

import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.uga.infra.TemporalConnection;
import org.uga.infra.TemporalWorkers;
import org.uga.store.S3ObjectStore;
import org.uga.store.S3Settings;
import org.uga.worker.UgaWorkerRuntime;
import org.uga.workflows.TaskQueues;

/** {@code uga worker}: runs the UGA workers against a Temporal service and an S3 endpoint until stopped. */
public final class WorkerCommand implements Command {

    @Override
    public String summary() {
        return "run the campaign workers (task queues uga-gpu, uga-cpu)";
    }

    @Override
    public String usage() {
        return """
                Usage: uga worker [--queues uga-gpu,uga-cpu] [--temporal HOST:PORT] [--namespace NS]
                                  [--tls-cert FILE --tls-key FILE] [--tls-ca FILE]
                                  [--s3-endpoint URL] [--bucket NAME] [--gpu-slots N] [--cpu-slots N]

                Polls the given task queues until stopped (Ctrl-C / SIGTERM finish running activities first).
                uga-cpu also hosts the UgaCampaign/UgaCycle workflows. Several workers may run at once.

                  --queues      comma-separated task queues (default: uga-gpu,uga-cpu)
                  --temporal    Temporal frontend (default: $UGA_TEMPORAL_TARGET or 127.0.0.1:7233, the embedded one)
                  --namespace   Temporal namespace (default: $UGA_TEMPORAL_NAMESPACE or default)
                  --tls-cert/--tls-key  client certificate and PKCS#8 key for mTLS (Temporal Cloud);
                                        default $UGA_TEMPORAL_TLS_CERT / $UGA_TEMPORAL_TLS_KEY
                  --tls-ca      CA bundle to trust (default $UGA_TEMPORAL_TLS_CA; system CAs when absent)
                  --s3-endpoint S3 endpoint (default: $UGA_S3_ENDPOINT or http://127.0.0.1:9000, the embedded one);
                                keys from $UGA_S3_ACCESS_KEY / $UGA_S3_SECRET_KEY
                  --bucket      bucket (default: $UGA_S3_BUCKET or uga)
                  --gpu-slots   concurrent GPU-queue activities (default: number of GPUs, 1 without one)
                  --cpu-slots   concurrent CPU-queue activities (default: 4)
                """;
    }

    @Override
    public int run(Args args) throws Exception {
        List<String> queues = args.list("queues", String.join(",", TaskQueues.ALL));
        TemporalConnection env = TemporalConnection.fromEnv();
        TemporalConnection connection = new TemporalConnection(
                args.get("temporal", env.target()),
                args.get("namespace", env.namespace()),
                pathOr(args.path("tls-cert", null), env.tlsCert()),
                pathOr(args.path("tls-key", null), env.tlsKey()),
                pathOr(args.path("tls-ca", null), env.tlsCa()));
        S3Settings s3 = S3Settings.fromEnv();
        String endpoint = args.get("s3-endpoint", null);
        if (endpoint != null) {
            s3 = S3Settings.of(URI.create(endpoint), s3.accessKey(), s3.secretKey(), s3.bucket(), s3.region());
        }
        s3 = s3.withBucket(args.get("bucket", s3.bucket()));
        int gpuSlots = args.getInt("gpu-slots", -1);
        int cpuSlots = args.getInt("cpu-slots", 4);
        args.rejectUnknown();
        if (!args.positionals().isEmpty()) {
            throw new Args.UsageException("unexpected argument '" + args.positionals().get(0) + "'");
        }
        for (String q : queues) {
            if (!TaskQueues.ALL.contains(q)) {
                throw new Args.UsageException("unknown queue '" + q + "'; known: " + TaskQueues.ALL);
            }
        }

        WorkflowClient client = TemporalWorkers.client(connection);
        S3ObjectStore store = new S3ObjectStore(s3);
        store.ensureBucket();
        UgaWorkerRuntime runtime = UgaWorkerRuntime.create(client, store, queues,
                gpuSlots > 0 ? gpuSlots : UgaWorkerRuntime.defaultGpuSlots(), cpuSlots);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.shutdown(Duration.ofSeconds(30));
            store.close();
            client.getWorkflowServiceStubs().shutdown();
            stopped.countDown();
        }, "uga-worker-shutdown"));
        runtime.start();
        // The e2e tests and scripts wait for this exact line.
        System.out.println("uga worker ready: queues=" + queues + " temporal=" + connection.target() + " namespace="
                + connection.namespace() + " s3=" + s3.endpoint() + " bucket=" + s3.bucket());
        System.out.flush();
        stopped.await();
        return 0;
    }

    private static Path pathOr(Path a, Path b) {
        return a != null ? a : b;
    }
}
