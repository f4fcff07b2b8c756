package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.bench.Median;
import dev.asyncdiff.data.PromptSets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * AsynDM's sampling-time overhead on the tiny backbone: standard sampling, concave everywhere, and AsynDM with dynamic
 * and fixed masks, alternated in one run on the same prompts (the reference reports about +10%).
 */
@Command(name = "asyndm", mixinStandardHelpOptions = true,
        description = "Time AsynDM against standard sampling on the tiny backbone (alternated in one run; medians).")
final class BenchAsynDmCommand implements Callable<Integer> {
    @Option(names = "--images", defaultValue = "16", paramLabel = "N",
            description = "spatial val prompts per run, one image each (default: ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--steps", defaultValue = "15", paramLabel = "K", description = "steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--reps", defaultValue = "3", paramLabel = "N", description = "timed runs per method (default: "
            + "${DEFAULT-VALUE})")
    int reps;

    @Override
    public Integer call() {
        if (images < 1 || steps < 1 || reps < 1) {
            throw new IllegalArgumentException("--images, --steps and --reps must all be at least 1 (got " + images
                    + ", " + steps + ", " + reps + ")");
        }
        List<String> prompts = PromptSets.load("shapes:spatial:val:" + images).prompts();
        Pipeline standard = Pipeline.tiny().steps(steps);
        Map<String, Pipeline> methods = new LinkedHashMap<>();
        methods.put("standard", standard);
        methods.put("concave everywhere", standard.asynDM("quadratic:0.7:everywhere"));
        methods.put("AsynDM, dynamic masks", standard.asynDM("quadratic:0.7:dynamic"));
        methods.put("AsynDM, fixed masks", standard.asynDM("quadratic:0.7:fixed"));
        methods.values().forEach(p -> p.generate(prompts.subList(0, 1), 1));
        Map<String, double[]> seconds = new LinkedHashMap<>();
        methods.keySet().forEach(m -> seconds.put(m, new double[reps]));
        for (int r = 0; r < reps; r++) {
            for (Map.Entry<String, Pipeline> e : methods.entrySet()) {
                long t0 = System.nanoTime();
                e.getValue().generate(prompts, 1);
                seconds.get(e.getKey())[r] = (System.nanoTime() - t0) / 1e9;
            }
        }
        double base = Median.of(seconds.get("standard"));
        System.out.printf(Locale.ROOT, "AsynDM benchmark: %d spatial val prompts, %d steps, CFG 5, batch %d; medians "
                + "of %d alternated runs%n", prompts.size(), steps, standard.batchSize(), reps);
        seconds.forEach((m, s) -> System.out.printf(Locale.ROOT, "%-28s %8.3f s  %6.2f× standard%n", m,
                Median.of(s), Median.of(s) / base));
        return 0;
    }
}
