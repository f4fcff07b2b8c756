package dev.asyncdiff.model.blip;

import dev.asyncdiff.model.checkpoint.ExpectedTensor;
import dev.asyncdiff.model.checkpoint.Manifest;
import dev.asyncdiff.model.checkpoint.ManifestBuilder;

/**
 * Every tensor ImageReward's score reads, with its shape, under the keys of ImageReward.pt: BLIP's vision
 * transformer ({@code blip.visual_encoder.*}), its text encoder ({@code blip.text_encoder.*}, whose cross-attention
 * keys and values read the vision width: BLIP_Pretrain sets {@code encoder_width} to it, whatever med_config.json
 * says) and the reward head ({@code mlp.layers.*}). Keys the score does not read (blip.vision_proj, blip.text_proj,
 * anything else) are no part of it: ImageReward loads its checkpoint with {@code strict=False}.
 */
public final class ImageRewardManifest {
    public static final String ARCHITECTURE = "ImageReward";
    /** The head's linear layers, as nn.Sequential numbers them between its dropouts (ImageReward.py's MLP). */
    static final int[] HEAD_LAYERS = {0, 2, 4, 6, 7};
    /** Their output widths: 1024, 128, 64, 16 and the one reward. */
    static final int[] HEAD_WIDTHS = {1024, 128, 64, 16, 1};
    static final String HEAD = "mlp.layers.";

    private ImageRewardManifest() {
    }

    public static Manifest of(BlipVisionConfig vision, BlipTextConfig text) {
        ManifestBuilder b = new ManifestBuilder();
        String v = BlipVisionConfig.PREFIX;
        long d = vision.width();
        b.weight(v + "cls_token", 1, 1, d);
        b.weight(v + "pos_embed", 1, vision.tokens(), d);
        b.conv(v + "patch_embed.proj", 3, d, vision.patch());
        for (int i = 0; i < vision.depth(); i++) {
            String p = v + "blocks." + i;
            b.affineNorm(p + ".norm1", d).linear(p + ".attn.qkv", d, 3 * d).linear(p + ".attn.proj", d, d);
            b.affineNorm(p + ".norm2", d).linear(p + ".mlp.fc1", d, BlipVisionConfig.MLP_RATIO * d)
                    .linear(p + ".mlp.fc2", BlipVisionConfig.MLP_RATIO * d, d);
        }
        b.affineNorm(v + "norm", d);

        String t = BlipTextConfig.PREFIX;
        long h = text.width();
        b.tensor(t + "embeddings.position_ids", ExpectedTensor.Role.OPTIONAL, 1, text.positions());
        b.weight(t + "embeddings.word_embeddings.weight", text.vocabulary(), h);
        b.weight(t + "embeddings.position_embeddings.weight", text.positions(), h);
        b.affineNorm(t + "embeddings.LayerNorm", h);
        for (int i = 0; i < text.layers(); i++) {
            String p = t + "encoder.layer." + i;
            attention(b, p + ".attention", h, h);
            attention(b, p + ".crossattention", h, d);
            b.linear(p + ".intermediate.dense", h, text.intermediate()).linear(p + ".output.dense",
                    text.intermediate(), h).affineNorm(p + ".output.LayerNorm", h);
        }

        long in = h;
        for (int i = 0; i < HEAD_LAYERS.length; i++) {
            b.linear(HEAD + HEAD_LAYERS[i], in, HEAD_WIDTHS[i]);
            in = HEAD_WIDTHS[i];
        }
        return b.build(ARCHITECTURE);
    }

    /** med.py's BertAttention: query from the text, key and value from {@code context} wide inputs, then output. */
    private static void attention(ManifestBuilder b, String p, long h, long context) {
        b.linear(p + ".self.query", h, h).linear(p + ".self.key", context, h).linear(p + ".self.value", context, h)
                .linear(p + ".output.dense", h, h).affineNorm(p + ".output.LayerNorm", h);
    }
}
