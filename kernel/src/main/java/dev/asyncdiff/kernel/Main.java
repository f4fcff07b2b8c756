package dev.asyncdiff.kernel;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The kernel jar's command line. Jupyter runs it with a connection file; {@code ./asyncdiff kernel …} and
 * {@code ./asyncdiff shell …} reach the subcommands. Bad input exits with code 2 and one line on stderr.
 */
@Command(name = "asyncdiff", mixinStandardHelpOptions = true, version = "asyncdiff kernel 0.1.0",
        description = "The asyncdiff Jupyter kernel and JShell.",
        subcommands = {KernelCommand.class, ShellCommand.class})
public final class Main implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "CONNECTION_FILE",
            description = "Run the kernel on this Jupyter connection file (what the kernelspec does).")
    Path connectionFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // The protocol library logs through SLF4J; only warnings (such as rejected messages) go to stderr.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        // DJL probes for CUDA even with its CPU-only native library and warns into the first cell's output.
        String cuda = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils";
        System.setProperty(cuda, System.getProperty(cuda, "error"));
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (0 ok, 1 failure, 2 bad input). */
    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((ex, argv) -> {
            CommandLine.Model.CommandSpec s = ex.getCommandLine().getCommandSpec();
            ex.getCommandLine().getErr().println(s.qualifiedName() + ": " + ex.getMessage()
                    + " (see " + s.qualifiedName() + " --help)");
            return CommandLine.ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, c, parsed) -> {
            boolean badInput = ex instanceof IllegalArgumentException;
            String m = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + m.lines().findFirst().orElse(m));
            return badInput ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (connectionFile == null) {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 0;
        }
        return KernelCommand.serve(connectionFile);
    }
}
