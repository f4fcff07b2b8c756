package dev.asyncdiff.model.t5;

import dev.asyncdiff.model.checkpoint.ComponentConfig;

/**
 * The dimensions of a T5 v1.1 encoder, read from its config.json (the fields transformers' T5Config takes; absent
 * optional fields take its defaults).
 *
 * @param buckets     relative_attention_num_buckets: half for keys before the query, half for keys after it
 * @param maxDistance relative_attention_max_distance: distances from here on share the last bucket
 */
public record T5Config(int dModel, int dKv, int heads, int layers, int dFf, int buckets, int maxDistance,
                       float eps) {
    static final String GATED_GELU = "gated-gelu";

    public static T5Config of(ComponentConfig c) {
        String ff = c.string("feed_forward_proj", "relu");
        if (!ff.equals(GATED_GELU)) {
            throw new IllegalArgumentException(c.file() + ": \"feed_forward_proj\" is " + ff + "; only T5 v1.1's "
                    + GATED_GELU + " encoder (T5-XXL of SD3.5 and Flux) is implemented");
        }
        return new T5Config(c.integer("d_model"), c.integer("d_kv"), c.integer("num_heads"), c.integer("num_layers"),
                c.integer("d_ff"), c.integer("relative_attention_num_buckets", 32),
                c.integer("relative_attention_max_distance", 128), (float) c.number("layer_norm_epsilon", 1e-6));
    }
}
