package dev.asyncdiff.bench;

import ai.djl.ndarray.NDManager;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.ComponentConfig;
import dev.asyncdiff.model.checkpoint.ExpectedTensor;
import dev.asyncdiff.model.checkpoint.Manifest;
import dev.asyncdiff.model.checkpoint.PublishedTransformer;
import dev.asyncdiff.model.flux.FluxConfig;
import dev.asyncdiff.model.gmm.GmmSpec;
import dev.asyncdiff.model.sd3.Sd3Config;
import dev.asyncdiff.tpm.Tpm;
import dev.asyncdiff.tpm.TpmConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FlopCountTest {
    @Test
    void theTpmCountMatchesAHandComputationOfTheDocumentedFormula() {
        // P = 2 positions of E = 1 entry, no text, w = 4, one layer, one read-out: N = 1 + 2 + 3 = 6 tokens
        TpmConfig c = new TpmConfig("toy", new int[] {2}, 2, 0, 0, 4, 1, 1, 1);
        double latent = 2 * 2 * 3 * 4;                  // 2·P·3E·w
        double time = 2 * 3 * 64 * 4;                   // 2·3·F·w
        double layer = 24 * 6 * 16 + 4 * 36 * 4;        // 24·N·w² + 4·N²·w
        double head = 2 * 4 * 4 + 2 * 4 * 2;            // 2·R·w·w + 2·w·2
        assertEquals(latent + time + layer + head, FlopCount.tpm(c).flops());
    }

    @Test
    void theTpmParameterCountIsTheRealTpms() {
        GmmSpec spec = new GmmSpec(new double[] {1}, new double[][] {{0, 0}}, new double[] {1});
        try (NDManager m = NDManager.newBaseManager()) {
            for (Pipeline p : new Pipeline[] {Pipeline.tiny(), Pipeline.gmm(spec)}) {
                TpmConfig c = TpmConfig.forModel(p.backbone(), p.model());
                assertEquals(Tpm.initialize(m, c, 1).params().count(), FlopCount.tpm(c).parameters(), p.backbone());
            }
        }
    }

    /** SD3: width 8 (2 heads × 4), dual attention in layer 0 of 2, patch 2 on 4 channels, 4 image + 3 text tokens. */
    static final String SMALL_SD3 = """
            {"_class_name": "SD3Transformer2DModel", "attention_head_dim": 4, "caption_projection_dim": 8,
             "dual_attention_layers": [0], "in_channels": 4, "joint_attention_dim": 6, "num_attention_heads": 2,
             "num_layers": 2, "out_channels": 4, "patch_size": 2, "pooled_projection_dim": 5,
             "pos_embed_max_size": 4, "qk_norm": "rms_norm"}""";
    /** Flux: width 12 (2 heads × 6), one double- and one single-stream block, 16 packed channels, guidance. */
    static final String SMALL_FLUX = """
            {"_class_name": "FluxTransformer2DModel", "attention_head_dim": 6, "axes_dims_rope": [2, 2, 2],
             "guidance_embeds": true, "in_channels": 16, "joint_attention_dim": 6, "num_attention_heads": 2,
             "num_layers": 1, "num_single_layers": 1, "patch_size": 1, "pooled_projection_dim": 5}""";

    static ComponentConfig config(String json) {
        return ComponentConfig.parse(Path.of("small", "config.json"), json);
    }

    @Test
    void theSd3CountOfASmallConfigIsTheHandCount() {
        // Every linear layer 2·in·out·rows, every attention 4·N²·D; D = 8, N_i = 4, N_t = 3
        double embed = 2 * 16 * 8 * 4            // patch embedding, C·p² = 16
                + 2 * 256 * 8 + 2 * 8 * 8        // timestep MLP
                + 2 * 5 * 8 + 2 * 8 * 8          // pooled-text MLP
                + 2 * 6 * 8 * 3;                 // context embedder
        double dualBlock = 2 * 8 * 72 + 2 * 8 * 48 // adaLN: image 9D, text 6D
                + 4 * 2 * 64 * 4 + 2 * 2 * 8 * 32 * 4 // image q, k, v, out; MLP 8 → 32 → 8
                + 4 * 2 * 64 * 3 + 2 * 2 * 8 * 32 * 3 // text q, k, v, to_add_out; MLP
                + 4 * 49 * 8                     // joint attention over 7 tokens
                + 4 * 2 * 64 * 4 + 4 * 16 * 8;   // attn2 over the 4 image tokens
        double lastBlock = 2 * 8 * 48 + 2 * 8 * 16 // adaLN: image 6D, text 2D
                + 4 * 2 * 64 * 4 + 2 * 2 * 8 * 32 * 4 // image as above
                + 3 * 2 * 64 * 3                 // text q, k, v only
                + 4 * 49 * 8;
        double out = 2 * 8 * 16 + 2 * 8 * 16 * 4; // final adaLN 2D, proj_out to p²·C = 16 per token
        assertEquals(33712, embed + dualBlock + lastBlock + out);
        assertEquals(33712, FlopCount.sd3(Sd3Config.of(config(SMALL_SD3)), 4, 3).flops());
    }

    @Test
    void theFluxCountOfASmallConfigIsTheHandCount() {
        // D = 12, N_i = 4, N_t = 3, N = 7
        double embed = 2 * 16 * 12 * 4 + 2 * 6 * 12 * 3 // x_embedder, context_embedder
                + 2 * (2 * 256 * 12 + 2 * 144)   // timestep and guidance MLPs
                + 2 * 5 * 12 + 2 * 144;          // pooled-text MLP
        double doubleBlock = 2 * 2 * 12 * 72     // two adaLN-Zero, 6D each
                + 4 * 2 * 144 * 7 + 2 * 2 * 12 * 48 * 7 // both streams' q, k, v, out and MLPs over 7 tokens
                + 4 * 49 * 12;
        double singleBlock = 2 * 12 * 36         // adaLN 3D
                + 3 * 2 * 144 * 7 + 2 * 12 * 48 * 7 + 2 * 60 * 12 * 7 // q, k, v; proj_mlp; proj_out 5D → D
                + 4 * 49 * 12;
        double out = 2 * 12 * 24 + 2 * 12 * 16 * 4;
        assertEquals(74760, embed + doubleBlock + singleBlock + out);
        assertEquals(74760, FlopCount.flux(FluxConfig.of(config(SMALL_FLUX)), 4, 3).flops());
    }

    /** The manifest's parameters less the norm weights (q/k RMSNorm scales), which FlopCount leaves out. */
    static double withoutNormWeights(Manifest m) {
        return m.parameters() - m.tensors().values().stream()
                .filter(e -> e.role() == ExpectedTensor.Role.PARAMETER && e.name().contains(".norm_"))
                .mapToLong(ExpectedTensor::elements).sum();
    }

    @Test
    void theLayerListsHoldTheManifestsParametersBesideTheNormWeights() {
        assertEquals(withoutNormWeights(Architecture.SD3_TRANSFORMER.manifest(config(SMALL_SD3))),
                FlopCount.sd3(Sd3Config.of(config(SMALL_SD3)), 4, 3).parameters());
        assertEquals(withoutNormWeights(Architecture.FLUX_TRANSFORMER.manifest(config(SMALL_FLUX))),
                FlopCount.flux(FluxConfig.of(config(SMALL_FLUX)), 4, 3).parameters());
        assertEquals(withoutNormWeights(PublishedTransformer.SD35_MEDIUM.manifest()),
                FlopCount.sd3(Sd3Config.sd35Medium(), 1024, 333).parameters());
        assertEquals(withoutNormWeights(PublishedTransformer.FLUX1_DEV.manifest()),
                FlopCount.fluxDev512().parameters());
    }

    @Test
    void theFluxLayerListHoldsFluxDevsPublishedParameterCount() {
        // Flux.1-dev's transformer: about 11.9 B parameters (norm weights, which hold no FLOPs, are left out here)
        assertEquals(11.9e9, FlopCount.fluxDev512().parameters(), 0.01 * 11.9e9);
    }
}
