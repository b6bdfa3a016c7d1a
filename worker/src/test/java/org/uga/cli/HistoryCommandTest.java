package org.uga.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code uga history replay} on the committed histories of the workflows module, and on a tampered one. */
class HistoryCommandTest {

    private static final Path HISTORIES = Path.of("../workflows/src/test/resources/histories");

    @Test
    void committedHistoriesReplayAndPass() {
        assertEquals(0, Uga.run("history", "replay", "--in", HISTORIES.resolve("two-cycle-campaign.json").toString()));
        assertEquals(0, Uga.run("history", "replay", "--in", HISTORIES.resolve("continue-as-new.run-1.json").toString()));
    }

    @Test
    void aHistoryFromDifferentCodeFails(@TempDir Path dir) throws Exception {
        // Pretend the recorded run scheduled a different first activity: the current code must not match it.
        String json = Files.readString(HISTORIES.resolve("two-cycle-campaign.json")).replace("\"ScoreTiles\"", "\"SomethingElse\"");
        Path tampered = dir.resolve("tampered.json");
        Files.writeString(tampered, json);
        assertEquals(1, Uga.run("history", "replay", "--in", tampered.toString()));
    }

    @Test
    void missingFileIsAUsageError() {
        assertEquals(2, Uga.run("history", "replay", "--in", "/nonexistent/history.json"));
    }
}
