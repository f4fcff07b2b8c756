package dev.asyncdiff.model.checkpoint;

/**
 * transformers' CLIPTextModel and CLIPTextModelWithProjection (CLIP-L, OpenCLIP-bigG): token and position
 * embeddings, pre-LayerNorm encoder layers (self-attention with biased q/k/v/out projections, a two-layer MLP), the
 * final LayerNorm, and for the projection variant a bias-free text projection.
 */
final class ClipTextManifest {
    private ClipTextManifest() {
    }

    static Manifest of(ComponentConfig c, boolean projection) {
        ManifestBuilder b = new ManifestBuilder();
        textTower(b, c);
        if (projection) {
            b.linearNoBias("text_projection", c.integer("hidden_size"), c.integer("projection_dim"));
            return b.build("CLIPTextModelWithProjection");
        }
        return b.build("CLIPTextModel");
    }

    /** The {@code text_model.*} tensors of a text config (also the text tower of a CLIPModel). */
    static void textTower(ManifestBuilder b, ComponentConfig c) {
        long dim = c.integer("hidden_size");
        long positions = c.integer("max_position_embeddings");
        b.weight("text_model.embeddings.token_embedding.weight", c.integer("vocab_size"), dim);
        b.weight("text_model.embeddings.position_embedding.weight", positions, dim);
        b.tensor("text_model.embeddings.position_ids", ExpectedTensor.Role.OPTIONAL, 1, positions);
        encoderLayers(b, "text_model.encoder.layers.", c);
        b.affineNorm("text_model.final_layer_norm", dim);
    }

    /**
     * transformers' CLIPEncoder, shared by the text and vision towers: {@code num_hidden_layers} layers of
     * layer_norm1, self_attn (q/k/v/out projections with biases), layer_norm2 and mlp (fc1, fc2).
     */
    static void encoderLayers(ManifestBuilder b, String prefix, ComponentConfig c) {
        long dim = c.integer("hidden_size");
        long mlp = c.integer("intermediate_size");
        for (int i = 0; i < c.integer("num_hidden_layers"); i++) {
            String p = prefix + i;
            b.linear(p + ".self_attn.k_proj", dim, dim).linear(p + ".self_attn.v_proj", dim, dim)
                    .linear(p + ".self_attn.q_proj", dim, dim).linear(p + ".self_attn.out_proj", dim, dim);
            b.affineNorm(p + ".layer_norm1", dim);
            b.linear(p + ".mlp.fc1", dim, mlp).linear(p + ".mlp.fc2", mlp, dim);
            b.affineNorm(p + ".layer_norm2", dim);
        }
    }
}
