package dev.asyncdiff.model.clip;

import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.RandomCheckpoint;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Small random CLIPModel folders under the real key names (text_model.*, vision_model.* with its "pre_layrnorm",
 * visual_projection, text_projection, logit_scale): a CLIP ViT-L/14 style one (quick GELU in both towers, the legacy
 * eos_token_id 2) and a PickScore ViT-H/14 style one (exact GELU), 77 text positions so that the tokenizer fixtures
 * can feed them.
 */
public final class ClipModelFolders {
    /** %1$s hidden_act of both towers. Vision: 16-pixel images of 4-pixel patches (17 tokens). */
    static final String CONFIG = """
            {"architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": 24,
             "logit_scale_init_value": 2.6592,
             "text_config": {"hidden_act": "%1$s", "hidden_size": 32, "intermediate_size": 64,
               "layer_norm_eps": 1e-05, "max_position_embeddings": 77, "num_attention_heads": 4,
               "num_hidden_layers": 2, "projection_dim": 24, "vocab_size": 60, "eos_token_id": 2},
             "vision_config": {"hidden_act": "%1$s", "hidden_size": 48, "intermediate_size": 96,
               "layer_norm_eps": 1e-05, "num_attention_heads": 4, "num_hidden_layers": 2, "num_channels": 3,
               "image_size": 16, "patch_size": 4, "projection_dim": 24}}""";
    public static final String CLIP_L_STYLE = CONFIG.formatted("quick_gelu");
    public static final String PICKSCORE_STYLE = CONFIG.formatted("gelu");
    /** log 100, the value trained CLIP models reach (the clamp of the original training). */
    static final float LOG_100 = (float) Math.log(100);

    private ClipModelFolders() {
    }

    /** A folder at {@code dir} with random weights (logit_scale log 100) in {@code dtype} (F32 or BF16). */
    public static Path write(Path dir, String config, String dtype, long seed) throws IOException {
        RandomCheckpoint c = RandomCheckpoint.of(Architecture.CLIP_MODEL, config, dir.resolveSibling(
                dir.getFileName() + "-scratch"), new SplittableRandom(seed));
        c.weights().put("logit_scale", new float[] {LOG_100});
        return c.folder(dir, c.weights(), dtype);
    }

    /** An image as clip_preprocess.py reads it: levels 0–255 [H, W, 3]. */
    public static Safetensors.Tensor levels(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] v = new float[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    v[(y * w + x) * 3 + c] = (rgb >> (16 - 8 * c)) & 0xFF;
                }
            }
        }
        return new Safetensors.Tensor(new int[] {h, w, 3}, v);
    }

    /** A smooth gradient with hard edges and noise: every part of the kernel matters. */
    public static BufferedImage image(int w, int h, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int red = (x * 255 / w + r.nextInt(40)) % 256;
                int green = ((x / 7 + y / 5) % 2 == 0 ? 230 : 20) + r.nextInt(20);
                int blue = r.nextInt(256);
                img.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
        return img;
    }

}
