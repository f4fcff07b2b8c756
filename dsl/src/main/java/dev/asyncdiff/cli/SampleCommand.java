package dev.asyncdiff.cli;

import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.data.PromptSets;
import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.device.ComputeDevice;
import dev.asyncdiff.sample.TrajectoryJson;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.asyncdiff.eval.plot.MaskOverlay;
import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Samples prompts and writes trajectory.json, latents.safetensors and (when the backbone decodes) PNG images. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Sample with a synchronous or asynchronous sampler (Euler, Heun or DPM-Solver++(2M)) and write "
                + "trajectories and latents.")
final class SampleCommand implements Callable<Integer> {

    @Option(names = "--backbone", description = "backbone: tiny (embedded text-to-image model), gmm (exact mixture; "
            + "needs --gmm-spec), sd35 or flux (with --weights DIR) (default: gmm when --gmm-spec is "
            + "given, else tiny)", paramLabel = "tiny|gmm|flux|sd35")
    String backbone;

    @Option(names = "--gmm-spec", description = "JSON spec of the gmm backbone: {\"weights\":[..], \"means\":[[..],..], "
            + "\"stds\":[..]} or \"std\": s", paramLabel = "FILE")
    Path gmmSpec;

    @Option(names = "--weights", description = "tiny: a folder with tiny.safetensors and vocab.txt written by "
            + "train-base (default: the shipped weights); sd35, flux: the folder of a diffusers checkpoint "
            + "(model_index.json, transformer/, vae/, text_encoder*/, tokenizer*/)", paramLabel = "DIR")
    Path weights;

    @Option(names = "--image-size", description = "sd35, flux: side of the square images, a multiple of 16 "
            + "(default: " + Pipeline.DEFAULT_IMAGE_SIZE + ", the paper's)", paramLabel = "PX")
    Integer imageSize;

    @Mixin
    DeviceOption device;

    @ArgGroup(multiplicity = "1")
    Prompts prompts;

    /** Either prompts given one by one or a prompt set, not both. */
    static final class Prompts {
        @Option(names = "--prompt", required = true, description = "a prompt; repeat for several (gmm: \"\" or a "
                + "component index)", paramLabel = "PROMPT")
        List<String> given;

        @Option(names = "--prompts", required = true, description = "a prompt set instead of --prompt: "
                + "shapes:colour:val:16, coco:val:2048, … (see asyncdiff prompts --help)", paramLabel = "SPEC")
        String set;

        /** The prompts given one by one, or the set's. */
        List<String> list() {
            return given != null ? given : PromptSets.load(set).prompts();
        }
    }

    @Option(names = "--n", description = "samples per prompt (default: ${DEFAULT-VALUE})", defaultValue = "1",
            paramLabel = "N")
    int n;

    @Option(names = "--out", description = "output folder: new, empty or an earlier run's, which it replaces "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "out/sample", paramLabel = "DIR")
    Path out;

    @Mixin
    SamplingOptions sampling;

    @Override
    public Integer call() throws IOException {
        if (n < 1) {
            throw new IllegalArgumentException("--n must be at least 1 (got " + n + ")");
        }
        if (backbone == null) {
            backbone = gmmSpec != null ? "gmm" : "tiny";
        }
        ComputeDevice on = device.resolve(backbone);
        Pipeline p = sampling.applyTo(Backbones.pipeline(backbone, gmmSpec, weights, imageSize, on));
        List<String> list = prompts.list();
        p.model().validate(list);
        try (OutputFolder folder = OutputFolder.claim(out, "sample")) {
            Generation g = StepProgress.generate("sample", p, list, n);
            write(folder.dir(), g, p, on);
            folder.commit();
            System.out.printf("wrote %d samples (%d prompts x %d) to %s; mean deviation %+.4f%n", g.size(),
                    list.size(), n, out, g.meanDeviation());
        }
        return 0;
    }

    /** trajectory.json, latents.safetensors and the decoded images, if any, into {@code dir}. */
    private void write(Path dir, Generation g, Pipeline p, ComputeDevice on) throws IOException {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("backbone", backbone);
        config.put("device", on.cliName());
        config.put("schedule", p.schedule().spec());
        config.put("steps", Integer.toString(p.steps()));
        config.put("guidance", p.guidance().spec());
        config.put("policy", p.policy().spec());
        config.put("mode", p.mode().cliName);
        config.put("solver", p.solver().name());
        config.put("bound", p.bound().cliName);
        config.put("gamma", Double.toString(p.gamma()));
        config.put("sigma_min", Double.toString(p.sigmaMin()));
        config.put("seed", Long.toString(p.seed()));
        if (p.clock() instanceof dev.asyncdiff.asyndm.AsynDm a) {
            config.put("asyndm", a.spec());
        }
        if (prompts.set != null) {
            config.put("prompts", prompts.set.strip());
        }
        Map<String, Safetensors.Tensor> latents = new LinkedHashMap<>();
        latents.put("x_init", Safetensors.stack(g.xInit(), g.latentShape()));
        latents.put("x_final", Safetensors.stack(g.xFinal(), g.latentShape()));
        AtomicFiles.write(dir.resolve("latents.safetensors"), Safetensors.encode(latents));
        for (int i = 0; i < g.images().size(); i++) {
            var image = g.images().get(i);
            AtomicFiles.write(dir.resolve(String.format("sample_%04d.png", i)), o -> ImageIO.write(image, "png", o));
            var steps = g.trajectories().get(i).steps();
            var middle = steps.isEmpty() ? null : steps.get(steps.size() / 2).masked();
            if (middle != null) {
                var overlay = MaskOverlay.of(image, middle.mask(), 4);
                AtomicFiles.write(dir.resolve(String.format("sample_%04d_mask.png", i)),
                        o -> ImageIO.write(overlay, "png", o));
            }
        }
        TrajectoryJson.write(dir.resolve("trajectory.json"), g.grid(), g.trajectories(), config);
    }
}
