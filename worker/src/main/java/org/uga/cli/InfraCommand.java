package org.uga.cli;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.uga.infra.EmbeddedStack;
import org.uga.infra.EmbeddedStackConfig;

/** {@code uga infra}: the embedded Temporal test server + S3 endpoint in the foreground, until Ctrl-C. */
public final class InfraCommand implements Command {

    /** Held strongly: java.util.logging forgets configured loggers that nobody references. */
    private static final Logger GRPC_CONTEXT_LOG = Logger.getLogger("io.grpc.Context");

    @Override
    public String summary() {
        return "run the local stack (Temporal test server + S3 endpoint) in the foreground";
    }

    @Override
    public String usage() {
        return """
                Usage: uga infra [--data DIR] [--temporal-port N] [--s3-port N]

                Starts Temporal's test server and an S3 endpoint (S3Proxy, file-system backed) on 127.0.0.1,
                prints their endpoints and runs until Ctrl-C.

                  --data DIR           data directory; S3 objects live in DIR/s3 (default $UGA_HOME or ./.uga)
                  --temporal-port N    Temporal gRPC port (default $UGA_TEMPORAL_PORT or 7233; 0 = any free port)
                  --s3-port N          S3 port (default $UGA_S3_PORT or 9000; 0 = any free port)

                Workflows live in memory and end with the process; S3 objects stay in the data directory.
                Credentials and bucket: $UGA_S3_ACCESS_KEY (uga), $UGA_S3_SECRET_KEY (uga-secret-key),
                $UGA_S3_BUCKET (uga).""";
    }

    @Override
    public int run(Args args) throws Exception {
        EmbeddedStackConfig config = EmbeddedStackConfig.defaults();
        Path data = args.path("data", null);
        if (data != null) {
            config = config.withDataDir(data);
        }
        config = config.withTemporalPort(port(args, "temporal-port", config.temporalPort()))
                .withS3Port(port(args, "s3-port", config.s3Port()));
        args.rejectUnknown();
        if (!args.positionals().isEmpty()) {
            throw new Args.UsageException("unexpected argument '" + args.positionals().get(0) + "'");
        }
        // Workers still polling when the server stops make gRPC log a harmless stack trace at INFO.
        GRPC_CONTEXT_LOG.setLevel(Level.WARNING);

        EmbeddedStack stack = EmbeddedStack.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("uga infra: stopping");
            try {
                stack.close();
            } finally {
                stopped.countDown();
            }
            System.out.println("uga infra: stopped");
        }, "uga-infra-shutdown"));

        System.out.printf("""
                UGA stack is running (Ctrl-C to stop)
                  Temporal target  %s   (namespace default)
                  S3 endpoint      %s
                  S3 bucket        %s
                  S3 access key    %s
                  S3 secret key    %s
                  data dir         %s

                For other shells:
                  export UGA_TEMPORAL_TARGET=%s UGA_S3_ENDPOINT=%s UGA_S3_BUCKET=%s \\
                         UGA_S3_ACCESS_KEY=%s UGA_S3_SECRET_KEY=%s
                %n""",
                stack.temporalTarget(), stack.s3Endpoint(), stack.bucket(), stack.accessKey(), stack.secretKey(),
                stack.dataDir(),
                stack.temporalTarget(), stack.s3Endpoint(), stack.bucket(), stack.accessKey(), stack.secretKey());
        System.out.flush();
        stopped.await();
        return 0;
    }

    private static int port(Args args, String name, int def) {
        int port = args.getInt(name, def);
        if (port < 0 || port > 65535) {
            throw new Args.UsageException("--" + name + " must be between 0 (any free port) and 65535, got " + port);
        }
        return port;
    }
}
