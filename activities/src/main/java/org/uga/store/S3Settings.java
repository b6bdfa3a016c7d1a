package org.uga.store;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach an S3-compatible store: the embedded S3Proxy, MinIO or AWS S3. TLS is used when the endpoint's
 * scheme is {@code https} (the JVM trust store checks the server certificate).
 *
 * @param endpoint  {@code http(s)://host[:port]}, no path
 * @param accessKey access key id
 * @param secretKey secret key (never printed by {@link #toString()})
 * @param bucket    bucket holding all UGA objects
 * @param region    signing region, e.g. {@code us-east-1}
 * @param secure    whether the endpoint is https; must agree with the endpoint's scheme
 */
public record S3Settings(URI endpoint, String accessKey, String secretKey, String bucket, String region, boolean secure) {

    public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:9000";
    public static final String DEFAULT_ACCESS_KEY = "uga";
    public static final String DEFAULT_SECRET_KEY = "uga-secret-key";
    public static final String DEFAULT_BUCKET = "uga";
    public static final String DEFAULT_REGION = "us-east-1";

    public S3Settings {
        Objects.requireNonNull(endpoint, "S3 endpoint");
        String scheme = endpoint.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || endpoint.getHost() == null) {
            throw new IllegalArgumentException("S3 endpoint must look like http(s)://host[:port], got '" + endpoint + "'");
        }
        String path = endpoint.getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("S3 endpoint must not have a path (the bucket is set separately), got '"
                    + endpoint + "'");
        }
        if (secure != scheme.equals("https")) {
            throw new IllegalArgumentException("S3 'secure' must match the endpoint scheme: secure=" + secure
                    + " but endpoint is " + endpoint);
        }
        if (accessKey == null || accessKey.isBlank()) {
            throw new IllegalArgumentException("S3 access key must not be empty (UGA_S3_ACCESS_KEY)");
        }
        if (secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("S3 secret key must not be empty (UGA_S3_SECRET_KEY)");
        }
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("invalid S3 bucket name '" + bucket
                    + "': use 3-63 lower-case letters, digits, '.' or '-'");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("S3 region must not be empty (UGA_S3_REGION, e.g. us-east-1)");
        }
    }

    /** Settings with {@code secure} derived from the endpoint's scheme. */
    public static S3Settings of(URI endpoint, String accessKey, String secretKey, String bucket, String region) {
        Objects.requireNonNull(endpoint, "S3 endpoint");
        return new S3Settings(endpoint, accessKey, secretKey, bucket, region, "https".equals(endpoint.getScheme()));
    }

    /** Same, in region {@value #DEFAULT_REGION}. */
    public static S3Settings of(URI endpoint, String accessKey, String secretKey, String bucket) {
        return of(endpoint, accessKey, secretKey, bucket, DEFAULT_REGION);
    }

    /**
     * From {@code UGA_S3_ENDPOINT} ({@value #DEFAULT_ENDPOINT}), {@code UGA_S3_ACCESS_KEY}, {@code UGA_S3_SECRET_KEY},
     * {@code UGA_S3_BUCKET} ({@value #DEFAULT_BUCKET}) and {@code UGA_S3_REGION} ({@value #DEFAULT_REGION}); the
     * key defaults match the embedded stack's.
     */
    public static S3Settings fromEnv() {
        return fromEnv(System.getenv());
    }

    public static S3Settings fromEnv(Map<String, String> env) {
        String endpoint = value(env, "UGA_S3_ENDPOINT", DEFAULT_ENDPOINT);
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("UGA_S3_ENDPOINT is not a URI: '" + endpoint + "'", e);
        }
        return of(uri,
                value(env, "UGA_S3_ACCESS_KEY", DEFAULT_ACCESS_KEY),
                value(env, "UGA_S3_SECRET_KEY", DEFAULT_SECRET_KEY),
                value(env, "UGA_S3_BUCKET", DEFAULT_BUCKET),
                value(env, "UGA_S3_REGION", DEFAULT_REGION));
    }

    public S3Settings withBucket(String name) {
        return new S3Settings(endpoint, accessKey, secretKey, name, region, secure);
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", accessKey=" + accessKey + ", secretKey=***, bucket=" + bucket
                + ", region=" + region + ", secure=" + secure + "]";
    }

    private static String value(Map<String, String> env, String name, String def) {
        String v = env.get(name);
        return v == null || v.isBlank() ? def : v.trim();
    }
}
