package org.uga.workflows.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.uga.workflows.activities.ScoringRequest;

/** The campaign's slide windowing: validation naming the field, and payloads recorded before it existed. */
class SlideWindowingTest {

    static CampaignSpec spec(LocalData local) {
        return new CampaignSpec("c1", "t", "coord", ModelSource.checkpoint("models/initial"), local, 2, 32, "uga",
                UncertaintyConfig.paperDefault(), 1, StopRules.none(), List.of("alice"),
                new AnnotationPolicy(Duration.ofDays(1), Duration.ofHours(6), DeadlineAction.PROCEED_WITH_RECEIVED, 1),
                new FineTuneConfig(1, 0.5, 1e-3, 4), 5, 1L);
    }

    @Test
    void validWindowingAndTheThreeArgumentFormAreAccepted() {
        assertEquals(List.of(), spec(new LocalData("local", List.of("slides/s1/a.tif", "t1"), List.of("v1"),
                new SlideWindowing(128, 16, 0.05))).validate());
        LocalData plain = new LocalData("local", List.of("slides/s1/a.tif"), List.of("v1"));
        assertNull(plain.slideWindowing(), "null = the worker's defaults");
        assertTrue(plain.hasSlides());
        assertEquals(List.of(), spec(plain).validate());
        assertEquals(List.of(), spec(new LocalData("local", List.of("t1"), List.of("v1"), SlideWindowing.defaults())).validate());
    }

    @Test
    void badWindowingValuesAreProblemsNamingTheField() {
        List<String> p = spec(new LocalData("local", List.of("slides/s1/a.tif"), List.of("v1"),
                new SlideWindowing(100, 80, 1.5))).validate();
        assertEquals(3, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("localData.slideWindowing.windowSize must be a multiple of 16"), p.get(0));
        assertTrue(p.get(1).startsWith("localData.slideWindowing.overlap must be in [0, windowSize / 2], got 80"), p.get(1));
        assertTrue(p.get(2).startsWith("localData.slideWindowing.minTissueFraction must be in [0, 1], got 1.5"), p.get(2));
        assertTrue(spec(new LocalData("local", List.of("t1"), List.of("v1"), new SlideWindowing(8192, 0, 0))).validate()
                .get(0).contains("got 8192"));
        assertTrue(spec(new LocalData("local", List.of("t1"), List.of("v1"), new SlideWindowing(64, 0, Double.NaN))).validate()
                .get(0).contains("minTissueFraction"));
        List<String> slideValidation = spec(new LocalData("local", List.of("t1"), List.of("slides/s1/a.tif"))).validate();
        assertTrue(slideValidation.get(0).contains("is a whole slide; validation needs dataset tiles"), slideValidation.toString());
    }

    @Test
    void payloadsWithoutTheFieldStillDecodeAndNewOnesRoundTrip() {
        var converter = DefaultDataConverter.newDefaultInstance();
        // As recorded in histories before slideWindowing existed.
        String old = "{\"datasetPrefix\":\"local\",\"tileIds\":[\"t1\"],\"validationTileIds\":[\"v1\"]}";
        var payload = io.temporal.api.common.v1.Payload.newBuilder()
                .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
                .setData(com.google.protobuf.ByteString.copyFrom(old, StandardCharsets.UTF_8)).build();
        LocalData decoded = converter.fromPayload(payload, LocalData.class, LocalData.class);
        assertEquals(new LocalData("local", List.of("t1"), List.of("v1")), decoded);

        LocalData withWindowing = new LocalData("local", List.of("slides/s/a.tif"), List.of("v1"), new SlideWindowing(64, 8, 0.1));
        Optional<io.temporal.api.common.v1.Payload> encoded = converter.toPayload(withWindowing);
        assertEquals(withWindowing, converter.fromPayload(encoded.orElseThrow(), LocalData.class, LocalData.class));

        ScoringRequest request = new ScoringRequest("c1", 1, "m", "local", List.of("slides/s/a.tif"),
                UncertaintyConfig.paperDefault(), 3, new SlideWindowing(64, 8, 0.1));
        assertEquals(request, converter.fromPayload(converter.toPayload(request).orElseThrow(), ScoringRequest.class,
                ScoringRequest.class));
        assertNull(new ScoringRequest("c1", 1, "m", "local", List.of("t"), UncertaintyConfig.paperDefault(), 3).slideWindowing());
    }
}
