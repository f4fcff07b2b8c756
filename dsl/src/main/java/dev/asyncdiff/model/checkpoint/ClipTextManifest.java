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
        long dim = c.integer("hidden_size");
        long mlp = c.integer("intermediate_size");
        long positions = c.integer("max_position_embeddings");
        ManifestBuilder b = new ManifestBuilder();
        b.weight("text_model.embeddings.token_embedding.weight", c.integer("vocab_size"), dim);
        b.weight("text_model.embeddings.position_embedding.weight", positions, dim);
        b.tensor("text_model.embeddings.position_ids", ExpectedTensor.Role.OPTIONAL, 1, positions);
        for (int i = 0; i < c.integer("num_hidden_layers"); i++) {
            String p = "text_model.encoder.layers." + i;
            b.linear(p + ".self_attn.k_proj", dim, dim).linear(p + ".self_attn.v_proj", dim, dim)
                    .linear(p + ".self_attn.q_proj", dim, dim).linear(p + ".self_attn.out_proj", dim, dim);
            b.affineNorm(p + ".layer_norm1", dim);
            b.linear(p + ".mlp.fc1", dim, mlp).linear(p + ".mlp.fc2", mlp, dim);
            b.affineNorm(p + ".layer_norm2", dim);
        }
        b.affineNorm("text_model.final_layer_norm", dim);
        if (projection) {
            b.linearNoBias("text_projection", dim, c.integer("projection_dim"));
            return b.build("CLIPTextModelWithProjection");
        }
        return b.build("CLIPTextModel");
    }
}
