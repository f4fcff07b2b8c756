package dev.asyncdiff.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * The commands that the {@code ./asyncdiff} launcher runs from the kernel jar (kernel/), named here so that
 * {@code asyncdiff --help} and {@code asyncdiff bench --help} list every command. Their options and help are the
 * kernel jar's ({@code ./asyncdiff kernel --help}); started from this jar, they say where they run.
 */
final class KernelJarCommands {
    private KernelJarCommands() {
    }

    /** Accepts any arguments and refuses to run here, in one line. */
    abstract static class InKernelJar implements Callable<Integer> {
        @Unmatched
        List<String> arguments;

        @Override
        public Integer call() {
            throw new IllegalArgumentException("runs from the kernel jar (kernel/); start it with the ./asyncdiff "
                    + "launcher, which builds that jar if needed");
        }
    }

    @Command(name = "kernel", description = "Install, uninstall, run or benchmark the Jupyter kernel "
            + "\"Java (asyncdiff)\" (see asyncdiff kernel --help).")
    static final class Kernel extends InKernelJar {
    }

    @Command(name = "shell", description = "JShell with asyncdiff on the class path and imported; runs a .jsh script "
            + "when given (see asyncdiff shell --help).")
    static final class Shell extends InKernelJar {
    }

    @Command(name = "kernel", description = "Time the Jupyter kernel's start and a trivial cell's round trip (the "
            + "same as asyncdiff kernel bench).")
    static final class BenchKernel extends InKernelJar {
    }
}
