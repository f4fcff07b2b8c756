package dev.asyncdiff.model.checkpoint;

/**
 * diffusers' FluxTransformer2DModel: linear patch embedding of the 2×2-packed latent, timestep, guidance and pooled
 * text embedders, context embedder, double-stream blocks (joint attention with separate image and text weights),
 * single-stream blocks (attention and MLP in parallel over the concatenated tokens, one output projection), then the
 * continuous adaLN and the output projection. q and k are always RMS-normalised per head.
 */
final class FluxTransformerManifest {
    /** The single-stream block's MLP width, as a multiple of the model width. */
    static final int MLP_RATIO = 4;

    private FluxTransformerManifest() {
    }

    static Manifest of(ComponentConfig c) {
        long headDim = c.integer("attention_head_dim");
        long dim = c.integer("num_attention_heads") * headDim;
        int patch = c.integer("patch_size", 1);
        int in = c.integer("in_channels");
        int out = c.integer("out_channels", in);
        ManifestBuilder b = new ManifestBuilder();
        b.linear("x_embedder", in, dim);
        b.linear("context_embedder", c.integer("joint_attention_dim"), dim);
        b.mlpEmbedder("time_text_embed.timestep_embedder", Sd3TransformerManifest.TIMESTEP_CHANNELS, dim);
        if (c.flag("guidance_embeds", false)) {
            b.mlpEmbedder("time_text_embed.guidance_embedder", Sd3TransformerManifest.TIMESTEP_CHANNELS, dim);
        }
        b.mlpEmbedder("time_text_embed.text_embedder", c.integer("pooled_projection_dim"), dim);
        for (int i = 0; i < c.integer("num_layers"); i++) {
            String p = "transformer_blocks." + i;
            b.linear(p + ".norm1.linear", dim, 6 * dim);
            b.linear(p + ".norm1_context.linear", dim, 6 * dim);
            b.attention(p + ".attn", dim, headDim, true, false);
            b.addedProjections(p + ".attn", dim, headDim, true, true);
            b.feedForward(p + ".ff", dim);
            b.feedForward(p + ".ff_context", dim);
        }
        for (int i = 0; i < c.integer("num_single_layers"); i++) {
            String p = "single_transformer_blocks." + i;
            b.linear(p + ".norm.linear", dim, 3 * dim);
            b.linear(p + ".proj_mlp", dim, MLP_RATIO * dim);
            b.attention(p + ".attn", dim, headDim, true, true);
            b.linear(p + ".proj_out", dim + MLP_RATIO * dim, dim);
        }
        b.linear("norm_out.linear", dim, 2 * dim);
        b.linear("proj_out", dim, (long) patch * patch * out);
        return b.build("FluxTransformer2DModel");
    }
}
