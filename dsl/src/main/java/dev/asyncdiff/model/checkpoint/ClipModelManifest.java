package dev.asyncdiff.model.checkpoint;

/**
 * transformers' CLIPModel (OpenAI's CLIP ViT-L/14, PickScore's ViT-H/14): the text tower of a CLIPTextModel under
 * {@code text_config}; a vision transformer under {@code vision_config} (a bias-free patch convolution, a class
 * token, learned positions for the class token and every patch, the "pre_layrnorm" as transformers spells it, the
 * same encoder layers as the text tower, a post-LayerNorm); bias-free visual and text projections to
 * {@code projection_dim}; and the scalar logit_scale.
 */
final class ClipModelManifest {
    private ClipModelManifest() {
    }

    static Manifest of(ComponentConfig c) {
        ComponentConfig text = c.section("text_config");
        ComponentConfig vision = c.section("vision_config");
        long projection = c.integer("projection_dim");
        ManifestBuilder b = new ManifestBuilder();
        ClipTextManifest.textTower(b, text);

        long dim = vision.integer("hidden_size");
        long patch = vision.integer("patch_size");
        long side = vision.integer("image_size") / patch;
        long positions = side * side + 1;
        b.weight("vision_model.embeddings.class_embedding", dim);
        b.weight("vision_model.embeddings.patch_embedding.weight", dim, vision.integer("num_channels", 3), patch,
                patch);
        b.weight("vision_model.embeddings.position_embedding.weight", positions, dim);
        b.tensor("vision_model.embeddings.position_ids", ExpectedTensor.Role.OPTIONAL, 1, positions);
        b.affineNorm("vision_model.pre_layrnorm", dim);
        ClipTextManifest.encoderLayers(b, "vision_model.encoder.layers.", vision);
        b.affineNorm("vision_model.post_layernorm", dim);

        b.linearNoBias("visual_projection", dim, projection);
        b.linearNoBias("text_projection", text.integer("hidden_size"), projection);
        b.weight("logit_scale");
        return b.build("CLIPModel");
    }
}
