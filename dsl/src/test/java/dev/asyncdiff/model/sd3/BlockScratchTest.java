package dev.asyncdiff.model.sd3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.bench.SyntheticWeights;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.ComponentConfig;
import dev.asyncdiff.model.flux.FluxConfig;
import dev.asyncdiff.model.flux.FluxTransformer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each transformer block's temporaries are freed when the block ends: the arrays a forward pass leaves in its manager
 * do not grow with the number of blocks (without the scratch every block left dozens, about 1 GiB per SD3.5-medium
 * block at 512×512), for per-sample and per-token times alike.
 */
class BlockScratchTest {
    static ComponentConfig config(String json) {
        return ComponentConfig.parse(Path.of("small", "config.json"), json);
    }

    static String sd3(int layers) {
        return """
                {"_class_name": "SD3Transformer2DModel", "attention_head_dim": 4, "caption_projection_dim": 8,
                 "dual_attention_layers": [0], "in_channels": 4, "joint_attention_dim": 6, "num_attention_heads": 2,
                 "num_layers": %d, "out_channels": 4, "patch_size": 2, "pooled_projection_dim": 5,
                 "pos_embed_max_size": 4, "qk_norm": "rms_norm"}""".formatted(layers);
    }

    static String flux(int blocks) {
        return """
                {"_class_name": "FluxTransformer2DModel", "attention_head_dim": 6, "axes_dims_rope": [2, 2, 2],
                 "guidance_embeds": true, "in_channels": 16, "joint_attention_dim": 6, "num_attention_heads": 2,
                 "num_layers": %d, "num_single_layers": %d, "patch_size": 1, "pooled_projection_dim": 5}"""
                .formatted(blocks, blocks);
    }

    /** Arrays left in the pass's manager after one forward pass at times {@code t} (a function of the manager). */
    static int leftBySd3(int layers, Function<NDManager, NDArray> t) {
        ComponentConfig c = config(sd3(layers));
        NDManager weights = NDManager.newBaseManager();
        try (Sd3Transformer model = Sd3Transformer.of(weights, Sd3Config.of(c),
                SyntheticWeights.draw(weights, Architecture.SD3_TRANSFORMER.manifest(c), 1));
             NDManager pass = NDManager.newBaseManager()) {
            model.velocity(pass.randomNormal(new Shape(2, 4, 4, 4)), t.apply(pass),
                    pass.randomNormal(new Shape(2, 3, 6)), pass.randomNormal(new Shape(2, 5)));
            return pass.getManagedArrays().size();
        }
    }

    static int leftByFlux(int blocks, Function<NDManager, NDArray> t) {
        ComponentConfig c = config(flux(blocks));
        NDManager weights = NDManager.newBaseManager();
        try (FluxTransformer model = FluxTransformer.of(weights, FluxConfig.of(c),
                SyntheticWeights.draw(weights, Architecture.FLUX_TRANSFORMER.manifest(c), 1));
             NDManager pass = NDManager.newBaseManager()) {
            model.velocity(pass.randomNormal(new Shape(2, 4, 4, 4)), t.apply(pass), pass.full(new Shape(2), 3.5f),
                    pass.randomNormal(new Shape(2, 3, 6)), pass.randomNormal(new Shape(2, 5)));
            return pass.getManagedArrays().size();
        }
    }

    @Test
    void anSd3PassLeavesAsManyArraysWithFourLayersAsWithTwo() {
        Function<NDManager, NDArray> perSample = m -> m.full(new Shape(2), 500f);
        Function<NDManager, NDArray> perToken = m -> m.randomUniform(0, 1000, new Shape(2, 4));
        for (Function<NDManager, NDArray> t : java.util.List.of(perSample, perToken)) {
            int two = leftBySd3(2, t);
            assertTrue(two > 0);
            assertEquals(two, leftBySd3(4, t));
        }
    }

    @Test
    void aFluxPassLeavesAsManyArraysWithTwoBlocksOfEachKindAsWithOne() {
        Function<NDManager, NDArray> perSample = m -> m.full(new Shape(2), 0.5f);
        Function<NDManager, NDArray> perToken = m -> m.randomUniform(0, 1, new Shape(2, 4));
        for (Function<NDManager, NDArray> t : java.util.List.of(perSample, perToken)) {
            int one = leftByFlux(1, t);
            assertTrue(one > 0);
            assertEquals(one, leftByFlux(2, t));
        }
    }
}
