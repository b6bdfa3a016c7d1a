package org.uga.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {

    private static final String HEX = "a".repeat(64);

    @Test
    void layoutIsTheDocumentedOne() {
        assertEquals("slides/s1/scan.tiff", ObjectKeys.slide("s1", "scan.tiff"));
        assertEquals("datasets/dsb/images/t7.png", ObjectKeys.datasetImage("dsb", "t7"));
        assertEquals("datasets/dsb/masks/t7.png", ObjectKeys.datasetMask("dsb", "t7"));
        assertEquals("campaigns/c1/campaign.json", ObjectKeys.campaign("c1"));
        assertEquals("campaigns/c1/cycles/3/uncertainty/img.f32", ObjectKeys.uncertaintyMap("c1", 3, "img"));
        assertEquals("campaigns/c1/cycles/3/uncertainty/img.png", ObjectKeys.uncertaintyPreview("c1", 3, "img"));
        assertEquals("campaigns/c1/cycles/3/probability/img.f32", ObjectKeys.probabilityMap("c1", 3, "img"));
        assertEquals("campaigns/c1/cycles/3/probability/img.png", ObjectKeys.probabilityPreview("c1", 3, "img"));
        assertEquals("campaigns/c1/cycles/0/patches/p9/image.png", ObjectKeys.patchImage("c1", 0, "p9"));
        assertEquals("campaigns/c1/cycles/0/patches/p9/prediction.png", ObjectKeys.patchPrediction("c1", 0, "p9"));
        assertEquals("campaigns/c1/cycles/0/patches/p9/uncertainty.png", ObjectKeys.patchUncertainty("c1", 0, "p9"));
        assertEquals("campaigns/c1/cycles/1/annotations/a2.png", ObjectKeys.annotationMask("c1", 1, "a2"));
        assertEquals("campaigns/c1/cycles/1/annotations/a2.json", ObjectKeys.annotationRecord("c1", 1, "a2"));
        assertEquals("campaigns/c1/reports/dice.csv", ObjectKeys.report("c1", "dice.csv"));
        assertEquals("models", ObjectKeys.modelCheckpointPrefix());
        assertEquals("models/sha256/" + HEX, ObjectKeys.modelCheckpoint(HEX));
        assertEquals("models/lineage/" + HEX + ".json", ObjectKeys.modelLineage(HEX));
        assertEquals("histories/campaign-c1/run-1.json", ObjectKeys.history("campaign-c1", "run-1"));
        assertEquals("campaigns/c1/cycles/2/", ObjectKeys.cyclePrefix("c1", 2));
    }

    @Test
    void idsThatCouldEscapeTheirPrefixAreRejected() {
        IllegalArgumentException dots = assertThrows(IllegalArgumentException.class, () -> ObjectKeys.slide("..", "x"));
        assertEquals("slideId must not contain '..' or be '.', got '..'", dots.getMessage());
        IllegalArgumentException slash = assertThrows(IllegalArgumentException.class,
                () -> ObjectKeys.datasetImage("dsb", "../../etc/passwd"));
        assertTrue(slash.getMessage().startsWith("tileId must not contain"), slash.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.slide("s", "a/b.tiff"));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.slide("s", "a\\b.tiff"));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> ObjectKeys.campaign(""));
        assertEquals("campaignId must not be empty", empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.campaign(null));
        IllegalArgumentException control = assertThrows(IllegalArgumentException.class,
                () -> ObjectKeys.annotationMask("c", 1, "a\nb"));
        assertEquals("annotationId must not contain control characters, got 'a\\u000ab'", control.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.campaign("."));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.campaign("x".repeat(201)));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.uncertaintyMap("c", -1, "i"));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.modelLineage("ABC"));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.contentAddressed("models/", HEX));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.contentAddressed("a//b", HEX));
        assertEquals("a/b/sha256/" + HEX, ObjectKeys.contentAddressed("a/b", HEX));

        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.requireValidKey("a/./b"));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.requireValidKey("a/"));
        assertThrows(IllegalArgumentException.class, () -> ObjectKeys.requireValidKey("x".repeat(1025)));
        assertEquals("campaigns/c1/", ObjectKeys.requireListPrefix("campaigns/c1/"));
        assertEquals("", ObjectKeys.requireListPrefix(""));
    }

    @Test
    void settingsFromEnvironmentAndTls() {
        S3Settings d = S3Settings.fromEnv(Map.of());
        assertEquals(URI.create("http://127.0.0.1:9000"), d.endpoint());
        assertEquals("uga", d.accessKey());
        assertEquals("uga", d.bucket());
        assertEquals("us-east-1", d.region());
        assertFalse(d.secure());

        S3Settings aws = S3Settings.fromEnv(Map.of("UGA_S3_ENDPOINT", "https://s3.eu-west-1.amazonaws.com",
                "UGA_S3_ACCESS_KEY", "AKIA", "UGA_S3_SECRET_KEY", "s3cr3t", "UGA_S3_BUCKET", "hospital-a",
                "UGA_S3_REGION", "eu-west-1"));
        assertTrue(aws.secure());
        assertEquals("eu-west-1", aws.region());
        assertFalse(aws.toString().contains("s3cr3t"), "the secret never appears in logs");

        assertThrows(IllegalArgumentException.class,
                () -> new S3Settings(URI.create("https://minio:9000"), "a", "b", "uga", "us-east-1", false));
        IllegalArgumentException path = assertThrows(IllegalArgumentException.class,
                () -> S3Settings.of(URI.create("http://minio:9000/uga"), "a", "b", "uga"));
        assertTrue(path.getMessage().contains("must not have a path"), path.getMessage());
        assertThrows(IllegalArgumentException.class, () -> S3Settings.of(URI.create("ftp://x"), "a", "b", "uga"));
        assertThrows(IllegalArgumentException.class, () -> S3Settings.of(URI.create("http://x:1"), "a", "b", "UGA"));
    }
}
