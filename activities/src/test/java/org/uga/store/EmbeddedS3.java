package org.uga.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.uga.infra.EmbeddedStack;
import org.uga.infra.EmbeddedStackConfig;

/**
 * A real S3 endpoint for one test class: the embedded stack's S3Proxy over a fresh temp dir (deleted afterwards)
 * and an {@link S3ObjectStore} on its bucket. Register it as
 * {@code @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();}; it is up before the class's
 * {@code @BeforeAll} methods run.
 */
public final class EmbeddedS3 implements BeforeAllCallback, AfterAllCallback {

    static {
        System.setProperty("org.slf4j.simpleLogger.log.org.gaul", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
    }

    private Path dir;
    private EmbeddedStack stack;
    private S3ObjectStore store;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("uga-s3-" + context.getRequiredTestClass().getSimpleName());
        stack = EmbeddedStack.start(EmbeddedStackConfig.forTests(dir.resolve("stack")).s3Only());
        store = new S3ObjectStore(S3Settings.of(stack.s3Endpoint(), stack.accessKey(), stack.secretKey(), stack.bucket()));
        store.ensureBucket();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (store != null) {
                store.close();
            }
            if (stack != null) {
                stack.close();
            }
        } finally {
            if (dir != null) {
                try (Stream<Path> all = Files.walk(dir)) {
                    all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (UncheckedIOException e) {
                    // best effort: the OS cleans temp dirs
                }
            }
        }
    }

    public S3ObjectStore store() {
        if (store == null) {
            throw new IllegalStateException("EmbeddedS3 is not started: register it with @RegisterExtension on a static field");
        }
        return store;
    }

    public EmbeddedStack stack() {
        return stack;
    }
}
