package org.uga.infra;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** How every UGA process connects to Temporal and configures its workers, in one place. */
public final class TemporalWorkers {

    private static final ObjectMapper MAPPER = newObjectMapper();
    private static final DataConverter DATA_CONVERTER =
            DefaultDataConverter.newDefaultInstance().withPayloadConverterOverrides(new JacksonJsonPayloadConverter(MAPPER));

    private TemporalWorkers() {
    }

    /**
     * Worker options every UGA worker starts from. Sticky execution is switched off
     * ({@code stickyQueueScheduleToStartTimeout = 0}): with it, Temporal's test server keeps routing a waiting
     * workflow's tasks to the sticky queue of a worker that has died, and a restarted worker never resumes it.
     */
    public static WorkerOptions.Builder defaultWorkerOptions() {
        return WorkerOptions.newBuilder().setStickyQueueScheduleToStartTimeout(Duration.ZERO);
    }

    /** Plain-text stubs for {@code host:port} (the embedded stack, a local cluster). */
    public static WorkflowServiceStubs connect(String target) {
        return connect(TemporalConnection.plain(target));
    }

    /** Stubs for a configured connection, with TLS/mTLS when the connection names certificate files. */
    public static WorkflowServiceStubs connect(TemporalConnection connection) {
        WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder().setTarget(connection.target());
        if (connection.tls()) {
            options.setSslContext(sslContext(connection));
        }
        try {
            return WorkflowServiceStubs.newServiceStubs(options.build());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect to Temporal at " + connection.target() + ": " + e.getMessage(), e);
        }
    }

    /** A client with UGA's data converter (Jackson, java.time support, unknown properties tolerated). */
    public static WorkflowClient client(WorkflowServiceStubs stubs, String namespace) {
        return WorkflowClient.newInstance(stubs,
                WorkflowClientOptions.newBuilder().setNamespace(namespace).setDataConverter(DATA_CONVERTER).build());
    }

    /** Convenience: stubs + client for a connection (close via {@code client.getWorkflowServiceStubs().shutdown()}). */
    public static WorkflowClient client(TemporalConnection connection) {
        return client(connect(connection), connection.namespace());
    }

    public static DataConverter dataConverter() {
        return DATA_CONVERTER;
    }

    /** The mapper behind the data converter (a shared instance: do not reconfigure it). */
    public static ObjectMapper objectMapper() {
        return MAPPER;
    }

    /** Jackson as UGA serialises workflow payloads: ISO-8601 times, unknown properties ignored (schema evolution). */
    public static ObjectMapper newObjectMapper() {
        ObjectMapper mapper = JacksonJsonPayloadConverter.newDefaultObjectMapper();
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return mapper;
    }

    private static SslContext sslContext(TemporalConnection c) {
        try {
            SimpleSslContextBuilder builder;
            if (c.tlsCert() != null) {
                // In memory: the builder reads its streams only in build().
                builder = SimpleSslContextBuilder.forPKCS8(new ByteArrayInputStream(Files.readAllBytes(c.tlsCert())),
                        new ByteArrayInputStream(Files.readAllBytes(c.tlsKey())));
            } else {
                builder = SimpleSslContextBuilder.noKeyOrCertChain();
            }
            if (c.tlsCa() != null) {
                builder.setTrustManager(trustManagerFor(c));
            }
            return builder.build();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("cannot set up TLS for Temporal at " + c.target() + " (cert=" + c.tlsCert()
                    + ", key=" + c.tlsKey() + ", ca=" + c.tlsCa() + "): " + e.getMessage(), e);
        }
    }

    private static TrustManager trustManagerFor(TemporalConnection c) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> cas;
        try (InputStream in = Files.newInputStream(c.tlsCa())) {
            cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (cas.isEmpty()) {
            throw new GeneralSecurityException("no PEM certificate in " + c.tlsCa());
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate ca : cas) {
            store.setCertificateEntry("uga-ca-" + i++, ca);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers()[0];
    }
}
