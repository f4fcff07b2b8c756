package dev.asyncdiff.model.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.RandomCheckpoint;
import dev.asyncdiff.model.checkpoint.ReferenceScript;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.asyncdiff.model.checkpoint.TransformerParity.TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java AutoencoderKL agrees with bench/reference/vae.py, an independent PyTorch implementation, on a small random
 * SD3.5-style VAE stored under the real key names (two blocks of widths 32 and 64, GroupNorm in 8 groups, mid-block
 * attention, no quant convolutions, SD3.5's scaling and shift), decoding and encoding, with F32 and BF16 weights, and
 * on a Flux-style one with quant convolutions. Needs Debian's python3-torch (CI installs it).
 */
public class AutoencoderKlParityTest {
    static final String CONFIG = """
            {"_class_name": "AutoencoderKL", "act_fn": "silu", "block_out_channels": [32, 64],
             "down_block_types": ["DownEncoderBlock2D", "DownEncoderBlock2D"], "in_channels": 3,
             "latent_channels": 4, "layers_per_block": 1, "mid_block_add_attention": true, "norm_num_groups": 8,
             "out_channels": 3, "sample_size": 32, "scaling_factor": %s, "shift_factor": %s,
             "up_block_types": ["UpDecoderBlock2D", "UpDecoderBlock2D"], "use_post_quant_conv": %s,
             "use_quant_conv": %s}""";
    /** An SD3.5-style configuration (scaling and shift of SD3.5), shared with the end-to-end pipeline tests. */
    public static final String SD35 = CONFIG.formatted(1.5305, 0.0609, false, false);
    /** A Flux-style configuration (Flux's scaling and shift, quant convolutions), shared likewise. */
    public static final String FLUX = CONFIG.formatted(0.3611, 0.1159, true, true);
    static final long[] LATENTS = {2, 4, 5, 6};
    static final long[] IMAGES = {2, 3, 10, 12};

    @TempDir
    static Path tmp;
    static RandomCheckpoint weights;
    static Map<String, Safetensors.Tensor> inputs;

    @BeforeAll
    static void randomWeightsAndInputs() throws IOException {
        SplittableRandom r = new SplittableRandom(23);
        weights = RandomCheckpoint.of(Architecture.AUTOENCODER_KL, SD35, tmp, r);
        inputs = new LinkedHashMap<>();
        inputs.put("latents", RandomCheckpoint.tensor(LATENTS, RandomCheckpoint.gaussian(r, LATENTS, 1)));
        inputs.put("images", RandomCheckpoint.tensor(IMAGES, RandomCheckpoint.gaussian(r, IMAGES, 0.5)));
    }

    record Outputs(float[] decoded, float[] encoded) {
    }

    static Outputs java(Path dir) {
        try (AutoencoderKl vae = AutoencoderKl.load(dir); NDManager m = NDManager.newBaseManager()) {
            NDArray decoded = vae.decode(RandomCheckpoint.array(m, inputs.get("latents")));
            NDArray encoded = vae.encode(RandomCheckpoint.array(m, inputs.get("images")));
            assertEquals(new Shape(2, 3, 10, 12), decoded.getShape());
            assertEquals(new Shape(2, 4, 5, 6), encoded.getShape());
            return new Outputs(decoded.toFloatArray(), encoded.toFloatArray());
        }
    }

    static Outputs reference(Path dir) throws Exception {
        Map<String, Safetensors.Tensor> out = ReferenceScript.run("vae.py", dir, inputs);
        return new Outputs(out.get("decoded").data(), out.get("encoded").data());
    }

    static void assertParity(Path dir) throws Exception {
        Outputs ref = reference(dir);
        Outputs java = java(dir);
        ReferenceScript.assertWithinTarget("decoded", java.decoded(), ref.decoded());
        ReferenceScript.assertWithinTarget("encoded", java.encoded(), ref.encoded());
        assertTrue(Discrepancy.between(new float[ref.decoded().length], ref.decoded()).maxRel() > 0.5,
                "the decoded image must not vanish");
    }

    @Test
    void f32WeightsMatchTheReference() throws Exception {
        assertParity(weights.folder(tmp.resolve("f32"), weights.weights(), "F32"));
    }

    @Test
    void bf16WeightsWidenedInJavaMatchTheReferenceReadingBf16() throws Exception {
        assertParity(weights.folder(tmp.resolve("bf16"), weights.weights(), "BF16"));
    }

    @Test
    void quantConvolutionsAndFluxFactorsFromTheConfigMatchTheReference() throws Exception {
        String flux = FLUX;
        Path dir = tmp.resolve("quant");
        RandomCheckpoint w = RandomCheckpoint.of(Architecture.AUTOENCODER_KL, flux, dir, new SplittableRandom(29));
        assertParity(w.folder(dir, w.weights(), "F32"));
    }

    @Test
    void decodingWithTheOtherModelsFactorsMissesTheReference() throws Exception {
        Outputs ref = reference(weights.folder(tmp.resolve("sd35"), weights.weights(), "F32"));
        RandomCheckpoint fluxFactors = new RandomCheckpoint(CONFIG.formatted(0.3611, 0.1159, false, false),
                weights.shapes(), weights.weights());
        Outputs flux = java(fluxFactors.folder(tmp.resolve("flux-factors"), weights.weights(), "F32"));
        Discrepancy d = Discrepancy.between(flux.decoded(), ref.decoded());
        assertTrue(d.maxRel() > 100 * TARGET, d.toString());
    }
}
