package dev.asyncdiff.model.clip;

import ai.djl.ndarray.NDManager;
import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.checkpoint.ReferenceScript;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java CLIPImageProcessor gives Pillow's bytes: bench/reference/clip_preprocess.py resizes with Pillow's own
 * Image.resize(BICUBIC), and the levels after resize and crop must be identical (no rounding difference at all),
 * the normalised pixels within float rounding.
 */
class ClipImageProcessorTest {
    /** OpenAI CLIP's processor (openai/clip-vit-large-patch14 and laion/CLIP-ViT-H-14-laion2B-s32B-b79K alike). */
    static final String OPENAI = """
            {"crop_size": {"height": 224, "width": 224}, "do_center_crop": true, "do_convert_rgb": true,
             "do_normalize": true, "do_rescale": true, "do_resize": true,
             "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_processor_type": "CLIPImageProcessor",
             "image_std": [0.26862954, 0.26130258, 0.27577711], "resample": 3, "rescale_factor": 0.00392156862745098,
             "size": {"shortest_edge": 224}}""";

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}×{1}")
    @CsvSource({"512, 512", "768, 512", "300, 451", "150, 100", "224, 224"})
    void levelsAreIdenticalToPillowsAndPixelsWithinFloatRounding(int w, int h) throws Exception {
        Files.writeString(tmp.resolve(ClipImageProcessor.FILE), OPENAI);
        BufferedImage img = ClipModelFolders.image(w, h, w * 31L + h);
        Map<String, Safetensors.Tensor> ref = ReferenceScript.run("clip_preprocess.py", tmp,
                Map.of("image", ClipModelFolders.levels(img)));
        ClipImageProcessor p = ClipImageProcessor.read(tmp);
        int[][] java = p.resizedCrop(img);
        float[] pillow = ref.get("resized").data();
        int differing = 0;
        for (int i = 0; i < 224 * 224; i++) {
            for (int c = 0; c < 3; c++) {
                differing += java[c][i] == (int) pillow[i * 3 + c] ? 0 : 1;
            }
        }
        assertEquals(0, differing, "levels differing from Pillow's");
        try (NDManager m = NDManager.newBaseManager()) {
            Discrepancy d = Discrepancy.between(p.pixels(m, List.of(img)).toFloatArray(), ref.get("pixels").data());
            assertTrue(d.maxAbs() <= 1e-6, d.toString());
        }
    }

    @Nested
    class RefusesWhatItDoesNotImplement {
        @Test
        void anotherResamplingFilter() throws Exception {
            Files.writeString(tmp.resolve(ClipImageProcessor.FILE), OPENAI.replace("\"resample\": 3",
                    "\"resample\": 2"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClipImageProcessor.read(tmp));
            assertTrue(e.getMessage().contains("only 3 (bicubic)"), e.getMessage());
        }

        @Test
        void aMissingFile() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClipImageProcessor.read(tmp));
            assertTrue(e.getMessage().contains("has no preprocessor_config.json"), e.getMessage());
        }

        @Test
        void aRectangularCrop() throws Exception {
            Files.writeString(tmp.resolve(ClipImageProcessor.FILE), OPENAI.replace("\"width\": 224",
                    "\"width\": 200"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClipImageProcessor.read(tmp));
            assertTrue(e.getMessage().contains("with an equal width"), e.getMessage());
        }
    }
}
