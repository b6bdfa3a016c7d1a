package org.uga.cli;

/** One `uga` subcommand. Implementations have a public no-arg constructor and live in this package. */
public interface Command {

    /** One line for `uga --help`. */
    String summary();

    /** Full usage text for `uga NAME --help`. */
    String usage();

    /** Runs the command; the return value is the process exit code. */
    int run(Args args) throws Exception;
}
