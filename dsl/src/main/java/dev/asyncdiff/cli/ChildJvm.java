package dev.asyncdiff.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code asyncdiff} subcommands in a child JVM started like this one: the same java binary, JVM options
 * (heap, offline mode, headless) and class path; environment, working directory and terminal are inherited. The
 * child is destroyed if this JVM exits first (Ctrl-C), so no training outlives its command.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /** The command line that runs {@link Main} with {@code args} in a JVM like this one plus {@code jvmOptions}. */
    static List<String> command(List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(
                System.getProperty("java.home") + "/bin/java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        return cmd;
    }

    /** Runs the command with inherited I/O and returns its exit code (128 + signal when a signal killed it). */
    static int run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        Thread reaper = new Thread(p::destroy, "asyncdiff-child-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            return p.waitFor();
        } finally {
            p.destroy();
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or ran already; the child is being destroyed either way
            }
        }
    }
}
