package org.uga.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.WorkflowExecutionHistory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uga.cli.DemoCommand;

/**
 * The demo end to end at CI size: embedded Temporal + S3, real DJL training on generated tiles, two campaigns
 * answered by simulated annotators (one misses a deadline), then the report and replayed histories.
 */
class DemoTinyTest {

    @Test
    void tinyDemoWritesReportAndReplayableHistories(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        // With a whole slide in the pool next to the tiles: scored window by window, patches cut by region reads.
        DemoOptions options = new DemoOptions(null, 1, 2, 2, 7, out, dir.resolve("home"), true,
                Duration.ofSeconds(12), Duration.ofSeconds(4), true, null, true);

        DemoRunner.Result result = DemoCommand.runEmbedded(options);

        assertTrue(result.replayPassed(), "both histories replay against the current code");
        assertEquals(2, result.histories().size());
        for (Path h : result.histories()) {
            WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(Files.readString(h));
            assertTrue(history.getEvents().size() > 10, h + " holds a real run");
            assertEquals("UgaCampaign", history.getEvents().get(0)
                    .getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName());
        }
        String html = Files.readString(result.report(), StandardCharsets.UTF_8);
        assertTrue(html.startsWith("<!doctype html>"));
        assertTrue(html.contains("<svg"), "Dice curve");
        assertTrue(html.contains("data:image/png;base64,"), "heat maps and predictions are embedded");
        assertFalse(html.contains("http://") || html.contains("https://"), "self-contained: no external links");
        // header + cycle 0 (starting model) + cycle 1, each with a Dice for both arms
        assertEquals(3, result.table().size());
        String[] cycle1 = result.table().get(2);
        assertTrue(cycle1[2].matches("0\\.\\d{3}") && cycle1[3].matches("0\\.\\d{3}"),
                "Dice recorded for both campaigns: " + String.join(" ", cycle1));
        assertTrue(html.contains("Cycle 1: uncertainty with the annotated patches"), "per-cycle heat maps");
        assertTrue(html.contains("missed the deadline") || html.contains("will miss the deadline"),
                "the missed deadline is reported");
        assertTrue(html.contains("+ a generated 320x256 slide"), "the slide is part of the data");
        assertTrue(html.contains("demo-slide-7@slide.tif@x"), "a patch from a window of the slide was annotated and shown");
    }
}
