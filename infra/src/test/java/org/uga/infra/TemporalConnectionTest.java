package org.uga.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporalConnectionTest {

    @TempDir
    Path dir;

    @Test
    void environmentAndValidation() throws Exception {
        TemporalConnection local = TemporalConnection.fromEnv(Map.of());
        assertEquals("127.0.0.1:7233", local.target());
        assertEquals("default", local.namespace());
        assertFalse(local.tls());
        assertNull(local.tlsCa());

        Path cert = Files.writeString(dir.resolve("client.pem"), "x");
        Path key = Files.writeString(dir.resolve("client.key"), "x");
        TemporalConnection cloud = TemporalConnection.fromEnv(Map.of("UGA_TEMPORAL_TARGET", "ns.acct.tmprl.cloud:7233",
                "UGA_TEMPORAL_NAMESPACE", "ns.acct", "UGA_TEMPORAL_TLS_CERT", cert.toString(),
                "UGA_TEMPORAL_TLS_KEY", key.toString()));
        assertTrue(cloud.tls());
        assertEquals("ns.acct", cloud.namespace());

        IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
                () -> new TemporalConnection("h:7233", "default", cert, null, null));
        assertTrue(half.getMessage().startsWith("mTLS needs both a client certificate and its key"), half.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new TemporalConnection("h:7233", "default", null, null, dir.resolve("nope.pem")));
        assertTrue(missing.getMessage().contains("does not exist or is not readable"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TemporalConnection.plain("no-port"));
        assertThrows(IllegalArgumentException.class, () -> TemporalConnection.plain("host:99999"));
    }

    /** mTLS end to end: a TLS-only Temporal test server that demands a client certificate. */
    @Test
    void mutualTlsConnectsToATlsOnlyServer() throws Exception {
        Path keystore = dir.resolve("uga.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "uga", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String keytoolOutput = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0,
                "keytool unavailable: " + keytoolOutput);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate certificate = ks.getCertificate("uga");
        PrivateKey privateKey = (PrivateKey) ks.getKey("uga", "changeit".toCharArray());
        Path certPem = Files.writeString(dir.resolve("uga.crt"), pem("CERTIFICATE", certificate.getEncoded()));
        Path keyPem = Files.writeString(dir.resolve("uga.key"), pem("PRIVATE KEY", privateKey.getEncoded()));

        TestServicesStarter services = new TestServicesStarter(true, 0);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))
                .sslContext(GrpcSslContexts.forServer(certPem.toFile(), keyPem.toFile())
                        .trustManager(certPem.toFile()).clientAuth(ClientAuth.REQUIRE).build());
        GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
        Server server = builder.build().start();
        try {
            String target = "127.0.0.1:" + server.getPort();
            WorkflowServiceStubs stubs = TemporalWorkers.connect(
                    new TemporalConnection(target, "default", certPem, keyPem, certPem));
            try {
                assertTrue(stubs.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance()).hasCapabilities());
            } finally {
                stubs.shutdownNow();
            }

            // The same server refuses a client without a certificate.
            WorkflowServiceStubs anonymous = TemporalWorkers.connect(
                    new TemporalConnection(target, "default", null, null, certPem));
            try {
                assertThrows(io.grpc.StatusRuntimeException.class, () -> anonymous.blockingStub()
                        .withDeadlineAfter(3, TimeUnit.SECONDS) // the SDK retries UNAVAILABLE until the deadline
                        .getSystemInfo(GetSystemInfoRequest.getDefaultInstance()));
            } finally {
                anonymous.shutdownNow();
            }
        } finally {
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
            services.close();
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
