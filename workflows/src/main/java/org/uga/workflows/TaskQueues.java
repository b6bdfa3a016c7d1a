package org.uga.workflows;

import java.util.List;

/** Task queue names. Workflows run on {@link #CPU}, so any worker polling {@code uga-cpu} also hosts workflows. */
public final class TaskQueues {

    /** Scoring and training: one activity per GPU at a time. */
    public static final String GPU = "uga-gpu";
    /** Selection, mask checks, reminders, validation, and the workflows themselves. */
    public static final String CPU = "uga-cpu";
    /** Where clients start {@code UgaCampaign}. */
    public static final String WORKFLOWS = CPU;

    public static final List<String> ALL = List.of(GPU, CPU);

    private TaskQueues() {
    }
}
