package dev.asyncdiff.model.checkpoint;

import java.util.Arrays;

/**
 * diffusers' AutoencoderKL with DownEncoderBlock2D / UpDecoderBlock2D blocks (the VAE of SD3 and Flux): ResNet blocks
 * with GroupNorm, a mid block with one single-head attention, ×2 down- and upsampling convolutions between blocks,
 * a doubled (mean and log-variance) encoder output, and the optional 1×1 quant convolutions.
 */
final class AutoencoderKlManifest {
    private AutoencoderKlManifest() {
    }

    static Manifest of(ComponentConfig c) {
        int[] channels = c.integers("block_out_channels");
        if (channels.length == 0) {
            throw new IllegalArgumentException(c.file() + " has no \"block_out_channels\"");
        }
        blockTypes(c, "down_block_types", "DownEncoderBlock2D", channels.length);
        blockTypes(c, "up_block_types", "UpDecoderBlock2D", channels.length);
        int perBlock = c.integer("layers_per_block");
        int latent = c.integer("latent_channels");
        boolean attention = c.flag("mid_block_add_attention", true);
        int top = channels[channels.length - 1];
        ManifestBuilder b = new ManifestBuilder();

        b.conv("encoder.conv_in", c.integer("in_channels"), channels[0], 3);
        int prev = channels[0];
        for (int i = 0; i < channels.length; i++) {
            for (int j = 0; j < perBlock; j++) {
                resnet(b, "encoder.down_blocks." + i + ".resnets." + j, j == 0 ? prev : channels[i], channels[i]);
            }
            if (i < channels.length - 1) {
                b.conv("encoder.down_blocks." + i + ".downsamplers.0.conv", channels[i], channels[i], 3);
            }
            prev = channels[i];
        }
        midBlock(b, "encoder.mid_block", top, attention);
        b.affineNorm("encoder.conv_norm_out", top);
        b.conv("encoder.conv_out", top, 2L * latent, 3);
        if (c.flag("use_quant_conv", true)) {
            b.conv("quant_conv", 2L * latent, 2L * latent, 1);
        }
        if (c.flag("use_post_quant_conv", true)) {
            b.conv("post_quant_conv", latent, latent, 1);
        }

        b.conv("decoder.conv_in", latent, top, 3);
        midBlock(b, "decoder.mid_block", top, attention);
        prev = top;
        for (int i = 0; i < channels.length; i++) {
            int ch = channels[channels.length - 1 - i];
            for (int j = 0; j <= perBlock; j++) {
                resnet(b, "decoder.up_blocks." + i + ".resnets." + j, j == 0 ? prev : ch, ch);
            }
            if (i < channels.length - 1) {
                b.conv("decoder.up_blocks." + i + ".upsamplers.0.conv", ch, ch, 3);
            }
            prev = ch;
        }
        b.affineNorm("decoder.conv_norm_out", channels[0]);
        b.conv("decoder.conv_out", channels[0], c.integer("out_channels"), 3);
        return b.build("AutoencoderKL");
    }

    private static void blockTypes(ComponentConfig c, String key, String supported, int count) {
        if (!c.json().has(key)) {
            return;
        }
        String[] types = new String[c.json().getAsJsonArray(key).size()];
        Arrays.setAll(types, i -> c.json().getAsJsonArray(key).get(i).getAsString());
        if (types.length != count || Arrays.stream(types).anyMatch(t -> !t.equals(supported))) {
            throw new IllegalArgumentException(c.file() + ": \"" + key + "\" must be " + count + " × " + supported
                    + " (got " + Arrays.toString(types) + ")");
        }
    }

    /** ResnetBlock2D: GroupNorm, 3×3 conv, GroupNorm, 3×3 conv, and a 1×1 shortcut when the width changes. */
    private static void resnet(ManifestBuilder b, String p, long in, long out) {
        b.affineNorm(p + ".norm1", in).conv(p + ".conv1", in, out, 3).affineNorm(p + ".norm2", out)
                .conv(p + ".conv2", out, out, 3);
        if (in != out) {
            b.conv(p + ".conv_shortcut", in, out, 1);
        }
    }

    /** UNetMidBlock2D: ResNet, single-head attention (GroupNorm then q, k, v, out), ResNet. */
    private static void midBlock(ManifestBuilder b, String p, long ch, boolean attention) {
        resnet(b, p + ".resnets.0", ch, ch);
        if (attention) {
            b.affineNorm(p + ".attentions.0.group_norm", ch);
            b.attention(p + ".attentions.0", ch, ch, false, false);
        }
        resnet(b, p + ".resnets.1", ch, ch);
    }
}
