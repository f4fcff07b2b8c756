package dev.asyncdiff.cli;

import picocli.CommandLine.Command;

/** Checkpoints of the real backbones: checks now, loading later. */
@Command(name = "weights", mixinStandardHelpOptions = true,
        description = "Inspect checkpoints of the real backbones (SD3.5-medium, Flux.1-dev).",
        subcommands = {WeightsCheckCommand.class})
final class WeightsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
