package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;
import ai.djl.engine.Engine;
import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.bench.PythonReference;
import dev.asyncdiff.bench.TinyParity;
import dev.asyncdiff.bench.TinyThroughput;
import dev.asyncdiff.model.tiny.ShippedTinyModel;
import dev.asyncdiff.model.tiny.TinyFlowModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The embedded model against bench/tiny_reference.py, an independent PyTorch implementation run by python3: velocity
 * parity on random inputs, then denoiser sampling time in both, runs alternating. Exits 1 when parity misses its
 * target.
 */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = "Velocity parity of the tiny model with an independent PyTorch reference (python3-torch), "
                + "then Java and Python sampling time side by side.")
final class BenchParityCommand implements Callable<Integer> {

    @Option(names = "--batch", defaultValue = "16", description = "rows of the parity inputs (a quarter of them "
            + "unconditional) and samples per timed run (default: ${DEFAULT-VALUE})", paramLabel = "B")
    int batch;

    @Option(names = "--steps", defaultValue = "10", description = "Euler steps per timed run (default: ${DEFAULT-VALUE})",
            paramLabel = "K")
    int steps;

    @Option(names = "--reps", defaultValue = "5", description = "timed runs per side (default: ${DEFAULT-VALUE})",
            paramLabel = "N")
    int reps;

    @Option(names = "--seed", defaultValue = "" + Pipeline.DEFAULT_SEED, description = "seed of latents, times and prompts "
            + "(default: ${DEFAULT-VALUE})", paramLabel = "SEED")
    long seed;

    @Option(names = "--weights", paramLabel = "DIR", description = "tiny weights from train-base (an export or a "
            + "checkpoint folder; default: the shipped ones)")
    Path weights;

    @Override
    public Integer call() throws IOException {
        if (batch < 2 || steps < 1 || reps < 1) {
            throw new IllegalArgumentException("--batch must be at least 2 (conditional and unconditional rows), "
                    + "--steps and --reps at least 1 (got " + batch + ", " + steps + ", " + reps + ")");
        }
        PythonReference reference = PythonReference.locate();
        TinyFlowModel model = weights == null ? ShippedTinyModel.get() : TinyFlowModel.load(weights);
        Path dir = Files.createTempDirectory("asyncdiff-parity");
        try {
            int unconditional = Math.max(1, batch / 4);
            TinyParity.Result p = TinyParity.run(model, reference, batch - unconditional, unconditional, seed, dir);
            System.out.printf("parity with %s (torch %s): %d prompts + %d unconditional rows, seed %d%n",
                    PythonReference.SCRIPT, p.torchVersion(), p.conditional(), p.unconditional(), seed);
            System.out.printf("%-34s %10s %10s %10s %10s %4s%n", "measure", "max abs", "max rel", "elem rel",
                    "target", "ok");
            row("velocity, per-sample t", p.perSample(), true);
            row("velocity, per-token t", p.perToken(), true);
            row("cross-attention, per-token t", p.attention(), false);
            System.out.printf("(max rel = max|a-b| / max|b|; elem rel = max |a-b| / max(|b|, %.0e))%n%n",
                    Discrepancy.FLOOR);

            TinyThroughput.Result t = TinyThroughput.run(model, reference, batch, steps, reps, seed, dir);
            System.out.printf("throughput: %d samples x %d steps, CFG %.0f, denoiser only, %d torch threads each, "
                    + "medians of %d alternating runs%n", t.batch(), t.steps(), TinyThroughput.CFG, t.threads(),
                    t.reps());
            System.out.printf("%-34s %10.3f%n", "Java, DJL torch " + Engine.getInstance().getVersion() + " (s)",
                    t.javaSeconds());
            System.out.printf("%-34s %10.3f%n", "Python, torch " + t.torchVersion() + " (s)", t.pythonSeconds());
            System.out.printf("%-34s %10.3f%n", "Java / Python time ratio", t.ratio());
            System.out.printf("sampled latents, Java vs Python: max abs %.2e, max rel %.2e%n", t.sampled().maxAbs(),
                    t.sampled().maxRel());
            return p.withinTarget() ? 0 : 1;
        } finally {
            OutputFolder.deleteTree(dir);
        }
    }

    private static void row(String name, Discrepancy d, boolean targeted) {
        System.out.printf("%-34s %10.2e %10.2e %10.2e %10s %4s%n", name, d.maxAbs(), d.maxRel(), d.maxElementRel(),
                targeted ? "<= 1e-4" : "", targeted ? (d.maxRel() <= TinyParity.TARGET ? "yes" : "NO") : "");
    }
}
