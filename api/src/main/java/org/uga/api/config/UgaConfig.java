package org.uga.api.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;

/**
 * The API's own settings ({@code uga.*} in application.properties, or env vars such as {@code UGA_EMBEDDED},
 * {@code UGA_TEMPORAL_TARGET}, {@code UGA_S3_ENDPOINT}).
 */
@ConfigMapping(prefix = "uga")
public interface UgaConfig {

    /** true: start an embedded Temporal test server, an S3Proxy store and an in-process worker. */
    @WithDefault("true")
    boolean embedded();

    /** Data directory of the embedded stack (object files, logs). */
    @WithDefault(".uga")
    String home();

    /** Embedded servers on free ports instead of 7233/9000 (tests, several instances on one machine). */
    @WithName("free-ports")
    @WithDefault("false")
    boolean freePorts();

    /** How long API calls wait for the embedded stack / connections at start-up before answering 503. */
    @WithName("start-timeout")
    @WithDefault("PT120S")
    java.time.Duration startTimeout();

    Temporal temporal();

    S3 s3();

    Upload upload();

    Worker worker();

    interface Temporal {
        /** host:port of an external Temporal frontend (used when embedded=false). */
        Optional<String> target();

        @WithDefault("default")
        String namespace();
    }

    interface S3 {
        Optional<String> endpoint();

        @WithName("access-key")
        Optional<String> accessKey();

        @WithName("secret-key")
        Optional<String> secretKey();

        @WithDefault("uga")
        String bucket();
    }

    interface Upload {
        /** Largest slide/tile upload in bytes. */
        @WithName("max-bytes")
        @WithDefault("268435456")
        long maxBytes();

        /** Largest mask upload (PNG or polygons JSON) in bytes. */
        @WithName("max-mask-bytes")
        @WithDefault("16777216")
        long maxMaskBytes();
    }

    interface Worker {
        /** Run campaign workers inside the API process. */
        @WithDefault("true")
        boolean enabled();

        /** Task queues the in-process worker polls. */
        @WithDefault("uga-gpu,uga-cpu")
        String queues();
    }
}
