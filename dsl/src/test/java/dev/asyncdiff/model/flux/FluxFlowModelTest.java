package dev.asyncdiff.model.flux;

import ai.djl.Device;
import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.RandomDiffusersFolder;
import dev.asyncdiff.model.checkpoint.ReferenceScript;
import dev.asyncdiff.model.device.ComputeDevice;
import dev.asyncdiff.model.device.PlanComparison;
import dev.asyncdiff.model.device.Precision;
import dev.asyncdiff.model.t5.T5Residency;
import dev.asyncdiff.model.tokenize.PromptTokenizer;
import dev.asyncdiff.model.vae.AutoencoderKlParityTest;
import dev.asyncdiff.policy.FixedDeviationPolicy;
import dev.asyncdiff.schedule.FluxShiftGrid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.asyncdiff.model.checkpoint.RandomDiffusersFolder.CLIP;
import static dev.asyncdiff.model.checkpoint.RandomDiffusersFolder.T5;
import static dev.asyncdiff.model.checkpoint.RandomDiffusersFolder.flat;
import static dev.asyncdiff.model.checkpoint.TransformerParity.TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flux.1-dev end to end through its preset ({@link Pipeline#flux(Path, int)}: dynamic shift, distilled guidance
 * 3.5) on a small random diffusers folder stored under the real key names (one double- and one single-stream block
 * with guidance embeddings, CLIP-L without projection, T5, a VAE with Flux's factors and quant convolutions, the
 * tokenizer fixtures): prompt → tokens → encoders → Euler sampling → decoded image agrees with
 * bench/reference/pipeline_flux.py, composed independently from the component references, synchronously and with a
 * fixed deviation, and so does a pass at per-token times. Needs Debian's python3-torch (CI installs it).
 */
public class FluxFlowModelTest {
    static final String TRANSFORMER = """
            {"_class_name": "FluxTransformer2DModel", "attention_head_dim": 16, "axes_dims_rope": [4, 6, 6],
             "guidance_embeds": true, "in_channels": 16, "joint_attention_dim": 32, "num_attention_heads": 2,
             "num_layers": 1, "num_single_layers": 1, "patch_size": 1, "pooled_projection_dim": 16}""";
    static final String INDEX = """
            {"_class_name": "FluxPipeline", "scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"],
             "text_encoder": ["transformers", "CLIPTextModel"], "text_encoder_2": ["transformers", "T5EncoderModel"],
             "tokenizer": ["transformers", "CLIPTokenizer"], "tokenizer_2": ["transformers", "T5TokenizerFast"],
             "transformer": ["diffusers", "FluxTransformer2DModel"], "vae": ["diffusers", "AutoencoderKL"]}""";
    /** The VAE (two blocks) halves the side once: a 16×16 image has an 8×8 latent of 4×4 packed tokens. */
    static final int IMAGE = 16;
    static final int TOKENS = 16;
    static final List<String> PROMPTS = List.of("a red cab", "cab");
    static final int STEPS = 3;

    @TempDir
    static Path tmp;
    static Path root;
    static Pipeline preset;
    static FluxFlowModel model;

    @BeforeAll
    static void randomFolder() throws IOException, URISyntaxException {
        root = folder(tmp.resolve("flux"), new SplittableRandom(29), "F32");
        preset = Pipeline.flux(root, IMAGE);
        model = (FluxFlowModel) preset.model();
    }

    /** A whole diffusers folder of random weights for Flux.1-dev under {@code dir}, stored in {@code dtype}. */
    public static Path folder(Path dir, SplittableRandom r, String dtype) throws IOException, URISyntaxException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("model_index.json"), INDEX);
        RandomDiffusersFolder.component(dir, "transformer", Architecture.FLUX_TRANSFORMER, TRANSFORMER, r, dtype);
        RandomDiffusersFolder.component(dir, "vae", Architecture.AUTOENCODER_KL, AutoencoderKlParityTest.FLUX, r,
                dtype);
        RandomDiffusersFolder.component(dir, "text_encoder", Architecture.CLIP_TEXT,
                CLIP.formatted("CLIPTextModel", "quick_gelu", 16, 16), r, dtype);
        RandomDiffusersFolder.component(dir, "text_encoder_2", Architecture.T5_ENCODER, T5, r, dtype);
        RandomDiffusersFolder.tokenizer(dir.resolve("tokenizer"), "tiny-bpe");
        RandomDiffusersFolder.tokenizer(dir.resolve("tokenizer_2"), "tiny-unigram");
        return dir;
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void thePresetsGridShiftsForThePackedTokenCount() {
        assertEquals(TOKENS, model.positions());
        assertEquals(new FluxShiftGrid(TOKENS).spec(), preset.schedule().spec());
    }

    @Test
    void synchronousSamplingMatchesTheReferencePipeline() throws Exception {
        assertSamplingParity(preset.steps(STEPS).sync().generate(PROMPTS, 1), 1.0);
    }

    @Test
    void asynchronousSamplingWithAFixedDeviationMatchesTheReferencePipeline() throws Exception {
        Generation async = preset.steps(STEPS).async(new FixedDeviationPolicy(0.3)).generate(PROMPTS, 1);
        float[] asyncLatents = assertSamplingParity(async, 1.3);
        Generation sync = preset.steps(STEPS).sync().generate(PROMPTS, 1);
        assertTrue(Discrepancy.between(flat(sync.xFinal()), asyncLatents).maxRel() > 100 * TARGET,
                "the deviation must move the result");
    }

    @Test
    void theCudaPlanOnTheCpuSamplesWithinThreeTimesWhatRoundingTheWeightsToFp16Moves() throws Exception {
        // the same random weights, stored in F16: widened on the CPU, FP32 arithmetic on FP16-rounded weights
        Path f16 = folder(tmp.resolve("flux-f16"), new SplittableRandom(29), "F16");
        try (FluxFlowModel rounded = FluxFlowModel.load(f16, IMAGE);
             FluxFlowModel plan = FluxFlowModel.load(root, IMAGE,
                     Precision.of(ComputeDevice.CUDA).on(Device.cpu()), T5Residency.AUTO)) {
            PlanComparison.assertFp16PlanWithin(3, preset.steps(STEPS).sync(), rounded, plan, PROMPTS);
        }
    }

    @Test
    void aPassAtPerTokenTimesMatchesTheReference() throws Exception {
        RandomDiffusersFolder.PerTokenPass pass = RandomDiffusersFolder.PerTokenPass.random(new SplittableRandom(7),
                PROMPTS.size(), TOKENS, model.latentSize());
        Conditioning c = model.withGuidanceInput(model.encode(PROMPTS), Pipeline.FLUX_GUIDANCE);
        float[] v = flat(model.velocity(pass.x(), pass.map(), c));
        Map<String, Safetensors.Tensor> in = inputs(pass.x(), 1, 1.0);
        in.put("tmap", pass.tmap());
        ReferenceScript.assertWithinTarget("per-token velocity", v,
                ReferenceScript.run("pipeline_flux.py", root, in).get("v").data());
    }

    @Test
    void attentionColumnsAreT5sTokensInEveryBlock() {
        Conditioning c = model.withGuidanceInput(model.encode(List.of("a red cab")), Pipeline.FLUX_GUIDANCE);
        assertEquals(PromptTokenizer.T5_LENGTH_FLUX, model.tokenWords(c, 0).size());
        float[][][][] maps = model.crossAttention(new float[][] {new float[model.latentSize()]},
                new Timesteps.PerSample(new double[] {0.5}), c);
        assertEquals(List.of(2, 1, TOKENS, PromptTokenizer.T5_LENGTH_FLUX),
                List.of(maps.length, maps[0].length, maps[0][0].length, maps[0][0][0].length));
    }

    @Test
    void aPassWithoutAGuidanceInputIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> model.velocity(new float[][] {new float[model.latentSize()]},
                        new Timesteps.PerSample(new double[] {0.5}), model.encode(List.of("cab"))));
        assertTrue(e.getMessage().contains("distilled guidance"), e.getMessage());
    }

    private static float[] assertSamplingParity(Generation g, double eta) throws Exception {
        return RandomDiffusersFolder.assertSamplingParity("pipeline_flux.py", root, inputs(g.xInit(), STEPS, eta), g, model);
    }

    private static Map<String, Safetensors.Tensor> inputs(float[][] noise, int steps, double eta) {
        Map<String, Safetensors.Tensor> in = new LinkedHashMap<>();
        in.put("ids_clip", RandomDiffusersFolder.ids(root.resolve("tokenizer"), PromptTokenizer.CLIP_LENGTH, PROMPTS));
        in.put("ids_t5", RandomDiffusersFolder.ids(root.resolve("tokenizer_2"), PromptTokenizer.T5_LENGTH_FLUX,
                PROMPTS));
        in.put("noise", RandomDiffusersFolder.latents(noise, model.latentShape()));
        in.put("settings", new Safetensors.Tensor(new int[] {3},
                new float[] {steps, (float) Pipeline.FLUX_GUIDANCE, (float) eta}));
        return in;
    }
}
