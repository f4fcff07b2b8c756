package dev.asyncdiff.model.checkpoint;

import dev.asyncdiff.Generation;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.DiffusersFlowModel;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.model.tokenize.PromptTokenizer;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The pieces of a whole diffusers folder of random weights under the real key names, for end-to-end tests of the
 * published backbones: components from {@link RandomCheckpoint}, tokenizer folders copied from the test fixtures,
 * small text-encoder configurations, and the token ids the pipeline references read.
 */
public final class RandomDiffusersFolder {
    /** A small CLIP text encoder: class, activation, width, projection_dim (ignored without a projection). */
    public static final String CLIP = """
            {"architectures": ["%s"], "hidden_act": "%s", "hidden_size": %d,
             "intermediate_size": 32, "layer_norm_eps": 1e-05, "max_position_embeddings": 77,
             "model_type": "clip_text_model", "num_attention_heads": 2, "num_hidden_layers": 2,
             "projection_dim": %d, "vocab_size": 20, "eos_token_id": 19}""";
    /** A small T5 encoder of width 32 over the unigram fixture's 10 pieces. */
    public static final String T5 = """
            {"architectures": ["T5EncoderModel"], "d_ff": 40, "d_kv": 8, "d_model": 32,
             "feed_forward_proj": "gated-gelu", "is_gated_act": true, "layer_norm_epsilon": 1e-06,
             "model_type": "t5", "num_heads": 4, "num_layers": 2, "relative_attention_max_distance": 20,
             "relative_attention_num_buckets": 16, "vocab_size": 10}""";

    private RandomDiffusersFolder() {
    }

    /** {@code root/name}: random F32 weights for {@code config} under the real key names. */
    public static void component(Path root, String name, Architecture a, String config, SplittableRandom r)
            throws IOException {
        component(root, name, a, config, r, "F32");
    }

    /** {@code root/name}: random weights for {@code config} under the real key names, stored in {@code dtype}. */
    public static void component(Path root, String name, Architecture a, String config, SplittableRandom r,
                                 String dtype) throws IOException {
        RandomCheckpoint c = RandomCheckpoint.of(a, config, Files.createDirectories(root.resolve("scratch-" + name)), r);
        c.folder(root.resolve(name), c.weights(), dtype);
    }

    /** {@code dir}: a copy of the test resource /tokenizers/{@code fixture}. */
    public static void tokenizer(Path dir, String fixture) throws IOException, URISyntaxException {
        Files.createDirectories(dir);
        Path from = Path.of(RandomDiffusersFolder.class.getResource("/tokenizers/" + fixture).toURI());
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
    }

    /** The prompts' ids from the tokenizer folder {@code dir} padded to {@code length}, as floats [B, length]. */
    public static Safetensors.Tensor ids(Path dir, int length, List<String> prompts) {
        try (PromptTokenizer tok = PromptTokenizer.open(dir, length)) {
            long[][] ids = tok.encode(prompts).ids();
            float[][] rows = new float[ids.length][length];
            for (int i = 0; i < ids.length; i++) {
                for (int j = 0; j < length; j++) {
                    rows[i][j] = ids[i][j];
                }
            }
            return Safetensors.stack(rows, new int[] {length});
        }
    }

    /**
     * Standard-normal latents and per-token times uniform in [0, 1), for one pass at per-token times: {@code map}
     * as the model takes it, {@code tmap} (the same values) as the pipeline references read it.
     */
    public record PerTokenPass(float[][] x, Timesteps.PerToken map, Safetensors.Tensor tmap) {
        public static PerTokenPass random(SplittableRandom r, int rows, int tokens, int latentSize) {
            float[][] x = new float[rows][];
            double[][] map = new double[rows][tokens];
            float[] data = new float[rows * tokens];
            for (int i = 0; i < rows; i++) {
                x[i] = RandomCheckpoint.gaussian(r, new long[] {latentSize}, 1);
                for (int p = 0; p < tokens; p++) {
                    data[i * tokens + p] = (float) r.nextDouble();
                    map[i][p] = data[i * tokens + p];
                }
            }
            return new PerTokenPass(x, new Timesteps.PerToken(map), new Safetensors.Tensor(new int[] {rows, tokens},
                    data));
        }
    }

    /**
     * Asserts that the final latents of {@code g} and the images {@code model} decodes from them agree with what the
     * pipeline reference {@code script} computes from {@code in} (which holds g's initial noise); returns the latents.
     */
    public static float[] assertSamplingParity(String script, Path root, Map<String, Safetensors.Tensor> in,
                                               Generation g, DiffusersFlowModel model)
            throws IOException, InterruptedException {
        Map<String, Safetensors.Tensor> ref = ReferenceScript.run(script, root, in);
        float[] latents = flat(g.xFinal());
        ReferenceScript.assertWithinTarget("final latents", latents, ref.get("latents").data());
        ReferenceScript.assertWithinTarget("decoded images", flat(model.decodeImages(g.xFinal())),
                ref.get("images").data());
        assertEquals(model.imageSize(), g.images().get(0).getWidth());
        return latents;
    }

    /** Latent rows as the references read them: [B, …latent shape]. */
    public static Safetensors.Tensor latents(float[][] rows, int[] latentShape) {
        int[] shape = new int[latentShape.length + 1];
        shape[0] = rows.length;
        System.arraycopy(latentShape, 0, shape, 1, latentShape.length);
        return new Safetensors.Tensor(shape, flat(rows));
    }

    /** Rows of equal length, one after another. */
    public static float[] flat(float[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * rows[i].length, rows[i].length);
        }
        return out;
    }
}
