package org.uga.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of the {@code uga} command. Subcommands are looked up by class name so that each lives in
 * its own file and a build without one still runs the others.
 */
public final class Uga {

    /** name -> implementing class in this package. */
    static final Map<String, String> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("infra", "InfraCommand");
        COMMANDS.put("worker", "WorkerCommand");
        COMMANDS.put("experiment", "ExperimentCommand");
        COMMANDS.put("demo", "DemoCommand");
        COMMANDS.put("history", "HistoryCommand");
        COMMANDS.put("annotations", "AnnotationsCommand");
        COMMANDS.put("slides", "SlidesCommand");
        COMMANDS.put("generate", "GenerateCommand");
    }

    private Uga() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    public static int run(String... argv) {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h") || argv[0].equals("help")) {
            printHelp();
            return argv.length == 0 ? 2 : 0;
        }
        String name = argv[0];
        Command command = load(name);
        if (command == null) {
            System.err.println("uga: unknown command '" + name + "'. Run 'uga --help' for the list.");
            return 2;
        }
        String[] rest = java.util.Arrays.copyOfRange(argv, 1, argv.length);
        Args args = new Args(rest);
        if (args.flag("help")) {
            System.out.println(command.usage());
            return 0;
        }
        try {
            return command.run(args);
        } catch (Args.UsageException e) {
            System.err.println("uga " + name + ": " + e.getMessage());
            System.err.println();
            System.err.println(command.usage());
            return 2;
        } catch (Exception e) {
            System.err.println("uga " + name + ": " + e.getMessage());
            if (System.getenv("UGA_DEBUG") != null) {
                e.printStackTrace();
            }
            return 1;
        }
    }

    static Command load(String name) {
        String cls = COMMANDS.get(name);
        if (cls == null) {
            return null;
        }
        try {
            return (Command) Class.forName(Uga.class.getPackageName() + "." + cls).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create command " + name, e);
        }
    }

    private static void printHelp() {
        System.out.println("""
                uga — uncertainty-guided annotation platform

                Usage: uga COMMAND [OPTIONS]      (uga COMMAND --help for a command's options)

                Commands:""");
        for (String name : COMMANDS.keySet()) {
            Command c = load(name);
            if (c != null) {
                System.out.printf("  %-12s %s%n", name, c.summary());
            }
        }
        System.out.printf("  %-12s %s%n", "serve", "the API, annotator UI and an in-process worker on http://localhost:8080");
        System.out.println("""

                Environment: UGA_HOME (data dir, default ./.uga), UGA_TEMPORAL_TARGET, UGA_S3_ENDPOINT,
                UGA_S3_ACCESS_KEY, UGA_S3_SECRET_KEY, UGA_S3_BUCKET, UGA_DEBUG (stack traces).""");
    }
}
