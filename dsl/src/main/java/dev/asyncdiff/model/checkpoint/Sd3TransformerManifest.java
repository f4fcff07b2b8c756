package dev.asyncdiff.model.checkpoint;

import java.util.Arrays;

/**
 * diffusers' SD3Transformer2DModel (SD3, SD3.5): patch embedding with a stored position table, timestep and pooled
 * text embedders, context embedder, joint (MMDiT) blocks — dual attention (attn2, a 9-way adaLN) in the layers
 * {@code dual_attention_layers} names, and a last block that only feeds the text stream into attention — then the
 * continuous adaLN and the output projection.
 */
final class Sd3TransformerManifest {
    /** Sinusoidal timestep features fed to timestep_embedder.linear_1. */
    static final int TIMESTEP_CHANNELS = 256;

    private Sd3TransformerManifest() {
    }

    static Manifest of(ComponentConfig c) {
        long dim = (long) c.integer("num_attention_heads") * c.integer("attention_head_dim");
        long headDim = c.integer("attention_head_dim");
        int layers = c.integer("num_layers");
        int patch = c.integer("patch_size");
        int in = c.integer("in_channels");
        int out = c.integer("out_channels", in);
        int[] dual = c.integers("dual_attention_layers");
        boolean qkNorm = qkNorm(c);
        ManifestBuilder b = new ManifestBuilder();
        b.conv("pos_embed.proj", in, dim, patch);
        int maxSize = c.integer("pos_embed_max_size", 0);
        if (maxSize > 0) {
            // PatchEmbed saves its table only when it is cropped from a larger one (pos_embed_max_size).
            b.tensor("pos_embed.pos_embed", ExpectedTensor.Role.BUFFER, 1, (long) maxSize * maxSize, dim);
        }
        b.mlpEmbedder("time_text_embed.timestep_embedder", TIMESTEP_CHANNELS, dim);
        b.mlpEmbedder("time_text_embed.text_embedder", c.integer("pooled_projection_dim"), dim);
        b.linear("context_embedder", c.integer("joint_attention_dim"), c.integer("caption_projection_dim"));
        for (int i = 0; i < layers; i++) {
            String p = "transformer_blocks." + i;
            boolean last = i == layers - 1;
            int at = i;
            boolean withAttn2 = Arrays.stream(dual).anyMatch(d -> d == at);
            b.linear(p + ".norm1.linear", dim, (withAttn2 ? 9 : 6) * dim);
            // The last block's text stream needs only shift and scale (AdaLayerNormContinuous).
            b.linear(p + ".norm1_context.linear", dim, (last ? 2 : 6) * dim);
            b.attention(p + ".attn", dim, headDim, qkNorm, false);
            b.addedProjections(p + ".attn", dim, headDim, qkNorm, !last);
            if (withAttn2) {
                b.attention(p + ".attn2", dim, headDim, qkNorm, false);
            }
            b.feedForward(p + ".ff", dim);
            if (!last) {
                b.feedForward(p + ".ff_context", dim);
            }
        }
        b.linear("norm_out.linear", dim, 2 * dim);
        b.linear("proj_out", dim, (long) patch * patch * out);
        return b.build("SD3Transformer2DModel");
    }

    private static boolean qkNorm(ComponentConfig c) {
        String norm = c.string("qk_norm", null);
        if (norm != null && !norm.equals("rms_norm")) {
            throw new IllegalArgumentException(c.file() + ": qk_norm '" + norm + "' is not supported (SD3.5 uses "
                    + "rms_norm, SD3 none)");
        }
        return norm != null;
    }
}
