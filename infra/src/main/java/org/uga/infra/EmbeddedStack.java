package org.uga.infra;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development stack in one process: Temporal's Java test server (real time) and an S3 endpoint (S3Proxy over
 * the local file system), both bound to 127.0.0.1 only.
 *
 * <p>The Temporal server is what {@code TestServer.createPortBoundServer(port, true)} builds, except that it binds
 * the loopback address instead of every interface (an unauthenticated Temporal endpoint must not be reachable from
 * the network). Its state is in memory: workflows do not survive a restart of the stack. S3 objects are files under
 * {@code <dataDir>/s3/<bucket>/<key>} with their metadata in user extended attributes, so they do survive.
 */
public final class EmbeddedStack implements AutoCloseable {

    static {
        // S3Proxy and its (shaded) Jetty log every start, stop and request at INFO. Keep them at WARN under
        // slf4j-simple unless the JVM was started with this property set.
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.org.gaul", "warn");
    }

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStack.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

    static final String TEMPORAL_COMPONENT = "Temporal test server";
    static final String S3_COMPONENT = "S3 endpoint (S3Proxy)";

    private final EmbeddedStackConfig config;

    private TestServicesStarter temporalServices;
    private Server temporalServer;
    private int temporalPort = -1;

    private FilesystemNio2BlobStore blobStore;
    private S3Proxy s3;
    private int s3Port = -1;

    private boolean closed;

    private EmbeddedStack(EmbeddedStackConfig config) {
        this.config = config;
    }

    /**
     * Starts the configured servers and returns once both accept connections (at most ~10 s each).
     *
     * @throws PortInUseException    when a configured port is taken
     * @throws IllegalStateException when the data dir is not writable or its file system lacks user xattrs
     */
    public static EmbeddedStack start(EmbeddedStackConfig config) {
        EmbeddedStack stack = new EmbeddedStack(config);
        if (config.startS3()) {
            prepareDataDir(config.dataDir(), config.s3Dir());
        }
        // Both servers start in parallel: most of a cold start is class loading, which the cores can share.
        CompletableFuture<Void> s3Started = config.startS3()
                ? CompletableFuture.runAsync(() -> stack.startS3Server(config.s3Port()), runnable -> {
                    Thread t = new Thread(runnable, "uga-s3-start");
                    t.setDaemon(true);
                    t.start();
                })
                : CompletableFuture.completedFuture(null);
        RuntimeException failure = null;
        try {
            if (config.startTemporal()) {
                stack.startTemporal(config.temporalPort());
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            s3Started.join();
        } catch (CompletionException e) {
            RuntimeException s3Failure = e.getCause() instanceof RuntimeException r ? r
                    : new IllegalStateException("cannot start the S3 endpoint: " + e.getCause(), e.getCause());
            if (failure == null) {
                failure = s3Failure;
            } else {
                failure.addSuppressed(s3Failure);
            }
        }
        if (failure != null) {
            stack.close();
            throw failure;
        }
        return stack;
    }

    public EmbeddedStackConfig config() {
        return config;
    }

    /** gRPC target of the Temporal test server, e.g. {@code 127.0.0.1:7233}. */
    public synchronized String temporalTarget() {
        if (temporalServer == null) {
            throw new IllegalStateException("the Temporal test server is not running in this stack");
        }
        return LOOPBACK + ":" + temporalPort;
    }

    public synchronized int temporalPort() {
        return temporalPort;
    }

    /** The S3 endpoint, e.g. {@code http://127.0.0.1:9000}. Stays the same across {@link #stopS3()}/{@link #startS3()}. */
    public synchronized URI s3Endpoint() {
        if (s3Port < 0) {
            throw new IllegalStateException("the S3 endpoint is not part of this stack");
        }
        return URI.create("http://" + LOOPBACK + ":" + s3Port);
    }

    public synchronized int s3Port() {
        return s3Port;
    }

    public String accessKey() {
        return config.accessKey();
    }

    public String secretKey() {
        return config.secretKey();
    }

    public String bucket() {
        return config.bucket();
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /** Whether the S3 endpoint is currently serving. */
    public synchronized boolean s3Running() {
        return s3 != null;
    }

    /** Stops only the S3 endpoint (the data stays on disk); {@link #startS3()} brings it back on the same port. */
    public synchronized void stopS3() {
        if (s3 == null) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            s3.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the S3 endpoint on port " + s3Port + ": " + e.getMessage(), e);
        } finally {
            s3 = null;
            closeBlobStore();
        }
        log.info("S3 endpoint on port {} stopped in {} ms", s3Port, millisSince(t0));
    }

    /** Restarts the S3 endpoint on the port and data dir it had before. */
    public synchronized void startS3() {
        if (closed) {
            throw new IllegalStateException("the stack is closed");
        }
        if (s3Port < 0) {
            throw new IllegalStateException("the S3 endpoint is not part of this stack");
        }
        if (s3 != null) {
            return;
        }
        startS3Server(s3Port);
    }

    /** Stops everything that runs; safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        try {
            stopS3();
        } catch (RuntimeException e) {
            failure = e;
        }
        if (temporalServer != null) {
            // shutdownNow: workers' long polls would otherwise keep a graceful shutdown waiting for a minute.
            temporalServer.shutdownNow();
            try {
                if (!temporalServer.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("the Temporal test server did not stop within 5 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            temporalServer = null;
        }
        if (temporalServices != null) {
            temporalServices.close();
            temporalServices = null;
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private void startTemporal(int port) {
        long t0 = System.nanoTime();
        ensurePortFree(port, TEMPORAL_COMPONENT, "UGA_TEMPORAL_PORT");
        // true = time skipping locked, i.e. the server runs in real time.
        TestServicesStarter services = new TestServicesStarter(true, 0);
        try {
            NettyServerBuilder builder = NettyServerBuilder.forAddress(
                    new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), InsecureServerCredentials.create());
            GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
            Server server = builder.build().start();
            temporalServices = services;
            temporalServer = server;
            temporalPort = server.getPort();
        } catch (IOException e) {
            services.close();
            if (isBindFailure(e)) {
                throw new PortInUseException(port, TEMPORAL_COMPONENT, "UGA_TEMPORAL_PORT", e);
            }
            throw new IllegalStateException("cannot start the Temporal test server on port " + port + ": " + e, e);
        }
        awaitAccepting(temporalPort, TEMPORAL_COMPONENT);
        log.info("Temporal test server listening on {}:{} (started in {} ms)", LOOPBACK, temporalPort, millisSince(t0));
    }

    private void startS3Server(int port) {
        long t0 = System.nanoTime();
        ensurePortFree(port, S3_COMPONENT, "UGA_S3_PORT");
        FilesystemNio2BlobStore store = new FilesystemNio2BlobStore(config.s3Dir().toString());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://" + LOOPBACK + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, config.accessKey(), config.secretKey())
                // No graceful phase: Jetty would otherwise wait (30 s by default) for clients' idle keep-alive
                // connections and then fail the stop with a TimeoutException. S3 clients retry cut requests.
                .stopTimeout(0)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            store.close();
            stopQuietly(proxy);
            if (isBindFailure(e)) {
                throw new PortInUseException(port, S3_COMPONENT, "UGA_S3_PORT", e);
            }
            throw new IllegalStateException("cannot start the S3 endpoint on port " + port + ": " + e, e);
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                stopQuietly(proxy);
                store.close();
                throw new IllegalStateException("the S3 endpoint did not start within " + READY_TIMEOUT.toSeconds()
                        + " s (state " + proxy.getState() + ")");
            }
            sleep(20);
        }
        s3 = proxy;
        blobStore = store;
        s3Port = proxy.getPort();
        if (!store.containerExists(config.bucket())) {
            store.createContainer(config.bucket());
            log.info("created bucket {}", config.bucket());
        }
        awaitAccepting(s3Port, S3_COMPONENT);
        log.info("S3 endpoint listening on http://{}:{} (data in {}, started in {} ms)", LOOPBACK, s3Port, config.s3Dir(),
                millisSince(t0));
    }

    private void closeBlobStore() {
        if (blobStore != null) {
            try {
                blobStore.close();
            } finally {
                blobStore = null;
            }
        }
    }

    /**
     * Fails early, with a clear message, when the data dir cannot hold the S3 store: it must be a writable
     * directory on a file system with user extended attributes (S3Proxy keeps content type, ETag and user
     * metadata there).
     */
    static void prepareDataDir(Path dataDir, Path s3Dir) {
        String hint = "; choose another directory with --data or UGA_HOME";
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(s3Dir);
        } catch (IOException e) {
            throw new IllegalStateException("data dir " + dataDir + " is not a writable directory (" + describe(e)
                    + ")" + hint, e);
        }
        if (!Files.isDirectory(s3Dir) || !Files.isWritable(s3Dir)) {
            throw new IllegalStateException("data dir " + s3Dir + " is not a writable directory" + hint);
        }
        Path probe;
        try {
            probe = Files.createTempFile(s3Dir, ".uga-probe-", ".tmp");
        } catch (IOException e) {
            throw new IllegalStateException("data dir " + s3Dir + " is not writable (" + describe(e) + ")" + hint, e);
        }
        try {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class);
            if (view == null) {
                throw new IllegalStateException(noXattrs(s3Dir, "the JVM offers no user-defined attribute view") + hint);
            }
            byte[] value = "ok".getBytes(StandardCharsets.US_ASCII);
            try {
                view.write("uga.probe", ByteBuffer.wrap(value));
                ByteBuffer back = ByteBuffer.allocate(value.length);
                view.read("uga.probe", back);
                if (back.position() != value.length) {
                    throw new IOException("read back " + back.position() + " of " + value.length + " bytes");
                }
            } catch (IOException | UnsupportedOperationException e) {
                throw new IllegalStateException(noXattrs(s3Dir, describe(e)) + hint, e);
            }
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                log.warn("cannot delete probe file {}: {}", probe, e.toString());
            }
        }
    }

    private static String noXattrs(Path dir, String reason) {
        return "data dir " + dir + " is on a file system without user extended attributes (xattrs), which the S3 "
                + "store needs for object metadata (" + reason + "); use ext4, xfs or btrfs (tmpfs only on Linux 6.6+)";
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** A probe bind with SO_REUSEADDR: only a listening socket (not TIME_WAIT leftovers) makes it fail. */
    static void ensurePortFree(int port, String component, String envVariable) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
        } catch (BindException e) {
            throw new PortInUseException(port, component, envVariable, e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot check port " + port + " for the " + component + ": " + e, e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && m.contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    private static void awaitAccepting(int port, String component) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(LOOPBACK, port), 500);
                return;
            } catch (IOException e) {
                last = e;
                sleep(50);
            }
        }
        throw new IllegalStateException("the " + component + " on port " + port + " does not accept connections after "
                + READY_TIMEOUT.toSeconds() + " s: " + last);
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            log.debug("stopping a failed S3Proxy", e);
        }
    }

    private static long millisSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1_000_000;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the embedded stack", e);
        }
    }
}
