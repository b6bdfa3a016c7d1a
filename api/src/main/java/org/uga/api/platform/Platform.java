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
    private WorkflowClient client;
    private ObjectStore store;
    private AutoCloseable workers;
    private String temporalTarget;
    private URI s3Endpoint;
    private String bucket;

    void onStart(@Observes StartupEvent ev) {
        long t0 = System.nanoTime();
        ensureStarted();
        LOG.infof("UGA platform ready in %d ms (Temporal %s, S3 %s bucket %s, %s)", (System.nanoTime() - t0) / 1_000_000,
                temporalTarget, s3Endpoint, bucket, workers != null ? "in-process worker" : "no in-process worker");
    }

    void onStop(@Observes ShutdownEvent ev) {
        close();
    }

    public synchronized void ensureStarted() {
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

    public synchronized WorkflowClient client() {
        ensureStarted();
        return client;
    }

    public synchronized ObjectStore store() {
        ensureStarted();
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
