package org.uga.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStackTest {

    @TempDir
    Path dir;

    @Test
    void startsAndStopsTwiceInOneJvmOnTheSamePortsAndKeepsS3Data() throws Exception {
        int temporalPort = freePort();
        int s3Port = freePort();
        EmbeddedStackConfig config = EmbeddedStackConfig.forTests(dir).withTemporalPort(temporalPort).withS3Port(s3Port);
        byte[] payload = "kept across restarts".getBytes(StandardCharsets.UTF_8);

        for (int round = 1; round <= 2; round++) {
            EmbeddedStack stack = EmbeddedStack.start(config);
            try {
                assertEquals("127.0.0.1:" + temporalPort, stack.temporalTarget());
                assertEquals("http://127.0.0.1:" + s3Port, stack.s3Endpoint().toString());
                assertEquals(dir.toAbsolutePath().normalize(), stack.dataDir());
                assertTemporalServes(stack.temporalTarget());

                MinioClient s3 = s3Client(stack);
                assertTrue(s3.bucketExists(BucketExistsArgs.builder().bucket(stack.bucket()).build()));
                if (round == 1) {
                    s3.putObject(PutObjectArgs.builder().bucket(stack.bucket()).object("probe/kept.txt")
                            .stream(new java.io.ByteArrayInputStream(payload), (long) payload.length, -1L).build());
                } else {
                    try (GetObjectResponse in = s3.getObject(
                            GetObjectArgs.builder().bucket(stack.bucket()).object("probe/kept.txt").build())) {
                        assertEquals(new String(payload, StandardCharsets.UTF_8),
                                new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
                assertTrue(Files.isRegularFile(dir.resolve("s3").resolve(stack.bucket()).resolve("probe/kept.txt")),
                        "objects are plain files under <dataDir>/s3/<bucket>/<key>");
            } finally {
                stack.close();
                stack.close(); // idempotent
            }
            assertFalse(accepts(temporalPort), "Temporal port still open after close (round " + round + ")");
            assertFalse(accepts(s3Port), "S3 port still open after close (round " + round + ")");
        }
    }

    @Test
    void s3RestartKeepsPortAndData() throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStackConfig.forTests(dir).s3Only())) {
            int port = stack.s3Port();
            MinioClient s3 = s3Client(stack);
            byte[] data = {1, 2, 3, 4};
            s3.putObject(PutObjectArgs.builder().bucket(stack.bucket()).object("a/b.bin")
                    .stream(new java.io.ByteArrayInputStream(data), 4L, -1L).build());
            stack.stopS3();
            assertFalse(stack.s3Running());
            assertFalse(accepts(port));
            stack.startS3();
            assertEquals(port, stack.s3Port());
            try (GetObjectResponse in = s3.getObject(GetObjectArgs.builder().bucket(stack.bucket()).object("a/b.bin").build())) {
                assertEquals(java.util.Arrays.toString(data), java.util.Arrays.toString(in.readAllBytes()));
            }
            assertThrows(IllegalStateException.class, stack::temporalTarget, "Temporal was not started");
        }
    }

    @Test
    void takenTemporalPortGivesClearError() throws Exception {
        try (ServerSocket taken = bindLoopback()) {
            int port = taken.getLocalPort();
            PortInUseException e = assertThrows(PortInUseException.class,
                    () -> EmbeddedStack.start(EmbeddedStackConfig.forTests(dir).withTemporalPort(port)));
            assertEquals("port " + port + " is already in use (Temporal test server); stop the other process or set "
                    + "UGA_TEMPORAL_PORT", e.getMessage());
            assertEquals(port, e.port());
        }
    }

    @Test
    void takenS3PortGivesClearErrorAndStopsTheTemporalServerItStarted() throws Exception {
        int temporalPort = freePort();
        try (ServerSocket taken = bindLoopback()) {
            int port = taken.getLocalPort();
            PortInUseException e = assertThrows(PortInUseException.class, () -> EmbeddedStack.start(
                    EmbeddedStackConfig.forTests(dir).withTemporalPort(temporalPort).withS3Port(port)));
            assertEquals("port " + port + " is already in use (S3 endpoint (S3Proxy)); stop the other process or set "
                    + "UGA_S3_PORT", e.getMessage());
        }
        assertFalse(accepts(temporalPort), "a failed start must not leave the Temporal server running");
    }

    @Test
    void dataDirThatIsAFileGivesClearError() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EmbeddedStack.start(EmbeddedStackConfig.forTests(file.resolve("uga")).s3Only()));
        assertTrue(e.getMessage().startsWith("data dir " + file.resolve("uga") + " is not a writable directory"),
                e.getMessage());
        assertTrue(e.getMessage().contains("--data or UGA_HOME"), e.getMessage());
    }

    @Test
    void readOnlyDataDirGivesClearError() throws IOException {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "root writes into read-only directories; covered by dataDirThatIsAFileGivesClearError");
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmbeddedStack.start(EmbeddedStackConfig.forTests(readOnly).s3Only()));
            assertTrue(e.getMessage().contains("is not a writable directory"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void configDefaultsComeFromTheEnvironment() {
        EmbeddedStackConfig d = EmbeddedStackConfig.fromEnv(Map.of());
        assertEquals(Path.of(".uga").toAbsolutePath().normalize(), d.dataDir());
        assertEquals(7233, d.temporalPort());
        assertEquals(9000, d.s3Port());
        assertEquals("uga", d.accessKey());
        assertEquals("uga-secret-key", d.secretKey());
        assertEquals("uga", d.bucket());

        EmbeddedStackConfig e = EmbeddedStackConfig.fromEnv(Map.of("UGA_HOME", dir.toString(),
                "UGA_TEMPORAL_PORT", "17233", "UGA_S3_PORT", "19000", "UGA_S3_BUCKET", "slides"));
        assertEquals(dir.toAbsolutePath().normalize(), e.dataDir());
        assertEquals(17233, e.temporalPort());
        assertEquals(19000, e.s3Port());
        assertEquals("slides", e.bucket());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedStackConfig.fromEnv(Map.of("UGA_TEMPORAL_PORT", "seven")));
        assertEquals("UGA_TEMPORAL_PORT must be a port number, got 'seven'", bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EmbeddedStackConfig.forTests(dir).withBucket("Bad_Bucket"));
        assertThrows(IllegalArgumentException.class,
                () -> EmbeddedStackConfig.forTests(dir).withTemporalPort(9100).withS3Port(9100));
        assertThrows(IllegalArgumentException.class, () -> EmbeddedStackConfig.forTests(dir).withS3Port(70000));
    }

    static void assertTemporalServes(String target) {
        WorkflowServiceStubs stubs = TemporalWorkers.connect(target);
        try {
            assertTrue(stubs.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance()).hasCapabilities(),
                    "the Temporal server at " + target + " answers GetSystemInfo");
        } finally {
            stubs.shutdownNow();
        }
    }

    /** Plain-http client: MinIO's default one parses every CA in SSL_CERT_DIR per build (seconds). */
    private static final OkHttpClient HTTP = new OkHttpClient();

    static MinioClient s3Client(EmbeddedStack stack) {
        return MinioClient.builder().endpoint(stack.s3Endpoint().toString())
                .credentials(stack.accessKey(), stack.secretKey()).httpClient(HTTP, false).build();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = bindLoopback()) {
            return s.getLocalPort();
        }
    }

    private static ServerSocket bindLoopback() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        return s;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
