package org.uga.infra;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of the embedded development stack: where its data lives, which loopback ports it binds and the
 * S3 credentials/bucket it serves.
 *
 * <p>A port of {@code 0} means "any free port"; the bound port is then read from the running
 * {@link EmbeddedStack}.
 *
 * @param dataDir       root of everything the stack keeps on disk; S3 objects live in {@code <dataDir>/s3}
 * @param temporalPort  loopback port of Temporal's test server (gRPC)
 * @param s3Port        loopback port of the S3 endpoint
 * @param accessKey     S3 access key the endpoint accepts
 * @param secretKey     S3 secret key the endpoint accepts
 * @param bucket        bucket created at start when missing
 * @param startTemporal whether to start the Temporal test server
 * @param startS3       whether to start the S3 endpoint
 */
public record EmbeddedStackConfig(
        Path dataDir,
        int temporalPort,
        int s3Port,
        String accessKey,
        String secretKey,
        String bucket,
        boolean startTemporal,
        boolean startS3) {

    public static final int DEFAULT_TEMPORAL_PORT = 7233;
    public static final int DEFAULT_S3_PORT = 9000;
    public static final String DEFAULT_ACCESS_KEY = "uga";
    public static final String DEFAULT_SECRET_KEY = "uga-secret-key";
    public static final String DEFAULT_BUCKET = "uga";

    /** S3's bucket naming rules (lower case, digits, dots, hyphens; 3-63 characters). */
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public EmbeddedStackConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        checkPort("temporalPort", temporalPort);
        checkPort("s3Port", s3Port);
        if (accessKey == null || accessKey.isBlank()) {
            throw new IllegalArgumentException("S3 access key must not be empty");
        }
        if (secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("S3 secret key must not be empty");
        }
        if (bucket == null || !BUCKET_NAME.matcher(bucket).matches() || bucket.contains("..")) {
            throw new IllegalArgumentException("invalid S3 bucket name '" + bucket
                    + "': use 3-63 lower-case letters, digits, '.' or '-', starting and ending with a letter or digit");
        }
        if (startTemporal && startS3 && temporalPort != 0 && temporalPort == s3Port) {
            throw new IllegalArgumentException("Temporal and S3 cannot share port " + temporalPort);
        }
        if (!startTemporal && !startS3) {
            throw new IllegalArgumentException("nothing to start: both startTemporal and startS3 are false");
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /**
     * The local-development defaults, overridable through the environment: {@code UGA_HOME} (data dir, default
     * {@code ./.uga}), {@code UGA_TEMPORAL_PORT}, {@code UGA_S3_PORT}, {@code UGA_S3_ACCESS_KEY},
     * {@code UGA_S3_SECRET_KEY}, {@code UGA_S3_BUCKET}.
     */
    public static EmbeddedStackConfig defaults() {
        return fromEnv(System.getenv());
    }

    /** {@link #defaults()} read from the given environment map (testable without touching the process env). */
    public static EmbeddedStackConfig fromEnv(Map<String, String> env) {
        String home = env.get("UGA_HOME");
        Path dir = home == null || home.isBlank() ? Path.of(".uga") : Path.of(home);
        return new EmbeddedStackConfig(
                dir,
                envPort(env, "UGA_TEMPORAL_PORT", DEFAULT_TEMPORAL_PORT),
                envPort(env, "UGA_S3_PORT", DEFAULT_S3_PORT),
                env.getOrDefault("UGA_S3_ACCESS_KEY", DEFAULT_ACCESS_KEY),
                env.getOrDefault("UGA_S3_SECRET_KEY", DEFAULT_SECRET_KEY),
                env.getOrDefault("UGA_S3_BUCKET", DEFAULT_BUCKET),
                true,
                true);
    }

    /** A stack for tests: data under {@code dir}, both servers on free ports, default credentials and bucket. */
    public static EmbeddedStackConfig forTests(Path dir) {
        return new EmbeddedStackConfig(dir, 0, 0, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, DEFAULT_BUCKET, true, true);
    }

    public EmbeddedStackConfig withDataDir(Path dir) {
        return new EmbeddedStackConfig(dir, temporalPort, s3Port, accessKey, secretKey, bucket, startTemporal, startS3);
    }

    public EmbeddedStackConfig withTemporalPort(int port) {
        return new EmbeddedStackConfig(dataDir, port, s3Port, accessKey, secretKey, bucket, startTemporal, startS3);
    }

    public EmbeddedStackConfig withS3Port(int port) {
        return new EmbeddedStackConfig(dataDir, temporalPort, port, accessKey, secretKey, bucket, startTemporal, startS3);
    }

    public EmbeddedStackConfig withBucket(String name) {
        return new EmbeddedStackConfig(dataDir, temporalPort, s3Port, accessKey, secretKey, name, startTemporal, startS3);
    }

    /** Only the S3 endpoint (e.g. object-store tests that need no Temporal). */
    public EmbeddedStackConfig s3Only() {
        return new EmbeddedStackConfig(dataDir, temporalPort, s3Port, accessKey, secretKey, bucket, false, true);
    }

    /** Only the Temporal test server. */
    public EmbeddedStackConfig temporalOnly() {
        return new EmbeddedStackConfig(dataDir, temporalPort, s3Port, accessKey, secretKey, bucket, true, false);
    }

    /** Where the S3 endpoint keeps buckets and objects: {@code <dataDir>/s3/<bucket>/<key>}. */
    public Path s3Dir() {
        return dataDir.resolve("s3");
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be between 0 (any free port) and 65535, got " + port);
        }
    }

    private static int envPort(Map<String, String> env, String name, int def) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, got '" + v + "'");
        }
    }
}
