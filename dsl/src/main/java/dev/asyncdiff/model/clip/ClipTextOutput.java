package dev.asyncdiff.model.clip;

import ai.djl.ndarray.NDArray;

/**
 * What a CLIP text encoder gives for token ids [B, T].
 *
 * @param penultimate the input of the last layer, hidden_states[−2] [B, T, D], no final LayerNorm (SD3's text tokens)
 * @param last        the last layer's output after the final LayerNorm [B, T, D]
 * @param pooled      {@code last} at each row's end-of-text token [B, D] (Flux's pooled CLIP-L embedding)
 * @param projected   {@code pooled} through text_projection [B, P] (SD3's pooled embeddings); null for a
 *                    CLIPTextModel, which has no projection
 */
public record ClipTextOutput(NDArray penultimate, NDArray last, NDArray pooled, NDArray projected) {
}
