package dev.asyncdiff.model.clip;

import ai.djl.ndarray.NDArray;
import dev.asyncdiff.model.checkpoint.ComponentConfig;
import dev.asyncdiff.model.layers.Layers;

/**
 * The dimensions of a CLIP text encoder, read from its config.json (the fields transformers' CLIPTextConfig takes).
 *
 * @param eosTokenId the configured end-of-text id; the legacy value 2 of OpenAI's configs means "pool at the largest
 *                   id", which is where the end-of-text token sits in CLIP's vocabulary
 */
public record ClipConfig(int width, int layers, int heads, int maxPositions, Activation activation, float eps,
                         int eosTokenId) {
    /** transformers' CLIPTextConfig defaults, used where a config leaves a field out. */
    static final double DEFAULT_EPS = 1e-5;
    static final int DEFAULT_EOS = 49407;
    /** The eos_token_id that older configs carry (transformers PR #24773): pooling then takes the argmax id. */
    static final int LEGACY_EOS = 2;

    /** The MLP's nonlinearity: CLIP-L's quick GELU or OpenCLIP-bigG's exact GELU. */
    public enum Activation {
        QUICK_GELU, GELU;

        static Activation parse(ComponentConfig c) {
            String name = c.string("hidden_act", "quick_gelu");
            return switch (name) {
                case "quick_gelu" -> QUICK_GELU;
                case "gelu" -> GELU;
                default -> throw new IllegalArgumentException(c.file() + ": \"hidden_act\" must be quick_gelu or gelu "
                        + "(got " + name + ")");
            };
        }

        NDArray apply(NDArray x) {
            return this == QUICK_GELU ? Layers.quickGelu(x) : Layers.gelu(x);
        }
    }

    public static ClipConfig of(ComponentConfig c) {
        return new ClipConfig(c.integer("hidden_size"), c.integer("num_hidden_layers"),
                c.integer("num_attention_heads"), c.integer("max_position_embeddings"), Activation.parse(c),
                (float) c.number("layer_norm_eps", DEFAULT_EPS), c.integer("eos_token_id", DEFAULT_EOS));
    }
}
