package org.uga.workflows.impl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every committed history under src/test/resources/histories/ through the current workflow code, so a
 * non-deterministic change (one not guarded by Workflow.getVersion) fails the build. Histories are recorded by
 * the workflow tests with {@code -Duga.recordHistories=true}.
 */
class HistoryReplayTest {

    static List<Path> histories() throws Exception {
        Path dir = Path.of(HistoryReplayTest.class.getResource("/histories").toURI());
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void theCommittedHistoriesArePresent() throws Exception {
        List<String> names = histories().stream().map(p -> p.getFileName().toString()).toList();
        for (String expected : List.of("two-cycle-campaign.json", "two-cycle-campaign.cycle-1.json",
                "deadline-partial.json", "continue-as-new.run-1.json", "continue-as-new.last-run.json",
                "validating-step.json", "validating-step.cycle-1.json")) {
            assertTrue(names.contains(expected), "missing history " + expected + " in " + names);
        }
    }

    @TestFactory
    Stream<DynamicTest> replayEveryCommittedHistory() throws Exception {
        return histories().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                () -> WorkflowReplayer.replayWorkflowExecution(p.toFile(), UgaCampaignImpl.class, UgaCycleImpl.class)));
    }
}
