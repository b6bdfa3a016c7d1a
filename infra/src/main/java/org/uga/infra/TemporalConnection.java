package org.uga.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where and how to reach a Temporal frontend.
 *
 * <p>Plain text when no TLS file is set (the embedded test server, a local dev cluster). TLS when {@code tlsCa} is
 * set (server certificate checked against that CA) or when {@code tlsCert}+{@code tlsKey} are set (mTLS client
 * certificate, PKCS#8 PEM key; without {@code tlsCa} the JVM's trust store checks the server).
 *
 * @param target    host:port of the frontend, e.g. {@code 127.0.0.1:7233} or {@code ns.acct.tmprl.cloud:7233}
 * @param namespace Temporal namespace
 * @param tlsCert   client certificate chain (PEM) for mTLS, or null
 * @param tlsKey    client private key (PKCS#8 PEM) for mTLS, or null
 * @param tlsCa     CA certificate(s) (PEM) that signed the server's certificate, or null
 */
public record TemporalConnection(String target, String namespace, Path tlsCert, Path tlsKey, Path tlsCa) {

    public static final String DEFAULT_TARGET = "127.0.0.1:" + EmbeddedStackConfig.DEFAULT_TEMPORAL_PORT;
    public static final String DEFAULT_NAMESPACE = "default";

    public TemporalConnection {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("Temporal target must be host:port, got an empty value");
        }
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            throw new IllegalArgumentException("Temporal target must be host:port, got '" + target + "'");
        }
        try {
            int port = Integer.parseInt(target.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Temporal target must be host:port with a port 1-65535, got '" + target + "'");
        }
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("Temporal namespace must not be empty");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("mTLS needs both a client certificate and its key: "
                    + "set UGA_TEMPORAL_TLS_CERT and UGA_TEMPORAL_TLS_KEY together (cert=" + tlsCert + ", key=" + tlsKey + ")");
        }
        for (Path p : new Path[] {tlsCert, tlsKey, tlsCa}) {
            if (p != null && !Files.isReadable(p)) {
                throw new IllegalArgumentException("Temporal TLS file " + p + " does not exist or is not readable");
            }
        }
    }

    /** Plain-text connection to {@code target} in namespace {@code default}. */
    public static TemporalConnection plain(String target) {
        return new TemporalConnection(target, DEFAULT_NAMESPACE, null, null, null);
    }

    /**
     * From {@code UGA_TEMPORAL_TARGET} (default {@value #DEFAULT_TARGET}), {@code UGA_TEMPORAL_NAMESPACE} (default
     * {@code default}), {@code UGA_TEMPORAL_TLS_CERT}, {@code UGA_TEMPORAL_TLS_KEY}, {@code UGA_TEMPORAL_TLS_CA}.
     */
    public static TemporalConnection fromEnv() {
        return fromEnv(System.getenv());
    }

    public static TemporalConnection fromEnv(Map<String, String> env) {
        return new TemporalConnection(
                nonBlank(env.get("UGA_TEMPORAL_TARGET"), DEFAULT_TARGET),
                nonBlank(env.get("UGA_TEMPORAL_NAMESPACE"), DEFAULT_NAMESPACE),
                path(env.get("UGA_TEMPORAL_TLS_CERT")),
                path(env.get("UGA_TEMPORAL_TLS_KEY")),
                path(env.get("UGA_TEMPORAL_TLS_CA")));
    }

    public boolean tls() {
        return tlsCa != null || tlsCert != null;
    }

    private static String nonBlank(String v, String def) {
        return v == null || v.isBlank() ? def : v.trim();
    }

    private static Path path(String v) {
        return v == null || v.isBlank() ? null : Path.of(v.trim());
    }
}
