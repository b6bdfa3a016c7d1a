package org.uga.api.platform;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.uga.api.config.UgaConfig;
import org.uga.infra.EmbeddedStack;
import org.uga.infra.EmbeddedStackConfig;
import org.uga.infra.TemporalWorkers;
import org.uga.store.ObjectStore;


/**
 * Everything the API talks to, started once: with {@code uga.embedded=true} an embedded Temporal test server and
 * S3 endpoint under {@code uga.home}, plus (with {@code uga.worker.enabled}) the campaign workers in this process;
 * otherwise connections to the configured external Temporal and S3.
 */
@Singleton
public class Platform {

    private static final Logger LOG = Logger.getLogger(Platform.class);

    @Inject
    UgaConfig config;

    @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0")
    String httpHost;

    private EmbeddedStack stack;
    private WorkflowServiceStubs stubs;
    private volatile WorkflowClient client;
    private volatile ObjectStore store;
    private AutoCloseable workers;
    private String temporalTarget;
    private URI s3Endpoint;
    private String bucket;

    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
    int httpPort;

    /** Completes once Temporal, S3 and the worker are up (or with the reason they are not). */
    private final java.util.concurrent.CompletableFuture<Void> ready = new java.util.concurrent.CompletableFuture<>();

    /**
     * HTTP comes up at once; the embedded servers start in the background (they take seconds on a busy machine),
     * and API calls wait for them (up to uga.start-timeout) or get a 503 problem.
     */
    void onStart(@Observes StartupEvent ev) {
        Thread t = new Thread(() -> {
            long t0 = System.nanoTime();
            try {
                ensureStarted();
                ready.complete(null);
                LOG.infof("UGA platform ready in %d ms (Temporal %s, S3 %s bucket %s, %s)", (System.nanoTime() - t0) / 1_000_000,
                        temporalTarget, s3Endpoint, bucket, workers != null ? "in-process worker" : "no in-process worker");
            } catch (RuntimeException | Error e) {
                LOG.error("UGA platform failed to start: " + e.getMessage(), e);
                ready.completeExceptionally(e);
            }
        }, "uga-platform-start");
        t.setDaemon(true);
        t.start();
        String host = "0.0.0.0".equals(httpHost) ? "localhost" : httpHost;
        LOG.infof("UGA serving on http://%s:%d/ (web UI), http://%s:%d/q/swagger-ui/ (API); %s", host, httpPort, host, httpPort,
                config.embedded() ? "starting the embedded Temporal + S3 stack under " + config.home() : "connecting to " + config.temporal().target().orElse("?"));
    }

    /** Waits for the background start; a 503 problem when it failed or takes longer than uga.start-timeout. */
    private void awaitReady() {
        try {
            ready.get(config.startTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new org.uga.api.error.ApiProblem(503, "starting", "Service unavailable",
                    "the platform is still starting (Temporal/S3); retry in a few seconds");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new org.uga.api.error.ApiProblem(503, "platform-failed", "Service unavailable",
                    "the platform failed to start: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        close();
    }

    synchronized void ensureStarted() {
        if (client != null) {
            return;
        }
        String accessKey;
        String secretKey;
        if (config.embedded()) {
            Path home = Path.of(config.home());
            EmbeddedStackConfig sc = config.freePorts() ? EmbeddedStackConfig.forTests(home)
                    : EmbeddedStackConfig.defaults().withDataDir(home);
            sc = sc.withBucket(config.s3().bucket());
            stack = EmbeddedStack.start(sc);
            temporalTarget = stack.temporalTarget();
            s3Endpoint = stack.s3Endpoint();
            accessKey = stack.accessKey();
            secretKey = stack.secretKey();
            bucket = stack.bucket();
        } else {
            temporalTarget = config.temporal().target().orElseThrow(() -> new IllegalStateException(
                    "uga.embedded=false needs uga.temporal.target (env UGA_TEMPORAL_TARGET), e.g. temporal.example.org:7233"));
            s3Endpoint = URI.create(config.s3().endpoint().orElseThrow(() -> new IllegalStateException(
                    "uga.embedded=false needs uga.s3.endpoint (env UGA_S3_ENDPOINT), e.g. http://minio:9000")));
            accessKey = config.s3().accessKey().orElseThrow(() -> new IllegalStateException("uga.s3.access-key is required"));
            secretKey = config.s3().secretKey().orElseThrow(() -> new IllegalStateException("uga.s3.secret-key is required"));
            bucket = config.s3().bucket();
        }
        store = StoreFactory.open(s3Endpoint, accessKey, secretKey, bucket);
        stubs = TemporalWorkers.connect(temporalTarget);
        client = TemporalWorkers.client(stubs, config.temporal().namespace());
        if (config.worker().enabled()) {
            workers = WorkerFactory.startInProcess(client, store, config.worker().queues());
        }
    }

    public WorkflowClient client() {
        awaitReady();
        return client;
    }

    public ObjectStore store() {
        awaitReady();
        return store;
    }

    public String temporalTarget() {
        return temporalTarget;
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    public synchronized void close() {
        if (workers != null) {
            try {
                workers.close();
            } catch (Exception e) {
                LOG.warn("stopping the in-process worker failed", e);
            }
            workers = null;
        }
        if (stubs != null) {
            stubs.shutdown();
            stubs = null;
        }
        client = null;
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }
}
