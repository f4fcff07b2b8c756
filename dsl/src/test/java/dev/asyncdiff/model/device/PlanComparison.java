package dev.asyncdiff.model.device;

import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.model.DiffusersFlowModel;

import java.util.List;

import static dev.asyncdiff.model.checkpoint.RandomDiffusersFolder.flat;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One sampling run of a pipeline on a folder's FP32 CPU model (the reference, proven against the PyTorch references)
 * and the same run with the folder loaded otherwise (the CUDA plan, on the CPU or a GPU, or its weights rounded to
 * FP16): how far the other's final latents and decoded images are from the reference's, and the seconds each run took
 * (the first run in a JVM includes warm-up).
 */
public record PlanComparison(Discrepancy latents, Discrepancy images, double referenceSeconds,
                             double otherSeconds) {

    public static PlanComparison run(Pipeline onFp32, DiffusersFlowModel other, List<String> prompts) {
        DiffusersFlowModel reference = (DiffusersFlowModel) onFp32.model();
        long t0 = System.nanoTime();
        Generation a = onFp32.generate(prompts, 1);
        long t1 = System.nanoTime();
        Generation b = onFp32.model(other).generate(prompts, 1);
        long t2 = System.nanoTime();
        return new PlanComparison(Discrepancy.between(flat(b.xFinal()), flat(a.xFinal())),
                Discrepancy.between(flat(other.decodeImages(b.xFinal())), flat(reference.decodeImages(a.xFinal()))),
                (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }

    /**
     * Asserts that {@code fp16} (a model in the FP16 plan) samples within {@code factor} times what {@code rounded}
     * (the same weights stored in FP16, FP32 arithmetic) moves from the run of {@code onFp32}.
     */
    public static void assertFp16PlanWithin(double factor, Pipeline onFp32, DiffusersFlowModel rounded,
                                            DiffusersFlowModel fp16, List<String> prompts) {
        run(onFp32, fp16, prompts).assertWithin(factor, run(onFp32, rounded, prompts));
    }

    /**
     * Asserts that this run, in FP16 arithmetic, is off by at most {@code factor} times what merely rounding the
     * weights to FP16 moves ({@code unavoidable}, FP32 arithmetic), in latents and images, and off at all.
     */
    public void assertWithin(double factor, PlanComparison unavoidable) {
        assertTrue(latents.maxRel() <= factor * unavoidable.latents.maxRel(), "latents " + latents + " against "
                + unavoidable.latents);
        assertTrue(images.maxRel() <= factor * unavoidable.images.maxRel(), "images " + images + " against "
                + unavoidable.images);
        assertTrue(latents.maxRel() > 0, "the weights must have been FP16");
    }

    /** One line for a report. */
    public String summary(String what) {
        return String.format("%s: final latents max rel %.2e, images max rel %.2e; %.2f s (FP32 CPU %.2f s)", what,
                latents.maxRel(), images.maxRel(), otherSeconds, referenceSeconds);
    }
}
