package dev.asyncdiff.cli;

import picocli.CommandLine.Command;

/** Benchmarks; each subcommand prints a table of ratios measured side by side in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark and print its table.",
        subcommands = {BenchSamplerCommand.class, BenchTinyCommand.class, BenchParityCommand.class, BenchEvalCommand.class, BenchAsynDmCommand.class,
                BenchTpmCommand.class, BenchBackboneCommand.class, BenchBackbonePassCommand.class,
                KernelJarCommands.BenchKernel.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
