package dev.asyncdiff.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `asyncdiff` command line: one subcommand per job. Bad input exits with code 2 and one line on stderr. */
@Command(name = "asyncdiff", mixinStandardHelpOptions = true, version = "asyncdiff 0.1.0",
        description = "Asynchronous timestep conditioning for flow-matching text-to-image models.",
        subcommands = {DemoCommand.class, SampleCommand.class, PromptsCommand.class, ScoreCommand.class,
                EvalCommand.class, ReproduceCommand.class, TrainBaseCommand.class, TrainTpmCommand.class,
                TrainRewardsCommand.class, DistillCommand.class, MasksCommand.class, BenchCommand.class,
                WeightsCommand.class,
                KernelJarCommands.Kernel.class, KernelJarCommands.Shell.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (0 ok, 1 failure, 2 bad input). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Runs the CLI with its diagnostics sent to {@code err}; returns the exit code. */
    public static int run(java.io.PrintWriter err, String... args) {
        return commandLine().setErr(err).execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((ex, argv) -> {
            CommandLine.Model.CommandSpec s = ex.getCommandLine().getCommandSpec();
            ex.getCommandLine().getErr().println(s.qualifiedName() + ": " + ex.getMessage()
                    + " (see " + s.qualifiedName() + " --help)");
            return CommandLine.ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, c, parsed) -> {
            boolean badInput = ex instanceof IllegalArgumentException || ex instanceof IllegalStateException;
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + oneLine(ex));
            return badInput ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
        });
        return cli;
    }

    private static String oneLine(Exception ex) {
        String m = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
