package org.uga.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uga.infra.EmbeddedStack;
import org.uga.infra.EmbeddedStackConfig;

/** {@link S3ObjectStore} against a real S3 endpoint: S3Proxy from the embedded stack, over a temp dir. */
class S3ObjectStoreTest {

    private static final long MB = 1024 * 1024;

    @TempDir
    static Path dataDir;

    static EmbeddedStack stack;
    static S3ObjectStore store;

    @BeforeAll
    static void startS3() {
        stack = EmbeddedStack.start(EmbeddedStackConfig.forTests(dataDir).s3Only());
        store = new S3ObjectStore(settingsOf(stack));
        store.ensureBucket();
    }

    @AfterAll
    static void stopS3() {
        if (store != null) {
            store.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    static S3Settings settingsOf(EmbeddedStack s) {
        return S3Settings.of(s.s3Endpoint(), s.accessKey(), s.secretKey(), s.bucket());
    }

    @Test
    void bytesJsonAndRangesRoundTrip() throws IOException {
        byte[] png = "not really a png, but bytes".getBytes(StandardCharsets.UTF_8);
        String key = ObjectKeys.datasetImage("dsb", "tile-001");
        ObjectInfo written = store.putBytes(key, png, "image/png");
        assertEquals(sha256(png), written.sha256());

        assertArrayEquals(png, store.getBytes(key));
        ObjectInfo info = store.stat(key);
        assertEquals(key, info.key());
        assertEquals(png.length, info.size());
        assertEquals(sha256(png), info.sha256());
        assertEquals("image/png", info.contentType());
        assertTrue(info.lastModified().isAfter(Instant.now().minusSeconds(60)));
        assertTrue(store.exists(key));

        try (InputStream range = store.getRange(key, 4, 6)) {
            assertEquals("really", new String(range.readAllBytes(), StandardCharsets.UTF_8));
        }

        // JSON with java.time, read back into a record; unknown properties are tolerated.
        Instant at = Instant.parse("2024-03-01T12:00:00.123Z");
        String recordKey = ObjectKeys.annotationRecord("camp-1", 2, "ann-7");
        store.putJson(recordKey, new Annotation("ann-7", "dr-lee", at, 0.42));
        assertEquals(new Annotation("ann-7", "dr-lee", at, 0.42), store.getJson(recordKey, Annotation.class));
        assertTrue(new String(store.getBytes(recordKey), StandardCharsets.UTF_8).contains("\"2024-03-01T12:00:00.123Z\""),
                "Instants are ISO-8601 strings");
        store.putJson(recordKey, Map.of("id", "ann-8", "annotator", "x", "createdAt", at.toString(), "dice", 1.0,
                "addedLater", "ignored"));
        assertEquals("ann-8", store.getJson(recordKey, Annotation.class).id());

        store.putBytes("campaigns/camp-1/cycles/2/annotations/ann-9.png", new byte[] {1}, "image/png");
        List<ObjectInfo> listed = store.list(ObjectKeys.cyclePrefix("camp-1", 2));
        assertEquals(List.of("campaigns/camp-1/cycles/2/annotations/ann-7.json",
                "campaigns/camp-1/cycles/2/annotations/ann-9.png"), listed.stream().map(ObjectInfo::key).toList());
        assertEquals(1, listed.get(1).size());
        assertNull(listed.get(1).sha256(), "listings carry no metadata");

        store.delete(key);
        assertFalse(store.exists(key));
        store.delete(key); // deleting a missing key is fine (idempotent)
    }

    @Test
    void hundredMegabytesStreamWithVerifiedChecksum() throws Exception {
        long size = 100 * MB;
        String expected = sha256(new GeneratedStream(size, 42));
        String key = ObjectKeys.slide("slide-big", "scan.tiff");

        long t0 = System.nanoTime();
        ObjectInfo info = store.put(key, new GeneratedStream(size, 42), size, "image/tiff");
        long t1 = System.nanoTime();
        assertEquals(size, info.size());
        assertEquals(expected, info.sha256());
        assertEquals(expected, store.stat(key).sha256());
        assertEquals("image/tiff", store.stat(key).contentType());

        MessageDigest readDigest = MessageDigest.getInstance("SHA-256");
        long read = 0;
        try (InputStream in = store.get(key)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) {
                readDigest.update(buf, 0, n);
                read += n;
            }
        }
        long t2 = System.nanoTime();
        assertEquals(size, read);
        assertEquals(expected, HexFormat.of().formatHex(readDigest.digest()));
        System.out.printf("100 MB streamed: put %.1f s, verified get %.1f s%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9);

        assertEquals(0, stagingFiles(), "staging objects are cleaned up");
        assertTrue(store.list("").stream().noneMatch(o -> o.key().startsWith(".uga")), "staging never shows in listings");
        store.delete(key);
    }

    @Test
    void unknownSizeStreamUsesMultipartAndRecordsTheHash() {
        long size = 40 * MB; // three 16 MB parts
        String key = ObjectKeys.slide("slide-unknown", "scan.svs");
        ObjectInfo info = store.put(key, new GeneratedStream(size, 7), -1, null);
        assertEquals(size, info.size());
        assertEquals(sha256(new GeneratedStream(size, 7)), info.sha256());
        assertEquals("application/octet-stream", info.contentType());
        assertEquals(info.sha256(), sha256(store.get(key)));
        store.delete(key);
    }

    @Test
    void streamShorterOrLongerThanDeclaredIsRejectedAndLeavesNothing() {
        String key = ObjectKeys.slide("slide-short", "scan.tiff");
        StoreException shorter = assertThrows(StoreException.class,
                () -> store.put(key, new GeneratedStream(1000, 1), 2000, "image/tiff"));
        assertFalse(store.exists(key), shorter.getMessage());
        StoreException longer = assertThrows(StoreException.class,
                () -> store.put(key, new GeneratedStream(3000, 1), 2000, "image/tiff"));
        assertTrue(longer.getMessage().contains("more than the declared 2000 bytes"), longer.getMessage());
        assertFalse(store.exists(key));
        assertEquals(0, stagingFiles(), "failed uploads leave no staging objects");
    }

    @Test
    void repeatedStreamedPutIsIdempotent() {
        String key = ObjectKeys.slide("slide-retry", "scan.tiff");
        ObjectInfo first = store.put(key, new GeneratedStream(3 * MB, 9), 3 * MB, "image/tiff");
        ObjectInfo again = store.put(key, new GeneratedStream(3 * MB, 9), 3 * MB, "image/tiff");
        assertEquals(first, again, "a retried write finds the intact object and leaves it as it was");
        ObjectInfo changed = store.put(key, new GeneratedStream(3 * MB, 10), 3 * MB, "image/tiff");
        assertFalse(changed.sha256().equals(first.sha256()), "new content replaces the old");
    }

    @Test
    void corruptedObjectFailsTheChecksumOnRead() throws IOException {
        byte[] data = new byte[200_000];
        new GeneratedStream(data.length, 3).read(data, 0, data.length);
        String key = ObjectKeys.uncertaintyMap("camp-c", 1, "img-5");
        store.putBytes(key, data, "application/octet-stream");

        Path file = stack.dataDir().resolve("s3").resolve(stack.bucket()).resolve(key);
        assertTrue(Files.isRegularFile(file), "S3Proxy keeps the object at " + file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(123_456);
            int b = raf.read();
            raf.seek(123_456);
            raf.write(b ^ 0x01); // one flipped bit, same size
        }

        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> store.getBytes(key));
        assertEquals(key, e.key());
        assertEquals(sha256(data), e.expected());
        assertTrue(e.getMessage().startsWith("object " + key + " is corrupted"), e.getMessage());

        // Streaming readers see it at EOF...
        assertThrows(ChecksumMismatchException.class, () -> {
            try (InputStream in = store.get(key)) {
                in.readAllBytes();
            }
        });
        // ...and readers that stop early see it on close.
        InputStream partial = store.get(key);
        partial.readNBytes(10);
        assertThrows(ChecksumMismatchException.class, partial::close);

        // A truncated file is caught too (size no longer matches the content).
        Files.write(file, new byte[] {1, 2, 3});
        assertThrows(ChecksumMismatchException.class, () -> store.getBytes(key));
        // Range reads are not verified; they still work.
        try (InputStream in = store.getRange(key, 0, 2)) {
            assertArrayEquals(new byte[] {1, 2}, in.readAllBytes());
        }
    }

    @Test
    void dataSurvivesAnS3ServerRestart() {
        String key = ObjectKeys.campaign("camp-restart");
        store.putJson(key, Map.of("name", "restart test"));
        stack.stopS3();
        try {
            StoreException down = assertThrows(StoreException.class, () -> store.getBytes(key));
            assertTrue(down.getMessage().contains("cannot reach S3 at " + stack.s3Endpoint()), down.getMessage());
        } finally {
            stack.startS3();
        }
        assertEquals("restart test", store.getJson(key, Map.class).get("name"), "same client, same data after restart");
        // A brand-new client (a restarted worker) sees it as well.
        try (S3ObjectStore fresh = new S3ObjectStore(settingsOf(stack))) {
            assertEquals(store.stat(key).sha256(), fresh.stat(key).sha256());
        }
    }

    @Test
    void missingKeyIsNotFoundEverywhere() {
        String key = ObjectKeys.patchImage("camp-x", 0, "nope");
        NotFoundException e = assertThrows(NotFoundException.class, () -> store.getBytes(key));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().startsWith("object " + key + " does not exist in bucket uga"), e.getMessage());
        assertThrows(NotFoundException.class, () -> store.get(key));
        assertThrows(NotFoundException.class, () -> store.stat(key));
        assertThrows(NotFoundException.class, () -> store.getRange(key, 0, 10));
        assertThrows(NotFoundException.class, () -> store.getJson(key, Map.class));
        assertFalse(store.exists(key));
        assertTrue(store.list("campaigns/camp-x/").isEmpty());
    }

    @Test
    void contentAddressedPutIsIdempotent() throws InterruptedException {
        byte[] checkpoint = "weights v1".getBytes(StandardCharsets.UTF_8);
        String key = store.putContentAddressed(ObjectKeys.modelCheckpointPrefix(), checkpoint, "application/octet-stream");
        assertEquals("models/sha256/" + sha256(checkpoint), key);
        assertEquals(ObjectKeys.modelCheckpoint(sha256(checkpoint)), key);
        Instant firstWrite = store.stat(key).lastModified();

        Thread.sleep(1100); // S3 timestamps have second resolution
        assertEquals(key, store.putContentAddressed("models", checkpoint, "application/octet-stream"));
        assertEquals(firstWrite, store.stat(key).lastModified(), "an intact copy is not rewritten");
        assertArrayEquals(checkpoint, store.getBytes(key));

        String other = store.putContentAddressed("models", "weights v2".getBytes(StandardCharsets.UTF_8), null);
        assertFalse(other.equals(key));
        assertEquals(2, store.list("models/sha256/").size());
        assertThrows(IllegalArgumentException.class, () -> store.putContentAddressed("../models", checkpoint, null));
    }

    @Test
    void staleStagingObjectsArePurged() throws InterruptedException {
        store.putBytes(S3ObjectStore.STAGING_PREFIX + "orphan-of-a-crash", new byte[] {1, 2}, null);
        assertEquals(1, stagingFiles());
        assertTrue(store.list("").stream().noneMatch(o -> o.key().startsWith(".uga")), "listings hide staging");
        assertEquals(0, store.purgeStaging(java.time.Duration.ofHours(1)), "young staging objects are kept");
        Thread.sleep(1100); // S3 timestamps have second resolution
        assertEquals(1, store.purgeStaging(java.time.Duration.ZERO));
        assertEquals(0, stagingFiles());
    }

    @Test
    void keysThatEscapeTheirPrefixAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> store.putBytes("../outside", new byte[1], null));
        assertThrows(IllegalArgumentException.class, () -> store.getBytes("/absolute"));
        assertThrows(IllegalArgumentException.class, () -> store.stat("a//b"));
        assertThrows(IllegalArgumentException.class, () -> store.get("slides/../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> store.put("", new ByteArrayInputStream(new byte[0]), 0, null));
        assertThrows(IllegalArgumentException.class, () -> store.list("../"));
        assertThrows(IllegalArgumentException.class, () -> store.put("ok/key", new ByteArrayInputStream(new byte[0]), -5, null));
    }

    @Test
    void wrongCredentialsGiveAClearError() {
        S3Settings bad = S3Settings.of(stack.s3Endpoint(), stack.accessKey(), "wrong-secret", stack.bucket());
        try (S3ObjectStore wrong = new S3ObjectStore(bad)) {
            StoreException e = assertThrows(StoreException.class, () -> wrong.stat("slides/x/y"));
            assertFalse(e instanceof NotFoundException);
            assertTrue(e.getMessage().contains("check UGA_S3_ACCESS_KEY / UGA_S3_SECRET_KEY"), e.getMessage());
        }
    }

    @Test
    void ensureBucketCreatesAMissingBucket() {
        try (S3ObjectStore other = new S3ObjectStore(settingsOf(stack).withBucket("second-bucket"))) {
            StoreException missing = assertThrows(StoreException.class, () -> other.putBytes("a/b", new byte[1], null));
            assertTrue(missing.getMessage().contains("bucket second-bucket does not exist"), missing.getMessage());
            other.ensureBucket();
            other.ensureBucket(); // idempotent
            other.putBytes("a/b", new byte[] {5}, null);
            assertArrayEquals(new byte[] {5}, other.getBytes("a/b"));
        }
    }

    /** Staging objects as S3Proxy stores them: files under {@code <dataDir>/s3/<bucket>/.uga-staging/}. */
    static long stagingFiles() {
        Path staging = stack.dataDir().resolve("s3").resolve(stack.bucket()).resolve(".uga-staging");
        if (!Files.isDirectory(staging)) {
            return 0;
        }
        try (var files = Files.list(staging)) {
            return files.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    record Annotation(String id, String annotator, Instant createdAt, double dice) {
    }

    static String sha256(byte[] data) {
        return HashingInputStream.sha256Hex(data);
    }

    static String sha256(InputStream in) {
        try (in) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
