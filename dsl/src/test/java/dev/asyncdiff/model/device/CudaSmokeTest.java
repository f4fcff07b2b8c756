package dev.asyncdiff.model.device;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.DiffusersFlowModel;
import dev.asyncdiff.model.Loading;
import dev.asyncdiff.model.flux.FluxFlowModel;
import dev.asyncdiff.model.flux.FluxFlowModelTest;
import dev.asyncdiff.model.sd3.Sd35FlowModel;
import dev.asyncdiff.model.sd3.Sd35FlowModelTest;
import dev.asyncdiff.model.t5.T5Residency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

import static dev.asyncdiff.model.checkpoint.RandomDiffusersFolder.flat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The CUDA smoke test, run by scripts/cuda-smoke.sh on a machine with an NVIDIA GPU and PyTorch 2.7.1's CUDA natives
 * (never in CI, which has neither: it runs only with -Dasyncdiff.cuda.smoke=true). On the random SD3.5 and Flux
 * folders of the end-to-end tests, the paper's presets at 3 steps, synchronous, 16×16 images: FP32 on the CPU (the
 * run the PyTorch references check) against --device cuda (the FP16 plan), which may be off by at most 4 times what
 * rounding the weights to FP16 moves (the CPU tests allow 3: cuBLAS may reduce FP16 products in FP16); prints both
 * and the times (the first CUDA run includes CUDA's start-up, so it runs twice), and checks that a streamed T5 gives
 * the resident conditioning on the GPU too.
 */
@EnabledIfSystemProperty(named = "asyncdiff.cuda.smoke", matches = "true")
class CudaSmokeTest {
    static final int IMAGE = 16;
    static final int STEPS = 3;
    static final List<String> PROMPTS = List.of("a red cab", "cab");
    static final double FACTOR = 4;
    static final Loading CPU = Loading.defaults().imageSize(IMAGE);
    static final Loading CUDA = CPU.device(ComputeDevice.CUDA);

    @TempDir
    Path tmp;

    @Test
    void sd35OnCudaSamplesWithinFp16RoundingOfTheFp32CpuRun() throws Exception {
        Path f32 = Sd35FlowModelTest.folder(tmp.resolve("sd35"), new SplittableRandom(23), "F32");
        Path f16 = Sd35FlowModelTest.folder(tmp.resolve("sd35-f16"), new SplittableRandom(23), "F16");
        smoke("sd3.5", Pipeline.sd35(f32, CPU), f32, f16, Sd35FlowModel::load);
        try (Sd35FlowModel resident = Sd35FlowModel.load(f32, CUDA.t5(T5Residency.RESIDENT));
             Sd35FlowModel streamed = Sd35FlowModel.load(f32, CUDA.t5(T5Residency.STREAMED))) {
            assertArrayEquals(flat(resident.encode(PROMPTS).context()), flat(streamed.encode(PROMPTS).context()),
                    "a streamed T5 on the GPU");
        }
    }

    @Test
    void fluxOnCudaSamplesWithinFp16RoundingOfTheFp32CpuRun() throws Exception {
        Path f32 = FluxFlowModelTest.folder(tmp.resolve("flux"), new SplittableRandom(29), "F32");
        Path f16 = FluxFlowModelTest.folder(tmp.resolve("flux-f16"), new SplittableRandom(29), "F16");
        smoke("flux.1", Pipeline.flux(f32, CPU), f32, f16, FluxFlowModel::load);
    }

    /**
     * The preset on the FP32 CPU model of {@code f32} against the same folder on CUDA, and against {@code f16} (the
     * same weights stored in FP16) on the CPU, the baseline; prints all three and checks the CUDA run's second.
     */
    private static void smoke(String name, Pipeline preset, Path f32, Path f16,
                              BiFunction<Path, Loading, DiffusersFlowModel> load) {
        Pipeline fp32 = preset.steps(STEPS).sync();
        try (DiffusersFlowModel reference = (DiffusersFlowModel) fp32.model();
             DiffusersFlowModel rounded = load.apply(f16, CPU);
             DiffusersFlowModel cuda = load.apply(f32, CUDA)) {
            PlanComparison unavoidable = PlanComparison.run(fp32, rounded, PROMPTS);
            PlanComparison first = PlanComparison.run(fp32, cuda, PROMPTS);
            PlanComparison warm = PlanComparison.run(fp32, cuda, PROMPTS);
            System.out.println(unavoidable.summary(name + ", weights rounded to FP16, CPU"));
            System.out.println(first.summary(name + ", cuda, first run"));
            System.out.println(warm.summary(name + ", cuda, second run"));
            warm.assertWithin(FACTOR, unavoidable);
        }
    }
}
