package dev.asyncdiff.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code asyncdiff} subcommands in a child JVM started like this one: the same java binary, JVM options
 * (heap, offline mode, headless) and class path; environment, working directory and terminal are inherited. The
 * child is destroyed if this JVM exits first (Ctrl-C), so no training outlives its command.
 *
 * <p>The child's oneMKL (linked into PyTorch's CPU library, where it does the matrix products) runs in strict
 * conditional-numerical-reproducibility mode, {@value #MKL_REPRODUCIBLE}, unless the environment sets
 * {@code MKL_CBWR} itself. Otherwise MKL picks its kernel path by the memory alignment of each operand, and the
 * tensors a resumed run reads from its checkpoint sit at other addresses than those of an uninterrupted run: one
 * crashed-and-resumed training in two (2026-12-04, 80 steps) rounded differently and ended with every weight a few
 * ulps to 3e-4 apart (Adam amplifies rounding where gradients are small: the text embeddings). With the strict mode
 * seven of seven resumed runs (three by hand, four of TrainBaseCrashResumeTest) ended bit-identical to the
 * uninterrupted one, at the same speed (150 steps at batch 32, side by side: 48 s without, 49 s with).
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

    /** The oneMKL mode of every child: the default code path, with results independent of operand alignment. */
    static final String MKL_REPRODUCIBLE = "AUTO,STRICT";

    /** A process builder for {@code command} whose environment has {@code MKL_CBWR} (see above). */
    static ProcessBuilder builder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putIfAbsent("MKL_CBWR", MKL_REPRODUCIBLE);
        return pb;
    }

    /** Runs the command with inherited I/O and returns its exit code (128 + signal when a signal killed it). */
    static int run(List<String> command) throws IOException, InterruptedException {
        Process p = builder(command).inheritIO().start();
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
