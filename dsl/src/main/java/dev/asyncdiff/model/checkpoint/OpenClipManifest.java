package dev.asyncdiff.model.checkpoint;

/**
 * An OpenCLIP CLIP model's state dict (open_clip's CLIP with a ViT image tower: OpenCLIP ViT-H/14, which HPSv2
 * fine-tunes), for the dimensions of a transformers-style CLIPModel config (the same numbers under the names
 * {@link ClipModelManifest} reads): the image tower {@code visual.*} (a bias-free patch convolution conv1, a class
 * embedding, learned positions, ln_pre, residual blocks, ln_post, the projection matrix proj [width, embed]); the
 * text tower at the top level (token_embedding, positional_embedding, residual blocks under transformer.*, ln_final,
 * text_projection [width, embed]); logit_scale. A residual block is ln_1, nn.MultiheadAttention (in_proj_weight
 * [3·width, width] holding q, k and v, in_proj_bias, out_proj), ln_2, and the MLP c_fc, c_proj.
 */
final class OpenClipManifest {
    private OpenClipManifest() {
    }

    static Manifest of(ComponentConfig c) {
        ComponentConfig text = c.section("text_config");
        ComponentConfig vision = c.section("vision_config");
        long embed = c.integer("projection_dim");
        ManifestBuilder b = new ManifestBuilder();
        long width = vision.integer("hidden_size");
        long patch = vision.integer("patch_size");
        long side = vision.integer("image_size") / patch;
        b.weight("visual.class_embedding", width);
        b.weight("visual.positional_embedding", side * side + 1, width);
        b.weight("visual.proj", width, embed);
        b.weight("visual.conv1.weight", width, vision.integer("num_channels", 3), patch, patch);
        b.affineNorm("visual.ln_pre", width);
        blocks(b, "visual.transformer.resblocks.", vision);
        b.affineNorm("visual.ln_post", width);

        long textWidth = text.integer("hidden_size");
        b.weight("positional_embedding", text.integer("max_position_embeddings"), textWidth);
        b.weight("text_projection", textWidth, embed);
        b.weight("logit_scale");
        b.weight("token_embedding.weight", text.integer("vocab_size"), textWidth);
        blocks(b, "transformer.resblocks.", text);
        b.affineNorm("ln_final", textWidth);
        return b.build("OpenCLIP CLIP");
    }

    private static void blocks(ManifestBuilder b, String prefix, ComponentConfig tower) {
        long width = tower.integer("hidden_size");
        long mlp = tower.integer("intermediate_size");
        for (int i = 0; i < tower.integer("num_hidden_layers"); i++) {
            String p = prefix + i;
            b.affineNorm(p + ".ln_1", width);
            b.weight(p + ".attn.in_proj_weight", 3 * width, width).weight(p + ".attn.in_proj_bias", 3 * width);
            b.linear(p + ".attn.out_proj", width, width);
            b.affineNorm(p + ".ln_2", width);
            b.linear(p + ".mlp.c_fc", width, mlp).linear(p + ".mlp.c_proj", mlp, width);
        }
    }
}
