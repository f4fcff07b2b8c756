package dev.asyncdiff.model.blip;

import dev.asyncdiff.model.checkpoint.StateDictShapes;
import dev.asyncdiff.model.checkpoint.TensorEntry;

import java.util.Map;

/**
 * The dimensions of BLIP's text encoder (med.py's BertModel with cross-attention; ImageReward's med_config.json:
 * width 768, 12 layers, 12 heads, intermediate 3072, 30524 token rows, 512 positions), read from the state dict's
 * shapes: the vocabulary and width from the word embeddings, the positions from their table, the intermediate
 * width from the first layer, the depth from the numbered layers.
 */
public record BlipTextConfig(int width, int layers, int heads, int intermediate, int vocabulary, int positions) {
    /** The key prefix of the text encoder in ImageReward's state dict. */
    public static final String PREFIX = "blip.text_encoder.";
    /** med_config.json's layer_norm_eps. */
    public static final float EPS = 1e-12f;

    public BlipTextConfig {
        if (width <= 0 || layers <= 0 || heads <= 0 || width % heads != 0) {
            throw new IllegalArgumentException("text width " + width + " must be a positive multiple of its " + heads
                    + " heads, with at least one layer (got " + layers + ")");
        }
    }

    /** The dimensions of the state dict's text encoder with {@code heads} heads. */
    public static BlipTextConfig of(Map<String, TensorEntry> tensors, int heads) {
        String words = PREFIX + "embeddings.word_embeddings.weight";
        return new BlipTextConfig(StateDictShapes.dim(tensors, words, 1, "text width"),
                StateDictShapes.count(tensors, PREFIX + "encoder.layer."), heads,
                StateDictShapes.dim(tensors, PREFIX + "encoder.layer.0.intermediate.dense.weight", 0,
                        "intermediate width"),
                StateDictShapes.dim(tensors, words, 0, "vocabulary"),
                StateDictShapes.dim(tensors, PREFIX + "embeddings.position_embeddings.weight", 0, "positions"));
    }
}
