package org.uga.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uga.store.ObjectKeys;
import org.uga.workflows.TaskQueues;
import org.uga.workflows.model.AnnotatedPatch;
import org.uga.workflows.model.AnnotationResult;
import org.uga.workflows.model.CampaignResult;
import org.uga.workflows.model.CampaignStatus;
import org.uga.workflows.model.CycleSummary;
import org.uga.workflows.model.ModelLineage;
import org.uga.workflows.model.Phase;

/** A 2-cycle campaign on the embedded stack with real DJL training, scoring, selection and validation. */
class CampaignEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void twoCycleCampaignCompletesWithDicePerCycle() throws Exception {
        try (E2eSupport e = new E2eSupport(dir);
             UgaWorkerRuntime worker = UgaWorkerRuntime.create(e.client, e.store, TaskQueues.ALL, 1, 2).start()) {
            e.start(e.spec("e2e-two-cycles", 2, 2));
            for (int cycle = 1; cycle <= 2; cycle++) {
                CampaignStatus s = e.awaitStatus("e2e-two-cycles", "cycle " + cycle + " annotating", Duration.ofMinutes(2),
                        E2eSupport.annotating(cycle));
                assertEquals(2, s.patches().size());
                for (var p : s.patches()) {
                    // the annotator sees the patch, the model's prediction and the uncertainty map
                    assertTrue(e.store.exists(p.imageKey()) && e.store.exists(p.predictionKey()) && e.store.exists(p.uncertaintyKey()));
                }
                List<AnnotationResult> results = e.annotateAll("e2e-two-cycles", s);
                assertEquals(2, results.size());
            }
            CampaignResult r = e.client.newUntypedWorkflowStub("e2e-two-cycles", Optional.empty(), Optional.empty())
                    .getResult(CampaignResult.class);
            assertEquals(Phase.COMPLETED, r.phase());
            assertEquals(2, r.cycles().size());
            assertNotNull(r.initialDice());
            String previousModel = r.lineage().get(0).modelKey();
            for (CycleSummary c : r.cycles()) {
                assertNotNull(c.diceBefore(), c.toString());
                assertNotNull(c.diceAfter(), c.toString());
                assertTrue(c.diceAfter() >= 0 && c.diceAfter() <= 1, c.toString());
                assertEquals(2, c.patchesAnnotated());
                // never silently regress: a worse candidate is recorded but the previous model stays current
                if (c.accepted()) {
                    assertEquals(c.candidateModelKey(), c.modelKey());
                    assertTrue(c.diceAfter() >= c.diceBefore(), c.toString());
                } else {
                    assertEquals(previousModel, c.modelKey());
                    assertTrue(c.diceAfter() < c.diceBefore(), c.toString());
                }
                previousModel = c.modelKey();
            }
            assertEquals(4, r.annotations().size());
            // content-addressed checkpoints with lineage records
            for (ModelLineage l : r.lineage()) {
                assertTrue(l.modelKey().startsWith("models/sha256/"), l.modelKey());
                assertTrue(e.store.exists(l.modelKey()));
                String hex = l.modelKey().substring(l.modelKey().lastIndexOf('/') + 1);
                @SuppressWarnings("unchecked")
                Map<String, Object> lineage = e.store.getJson(ObjectKeys.modelLineage(hex), Map.class);
                if (l.parentKey() != null) {
                    assertEquals(l.parentKey(), lineage.get("parentKey"));
                    assertEquals(l.annotationIds(), lineage.get("annotationIds"));
                }
            }
            // the masks the campaign trained on are in the store
            for (AnnotatedPatch a : r.annotations()) {
                assertTrue(e.store.exists(a.maskKey()));
            }
            assertTrue(r.lineage().get(0).annotationIds().isEmpty());
        }
    }
}
