package dev.asyncdiff.model.sd3;

import ai.djl.Device;
import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.io.Safetensors;
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
import dev.asyncdiff.schedule.StaticShiftGrid;
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
import java.util.stream.Stream;

import static dev.asyncdiff.model.checkpoint.RandomDiffusersFolder.CLIP;
import static dev.asyncdiff.model.checkpoint.RandomDiffusersFolder.T5;
import static dev.asyncdiff.model.checkpoint.RandomDiffusersFolder.flat;
import static dev.asyncdiff.model.checkpoint.TransformerParity.TARGET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SD3.5 end to end through its preset ({@link Pipeline#sd35(Path, int)}) on a small random diffusers folder stored under the real key names (two-layer MMDiT with dual
 * attention in layer 0, CLIP-L and bigG of different widths so that the joint tokens are zero-padded, a T5 encoder,
 * an SD3.5-style VAE, the tokenizer fixtures): prompt → tokens → encoders → Euler sampling with CFG on the shifted
 * grid → decoded image agrees with bench/reference/pipeline_sd3.py, composed independently from the component
 * references, synchronously and with a fixed deviation, and so does a guided pass at per-token times. Needs Debian's
 * python3-torch (CI installs it).
 */
public class Sd35FlowModelTest {
    static final String TRANSFORMER = """
            {"_class_name": "SD3Transformer2DModel", "attention_head_dim": 16, "caption_projection_dim": 32,
             "dual_attention_layers": [0], "in_channels": 4, "joint_attention_dim": 32, "num_attention_heads": 2,
             "num_layers": 2, "out_channels": 4, "patch_size": 2, "pooled_projection_dim": 20,
             "pos_embed_max_size": 8, "qk_norm": "rms_norm", "sample_size": 8}""";
    static final String WITH_PROJECTION = "CLIPTextModelWithProjection";
    static final String INDEX = """
            {"_class_name": "StableDiffusion3Pipeline",
             "scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"],
             "text_encoder": ["transformers", "CLIPTextModelWithProjection"],
             "text_encoder_2": ["transformers", "CLIPTextModelWithProjection"],
             "text_encoder_3": ["transformers", "T5EncoderModel"], "tokenizer": ["transformers", "CLIPTokenizer"],
             "tokenizer_2": ["transformers", "CLIPTokenizer"], "tokenizer_3": ["transformers", "T5TokenizerFast"],
             "transformer": ["diffusers", "SD3Transformer2DModel"], "vae": ["diffusers", "AutoencoderKL"]}""";
    /** The VAE (two blocks) halves the side once: a 16×16 image has an 8×8 latent of 4×4 patch tokens. */
    static final int IMAGE = 16;
    static final int TOKENS = 16;
    static final List<String> PROMPTS = List.of("a red cab", "cab");
    static final int STEPS = 3;
    static final double CFG = 5;

    @TempDir
    static Path tmp;
    static Path root;
    static Sd35FlowModel model;
    static Pipeline preset;

    @BeforeAll
    static void randomFolder() throws IOException, URISyntaxException {
        root = folder(tmp.resolve("sd35"), new SplittableRandom(23));
        model = Sd35FlowModel.load(root, IMAGE);
        preset = Pipeline.sd35(root, IMAGE);
    }

    @AfterAll
    static void close() {
        model.close();
        ((Sd35FlowModel) preset.model()).close();
    }

    /** A whole diffusers folder of random F32 weights for SD3.5 under {@code dir}. */
    public static Path folder(Path dir, SplittableRandom r) throws IOException, URISyntaxException {
        return folder(dir, r, "F32");
    }

    /** A whole diffusers folder of random weights for SD3.5 under {@code dir}, stored in {@code dtype}. */
    public static Path folder(Path dir, SplittableRandom r, String dtype) throws IOException, URISyntaxException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("model_index.json"), INDEX);
        RandomDiffusersFolder.component(dir, "transformer", Architecture.SD3_TRANSFORMER, TRANSFORMER, r, dtype);
        RandomDiffusersFolder.component(dir, "vae", Architecture.AUTOENCODER_KL, AutoencoderKlParityTest.SD35, r,
                dtype);
        RandomDiffusersFolder.component(dir, "text_encoder", Architecture.CLIP_TEXT_WITH_PROJECTION,
                CLIP.formatted(WITH_PROJECTION, "quick_gelu", 8, 8), r, dtype);
        RandomDiffusersFolder.component(dir, "text_encoder_2", Architecture.CLIP_TEXT_WITH_PROJECTION,
                CLIP.formatted(WITH_PROJECTION, "gelu", 16, 12), r, dtype);
        RandomDiffusersFolder.component(dir, "text_encoder_3", Architecture.T5_ENCODER, T5, r, dtype);
        RandomDiffusersFolder.tokenizer(dir.resolve("tokenizer"), "tiny-bpe");
        RandomDiffusersFolder.tokenizer(dir.resolve("tokenizer_2"), "tiny-bpe");
        RandomDiffusersFolder.tokenizer(dir.resolve("tokenizer_3"), "tiny-unigram");
        return dir;
    }

    @Test
    void synchronousSamplingMatchesTheReferencePipeline() throws Exception {
        Generation g = pipeline().sync().generate(PROMPTS, 1);
        assertSamplingParity(g, 1.0);
    }

    @Test
    void asynchronousSamplingWithAFixedDeviationMatchesTheReferencePipeline() throws Exception {
        Generation async = pipeline().async(new FixedDeviationPolicy(0.3)).generate(PROMPTS, 1);
        float[] asyncLatents = assertSamplingParity(async, 1.3);
        Generation sync = pipeline().sync().generate(PROMPTS, 1);
        assertTrue(Discrepancy.between(flat(sync.xFinal()), asyncLatents).maxRel() > 100 * TARGET,
                "the deviation must move the result");
    }

    @Test
    void aGuidedPassAtPerTokenTimesMatchesTheReference() throws Exception {
        RandomDiffusersFolder.PerTokenPass pass = RandomDiffusersFolder.PerTokenPass.random(new SplittableRandom(5),
                PROMPTS.size(), TOKENS, model.latentSize());
        float[][] x = pass.x();
        float[][] both = model.velocity(concat(x, x), pass.map().concat(pass.map()),
                model.encode(PROMPTS).concat(model.unconditional(x.length)));
        float[] guided = new float[x.length * model.latentSize()];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < model.latentSize(); j++) {
                float vc = both[i][j];
                float vu = both[x.length + i][j];
                guided[i * model.latentSize() + j] = vu + (float) CFG * (vc - vu);
            }
        }
        Map<String, Safetensors.Tensor> in = inputs(x, 1, 1.0);
        in.put("tmap", pass.tmap());
        ReferenceScript.assertWithinTarget("per-token guided velocity", guided,
                ReferenceScript.run("pipeline_sd3.py", root, in).get("v").data());
    }

    @Test
    void attentionColumnsAreTheTokensOfBothTextStreams() {
        Sd35Conditioning c = model.encode(PROMPTS);
        List<String> words = model.tokenWords(c, 0);
        assertEquals(PromptTokenizer.CLIP_LENGTH + PromptTokenizer.T5_LENGTH_SD3, words.size());
        assertEquals(List.of("a", "red", "cab"), words.subList(1, 4));
        assertEquals("", words.get(PromptTokenizer.CLIP_LENGTH - 1));
        float[][][][] maps = model.crossAttention(new float[][] {new float[model.latentSize()]},
                new Timesteps.PerSample(new double[] {0.5}), model.encode(List.of("a red cab")));
        assertEquals(List.of(2, 1, TOKENS, words.size()),
                List.of(maps.length, maps[0].length, maps[0][0].length, maps[0][0][0].length));
        double sum = 0;
        for (float p : maps[1][0][5]) {
            sum += p;
        }
        assertEquals(1.0, sum, 1e-5);
    }

    @Test
    void theCudaPlanOnTheCpuSamplesWithinThreeTimesWhatRoundingTheWeightsToFp16Moves() throws Exception {
        // the same random weights, stored in F16: widened on the CPU, FP32 arithmetic on FP16-rounded weights
        Path f16 = folder(tmp.resolve("sd35-f16"), new SplittableRandom(23), "F16");
        try (Sd35FlowModel rounded = Sd35FlowModel.load(f16, IMAGE);
             Sd35FlowModel plan = Sd35FlowModel.load(root, IMAGE,
                     Precision.of(ComputeDevice.CUDA).on(Device.cpu()), T5Residency.AUTO)) {
            PlanComparison.assertFp16PlanWithin(3, pipeline().sync(), rounded, plan, PROMPTS);
        }
    }

    @Test
    void aStreamedT5GivesTheResidentConditioningBitForBit() {
        try (Sd35FlowModel streamed = Sd35FlowModel.load(root, IMAGE, Precision.of(ComputeDevice.CPU),
                T5Residency.STREAMED)) {
            Sd35Conditioning a = model.encode(PROMPTS);
            Sd35Conditioning b = streamed.encode(PROMPTS);
            assertArrayEquals(flat(a.context()), flat(b.context()));
            assertArrayEquals(flat(a.pooled()), flat(b.pooled()));
        }
    }

    @Test
    void aFolderWithoutT5IsRefusedNamingIt() throws Exception {
        Path broken = folder(tmp.resolve("no-t5"), new SplittableRandom(3));
        try (Stream<Path> files = Files.walk(broken.resolve("text_encoder_3"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sd35FlowModel.load(broken, IMAGE));
        assertTrue(e.getMessage().contains("text_encoder_3"), e.getMessage());
    }

    @Test
    void anImageSizeOffTheLatentGridIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sd35FlowModel.load(root, 18));
        assertTrue(e.getMessage().contains("multiple of 4"), e.getMessage());
    }

    /** The paper's preset (shift 3, CFG 5) on the folder, with fewer steps. */
    private static Pipeline pipeline() {
        return preset.steps(STEPS);
    }

    private static float[] assertSamplingParity(Generation g, double eta) throws Exception {
        return RandomDiffusersFolder.assertSamplingParity("pipeline_sd3.py", root, inputs(g.xInit(), STEPS, eta), g, model);
    }

    private static Map<String, Safetensors.Tensor> inputs(float[][] noise, int steps, double eta) {
        Map<String, Safetensors.Tensor> in = new LinkedHashMap<>();
        ids(in, "ids", PROMPTS);
        ids(in, "empty", List.of(""));
        in.put("noise", RandomDiffusersFolder.latents(noise, model.latentShape()));
        in.put("settings", new Safetensors.Tensor(new int[] {4},
                new float[] {steps, (float) StaticShiftGrid.SD3_SHIFT, (float) CFG, (float) eta}));
        return in;
    }

    /** Token ids of each tokenizer of the folder, as the reference reads them. */
    private static void ids(Map<String, Safetensors.Tensor> in, String prefix, List<String> prompts) {
        int clip = PromptTokenizer.CLIP_LENGTH;
        in.put(prefix + "_l", RandomDiffusersFolder.ids(root.resolve("tokenizer"), clip, prompts));
        in.put(prefix + "_g", RandomDiffusersFolder.ids(root.resolve("tokenizer_2"), clip, prompts));
        in.put(prefix + "_t5", RandomDiffusersFolder.ids(root.resolve("tokenizer_3"), PromptTokenizer.T5_LENGTH_SD3,
                prompts));
    }

    private static float[][] concat(float[][] a, float[][] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(float[][]::new);
    }
}
