package org.uga.demo;

import io.temporal.client.WorkflowClient;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.uga.workflows.UgaCampaign;
import org.uga.workflows.model.CampaignStatus;
import org.uga.workflows.model.CycleSummary;
import org.uga.workflows.model.PatchState;
import org.uga.workflows.model.PatchStatus;
import org.uga.workflows.model.Phase;

/**
 * Live progress of running campaigns, from their {@code status} queries: one line per campaign when its phase,
 * cycle or submissions change (and every 15 s otherwise), plus reminders, overdue patches and reassignments as
 * they happen, with an ETA from the pace of finished cycles.
 */
final class ProgressView {

    private final WorkflowClient client;
    private final List<String> campaignIds;
    private final int cycles;
    private final PrintStream out;
    private final List<String> events;
    private final Instant started;
    private final Map<String, String> lastLine = new HashMap<>();
    private final Map<String, Instant> lastPrinted = new HashMap<>();
    private final Map<String, String> patchMemo = new HashMap<>();

    ProgressView(WorkflowClient client, List<String> campaignIds, int cycles, PrintStream out, List<String> events,
                 Instant started) {
        this.started = started;
        this.client = client;
        this.campaignIds = campaignIds;
        this.cycles = cycles;
        this.out = out;
        this.events = events;
    }

    List<CampaignStatus> awaitAll(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<CampaignStatus> statuses = new ArrayList<>();
            boolean allDone = true;
            for (String id : campaignIds) {
                CampaignStatus s = client.newWorkflowStub(UgaCampaign.class, id).status();
                statuses.add(s);
                report(id, s);
                allDone &= terminal(s.phase());
            }
            if (allDone) {
                return statuses;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("campaigns did not finish within " + timeout + ": " + statuses.stream()
                        .map(s -> s.campaignId() + " " + s.phase()).toList());
            }
            Thread.sleep(1000);
        }
    }

    static boolean terminal(Phase p) {
        return p == Phase.COMPLETED || p == Phase.CANCELLED || p == Phase.FAILED;
    }

    private void report(String id, CampaignStatus s) {
        for (PatchStatus p : s.patches()) {
            String key = id + "/" + p.patchId();
            String now = p.state() + "|" + p.assignedTo() + "|" + p.remindersSent();
            String before = patchMemo.put(key, now);
            if (before == null || before.equals(now)) {
                continue;
            }
            String[] b = before.split("\\|");
            if (!b[2].equals(Integer.toString(p.remindersSent())) && p.remindersSent() > 0) {
                event(id, "reminder " + p.remindersSent() + " sent to " + p.assignedTo() + " for patch " + p.patchId());
            }
            if (p.state() == PatchState.OVERDUE && !b[0].equals("OVERDUE")) {
                event(id, "patch " + p.patchId() + " is overdue (" + p.assignedTo() + " missed the deadline)");
            }
            if (!b[1].equals(String.valueOf(p.assignedTo())) && p.assignedTo() != null) {
                event(id, "patch " + p.patchId() + " reassigned from " + b[1] + " to " + p.assignedTo());
            }
        }
        long submitted = s.patches().stream().filter(p -> p.cycle() == s.cycle() && p.state() == PatchState.SUBMITTED).count();
        long open = s.patches().stream().filter(p -> p.cycle() == s.cycle()).count();
        Double dice = s.currentDice();
        String line = String.format(Locale.ROOT, "%-22s cycle %d/%d  %-11s patches %d/%d submitted  Dice %s",
                id, Math.max(s.cycle(), 0), cycles, s.phase(), submitted, open, dice == null ? "  -  " : String.format(Locale.ROOT, "%.3f", dice));
        Instant last = lastPrinted.get(id);
        boolean changed = !line.equals(lastLine.get(id));
        if (changed || last == null || Duration.between(last, Instant.now()).toSeconds() >= 15) {
            out.println(String.format(Locale.ROOT, "[%s] ", DemoRunner.human(Duration.between(started, Instant.now())))
                    + line + eta(s));
            lastLine.put(id, line);
            lastPrinted.put(id, Instant.now());
        }
    }

    private String eta(CampaignStatus s) {
        if (terminal(s.phase())) {
            return "";
        }
        List<CycleSummary> done = s.cycles().stream().filter(c -> c.finishedAt() != null && c.startedAt() != null).toList();
        if (done.isEmpty()) {
            return "";
        }
        long perCycle = done.stream().mapToLong(c -> Duration.between(c.startedAt(), c.finishedAt()).toSeconds()).sum()
                / done.size();
        long left = Math.max(0, (long) (cycles - done.size()) * perCycle);
        return "  ETA ~" + DemoRunner.human(Duration.ofSeconds(left));
    }

    private void event(String campaignId, String what) {
        String msg = campaignId + ": " + what;
        events.add(msg);
        out.println("  * " + msg);
    }
}
