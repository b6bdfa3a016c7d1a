package org.uga.cli;

import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.uga.client.HistoryReplayer;
import org.uga.infra.TemporalConnection;
import org.uga.infra.TemporalWorkers;

/** {@code uga history export|replay}: save a campaign's event history, and replay one against the current code. */
public final class HistoryCommand implements Command {

    @Override
    public String summary() {
        return "export a campaign's workflow history, or replay one against this build";
    }

    @Override
    public String usage() {
        return """
                Usage: uga history export --id CAMPAIGN [--run RUN_ID] --out FILE [--temporal HOST:PORT] [--namespace NS]
                       uga history replay --in FILE

                export  writes the event history (JSON, as Temporal's tools read it) of the campaign's current run,
                        or of --run; the workflow id of a cycle child is CAMPAIGN/cycle-N.
                replay  runs the history through this build's UgaCampaign/UgaCycle code and prints PASS, or FAIL
                        with the first mismatch (exit code 1): a non-zero exit means the code change needs
                        Workflow.getVersion before it is deployed.
                """;
    }

    @Override
    public int run(Args args) throws Exception {
        if (args.positionals().size() != 1) {
            throw new Args.UsageException("expected 'export' or 'replay'");
        }
        return switch (args.positionals().get(0)) {
            case "export" -> export(args);
            case "replay" -> replay(args);
            default -> throw new Args.UsageException("unknown history action '" + args.positionals().get(0) + "'");
        };
    }

    private int export(Args args) throws Exception {
        String id = args.require("id");
        String run = args.get("run", null);
        Path out = Path.of(args.require("out"));
        TemporalConnection env = TemporalConnection.fromEnv();
        TemporalConnection c = new TemporalConnection(args.get("temporal", env.target()), args.get("namespace", env.namespace()),
                env.tlsCert(), env.tlsKey(), env.tlsCa());
        args.rejectUnknown();
        WorkflowClient client = TemporalWorkers.client(c);
        try {
            WorkflowExecutionHistory h = run == null ? client.fetchHistory(id) : client.fetchHistory(id, run);
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            Files.writeString(out, h.toJson(true));
            System.out.println("wrote " + h.getEvents().size() + " events of " + id + " run "
                    + h.getWorkflowExecution().getRunId() + " to " + out);
            return 0;
        } finally {
            client.getWorkflowServiceStubs().shutdown();
        }
    }

    private int replay(Args args) throws Exception {
        Path in = Path.of(args.require("in"));
        args.rejectUnknown();
        if (!Files.isReadable(in)) {
            throw new Args.UsageException("cannot read " + in);
        }
        WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(Files.readString(in));
        java.util.Optional<String> mismatch = HistoryReplayer.firstMismatch(history);
        if (mismatch.isPresent()) {
            System.out.println("FAIL " + in + ": " + mismatch.get());
            return 1;
        }
        System.out.println("PASS " + in + " (" + history.getEvents().size() + " events)");
        return 0;
    }
}
