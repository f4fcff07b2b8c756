package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** The main job: synchronous versus asynchronous sampling at few steps on a built-in backbone, same seeds. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Compare synchronous and asynchronous (fixed deviation +0.3) sampling at 10 steps on the "
                + "embedded tiny model (grid.png + oracle table) or the exact GMM (fidelity table).")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--backbone", description = "tiny (the embedded text-to-image model) or gmm (exact mixture) "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "tiny", paramLabel = "tiny|gmm")
    String backbone;

    @Option(names = "--n", description = "samples per prompt (tiny) or per component (gmm) "
            + "(default: 4 for tiny, 256 for gmm)", paramLabel = "N")
    Integer n;

    @Option(names = "--steps", description = "few-step budget compared (default: ${DEFAULT-VALUE})", defaultValue = "10",
            paramLabel = "K")
    int steps;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})", defaultValue = "" + Pipeline.DEFAULT_SEED,
            paramLabel = "SEED")
    long seed;

    @Option(names = "--out", description = "output folder of the tiny demo: new, empty or an earlier "
            + "run's, which it replaces (default: ${DEFAULT-VALUE})",
            defaultValue = "out/demo", paramLabel = "DIR")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1 (got " + steps + ")");
        }
        if (n != null && n < 2) {
            throw new IllegalArgumentException("--n must be at least 2 (got " + n + ")");
        }
        return switch (backbone) {
            case "tiny" -> TinyDemo.run(n == null ? 4 : n, steps, seed, out);
            case "gmm" -> GmmDemo.run(n == null ? 256 : n, steps, seed);
            default -> throw new IllegalArgumentException("unknown demo backbone '" + backbone + "' (choose tiny or gmm)");
        };
    }
}
