package dev.asyncdiff.model.checkpoint;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLIPModel manifest of the two real reward models counts their published parameters: 427,616,513 for OpenAI's
 * CLIP ViT-L/14 (the "428M" of its model card) and 986,109,441 for PickScore_v1, a fine-tuned OpenCLIP ViT-H-14
 * (open_clip's table: 986.11 M), each equal to the closed-form count of the architecture.
 */
class ClipModelManifestTest {
    /** The fields of openai/clip-vit-large-patch14's config.json that fix the shapes. */
    static final String CLIP_L14 = config(768, 3072, 12, 12, 1024, 4096, 24, 16, 768, "quick_gelu");
    /** The same fields of yuvalkirstain/PickScore_v1's config.json (ViT-H/14 with its 1024-wide text tower). */
    static final String PICKSCORE = config(1024, 4096, 16, 24, 1280, 5120, 32, 16, 1024, "gelu");

    static String config(int textWidth, int textMlp, int textHeads, int textLayers, int width, int mlp, int layers,
                         int heads, int projection, String act) {
        return """
                {"architectures": ["CLIPModel"], "projection_dim": %9$d,
                 "text_config": {"hidden_size": %1$d, "intermediate_size": %2$d, "num_attention_heads": %3$d,
                   "num_hidden_layers": %4$d, "max_position_embeddings": 77, "vocab_size": 49408,
                   "hidden_act": "%10$s", "projection_dim": %9$d},
                 "vision_config": {"hidden_size": %5$d, "intermediate_size": %6$d, "num_hidden_layers": %7$d,
                   "num_attention_heads": %8$d, "patch_size": 14, "image_size": 224, "hidden_act": "%10$s",
                   "projection_dim": %9$d}}""".formatted(textWidth, textMlp, textHeads, textLayers, width, mlp, layers,
                heads, projection, act);
    }

    static Manifest manifest(String json) {
        return Architecture.CLIP_MODEL.manifest(ComponentConfig.parse(Path.of("config.json"), json));
    }

    /** L pre-LayerNorm layers of width D and MLP M: q, k, v, out with biases, two LayerNorms, fc1 and fc2. */
    static long layers(long d, long m, long l) {
        return l * (4 * (d * d + d) + 2 * 2 * d + (d * m + m) + (m * d + d));
    }

    static long closedForm(long textWidth, long textMlp, long textLayers, long width, long mlp, long layers,
                           long projection) {
        long text = 49408 * textWidth + 77 * textWidth + layers(textWidth, textMlp, textLayers) + 2 * textWidth;
        long patches = (224 / 14) * (224 / 14);
        long vision = width + 3 * 14 * 14 * width + (patches + 1) * width + 2 * width + layers(width, mlp, layers)
                + 2 * width;
        return text + vision + width * projection + textWidth * projection + 1;
    }

    @Test
    void clipVitL14CountsItsPublished427Point6MillionParameters() {
        long n = manifest(CLIP_L14).parameters();
        assertEquals(closedForm(768, 3072, 12, 1024, 4096, 24, 768), n);
        assertEquals(427_616_513L, n);
    }

    @Test
    void pickScoreVitH14CountsItsPublished986Point1MillionParameters() {
        long n = manifest(PICKSCORE).parameters();
        assertEquals(closedForm(1024, 4096, 24, 1280, 5120, 32, 1024), n);
        assertEquals(986.11e6, n, 0.005e6);
    }

    @Test
    void hpsv2sOpenClipVitH14HoldsTheSameParametersUnderOpenClipsNames() {
        // the same dimensions without a class name, as OpenClipCheckpoint derives them from a state dict's shapes
        String dims = PICKSCORE.replace("\"architectures\": [\"CLIPModel\"], ", "");
        Manifest open = Architecture.OPEN_CLIP.manifest(ComponentConfig.parse(Path.of("HPS_v2.1_compressed.pt"),
                dims));
        assertEquals(closedForm(1024, 4096, 24, 1280, 5120, 32, 1024), open.parameters());
        assertEquals(32 * 12 + 24 * 12 + 14, open.tensors().size(), "12 tensors a block, 8 + 6 outside the blocks");
        assertEquals(List.of(3L * 1280, 1280L), List.of(open.tensors().get(
                "visual.transformer.resblocks.31.attn.in_proj_weight").shape()[0], open.tensors().get(
                "visual.transformer.resblocks.31.attn.in_proj_weight").shape()[1]));
        assertEquals(0, open.buffers());
    }

    @Test
    void aConfigWithoutVisionConfigIsRefusedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> manifest("{\"architectures\": [\"CLIPModel\"], \"projection_dim\": 8, \"text_config\": {}}"));
        assertEquals("config.json has no \"vision_config\" object", e.getMessage());
    }

    @Test
    void aMissingFieldOfANestedConfigIsNamedWithItsSection() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> manifest(CLIP_L14.replace("\"patch_size\": 14,", "")));
        assertEquals("config.json#vision_config has no \"patch_size\"", e.getMessage());
    }

    @Test
    void aTextEncoderFolderIsRefusedAsACLIPModel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> manifest(CLIP_L14.replace("\"CLIPModel\"", "\"CLIPTextModel\"")));
        assertTrue(e.getMessage().contains("describes a CLIPTextModel; a CLIPModel belongs here"), e.getMessage());
    }
}
