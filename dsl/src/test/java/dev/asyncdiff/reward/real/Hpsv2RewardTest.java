package dev.asyncdiff.reward.real;

import ai.djl.ndarray.NDManager;
import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.checkpoint.ReferenceScript;
import dev.asyncdiff.model.clip.ClipModelFolders;
import dev.asyncdiff.model.clip.OpenClipCheckpoint.HeadWidths;
import dev.asyncdiff.model.clip.OpenClipImageTransform;
import dev.asyncdiff.reward.Rewards;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.asyncdiff.model.checkpoint.TransformerParity.TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hpsv2 end to end — a torch.save'd OpenCLIP checkpoint as HPSv2 publishes it (bench/reference/open_clip_fixture.py,
 * small and random, in float32 and float16), open_clip's evaluation transform, the tokenizer, the model read through
 * its renaming, the cosine — against bench/reference/hpsv2.py (open_clip's computation in PyTorch's functional API,
 * F.interpolate with antialiasing for the resize); the head widths matter; bad folders are one line.
 */
public class Hpsv2RewardTest {
    static final List<String> PROMPTS = List.of("red cab", "a bed, a cab!");
    /** Widths that are whole numbers of ViT-H/14's heads (80 and 64 wide), so the default head widths apply. */
    public static final int VISION = 160;
    public static final int TEXT = 128;

    @TempDir
    Path tmp;

    /** A folder holding HPS_v2_compressed.pt (16-pixel images of 4-pixel patches) and the tiny BPE tokenizer. */
    public static Path folder(Path dir, boolean half, boolean dropKey) throws Exception {
        Files.createDirectories(dir);
        float[] dims = {VISION, 2, 4, 4, TEXT, 2, 77, 20, 24, 4, half ? 1 : 0, 23};
        Map<String, Safetensors.Tensor> in = Map.of("dims", new Safetensors.Tensor(new int[] {dims.length}, dims));
        ReferenceScript.run("open_clip_fixture.py", dir, in);
        if (dropKey) {
            Path file = dir.resolve("HPS_v2_compressed.pt");
            Files.delete(file);
            Path scratch = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-full"));
            ReferenceScript.run("open_clip_fixture.py", scratch, in);
            dropLnPostBias(scratch.resolve("HPS_v2_compressed.pt"), file);
        }
        Path tokenizer = Path.of(Hpsv2RewardTest.class.getResource("/tokenizers/tiny-bpe").toURI());
        for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
            Files.copy(tokenizer.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    /** Re-saves the checkpoint without visual.ln_post.bias, with PyTorch. */
    private static void dropLnPostBias(Path from, Path to) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch,sys; c=torch.load(sys.argv[1]); "
                + "del c['state_dict']['visual.ln_post.bias']; torch.save(c, sys.argv[2])", from.toString(),
                to.toString()).redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
    }

    /** What hpsv2.py computes for these images (all of one size) and the tokenizer's ids of PROMPTS. */
    static Map<String, Safetensors.Tensor> reference(Path dir, List<BufferedImage> images, HeadWidths heads)
            throws Exception {
        int h = images.get(0).getHeight();
        int w = images.get(0).getWidth();
        float[] levels = new float[images.size() * h * w * 3];
        for (int i = 0; i < images.size(); i++) {
            float[] one = ClipModelFolders.levels(images.get(i)).data();
            System.arraycopy(one, 0, levels, i * one.length, one.length);
        }
        Map<String, Safetensors.Tensor> in = new LinkedHashMap<>();
        in.put("levels", new Safetensors.Tensor(new int[] {images.size(), h, w, 3}, levels));
        in.put("ids", ClipRewardTest.clipIds(dir, PROMPTS));
        in.put("heads", new Safetensors.Tensor(new int[] {2}, new float[] {VISION / heads.vision(),
                TEXT / heads.text()}));
        return ReferenceScript.run("hpsv2.py", dir, in);
    }

    private static Discrepancy scoreAgainstReference(Path dir, List<BufferedImage> images, HeadWidths heads)
            throws Exception {
        Map<String, Safetensors.Tensor> ref = reference(dir, images, HeadWidths.VIT_H_14);
        try (NDManager m = NDManager.newBaseManager()) {
            Discrepancy pixels = Discrepancy.between(OpenClipImageTransform.openAi(16).pixels(m, images)
                    .toFloatArray(), ref.get("pixels").data());
            assertTrue(pixels.maxAbs() <= 1e-5, "the transform against F.interpolate(antialias=True): " + pixels);
        }
        try (ClipReward r = ClipReward.load(ClipReward.Kind.HPSV2, dir, heads)) {
            assertEquals("hpsv2", r.name());
            double[] s = r.score(images, PROMPTS);
            return Discrepancy.between(new float[] {(float) s[0], (float) s[1]}, ref.get("score").data());
        }
    }

    @Test
    void theScoreMatchesTheReferenceForFloat32AndFloat16Checkpoints() throws Exception {
        // 32×20 → 25×16, cropped at round(4.5) = 4 (half to even); 33×19 → 16×27, cropped at round(5.5) = 6
        for (boolean half : new boolean[] {false, true}) {
            Path dir = folder(tmp.resolve(half ? "f16" : "f32"), half, false);
            for (int[] size : new int[][] {{32, 20}, {19, 33}}) {
                List<BufferedImage> images = List.of(ClipModelFolders.image(size[0], size[1], 3),
                        ClipModelFolders.image(size[0], size[1], 4));
                Discrepancy d = scoreAgainstReference(dir, images, HeadWidths.VIT_H_14);
                System.out.println("hpsv2 " + (half ? "F16" : "F32") + " " + size[0] + "x" + size[1] + ": " + d);
                assertTrue(d.maxRel() <= TARGET, d.toString());
            }
        }
    }

    @Test
    void theHeadWidthsMatter() throws Exception {
        Path dir = folder(tmp.resolve("heads"), false, false);
        List<BufferedImage> images = List.of(ClipModelFolders.image(16, 16, 5), ClipModelFolders.image(16, 16, 6));
        Discrepancy d = scoreAgainstReference(dir, images, new HeadWidths(40, 32));
        assertTrue(d.maxRel() > 100 * TARGET, "twice the heads must score differently: " + d);
    }

    @Test
    void badFoldersAreOneLineNamingWhatIsWrong() throws Exception {
        Path none = Files.createDirectories(tmp.resolve("none"));
        Path both = folder(tmp.resolve("both"), false, false);
        Files.copy(both.resolve("HPS_v2_compressed.pt"), both.resolve("HPS_v2.1_compressed.pt"));
        Path holes = folder(tmp.resolve("holes"), false, true);
        Map<String, String> cases = Map.of(
                "hpsv2:" + none, "has neither HPS_v2.1_compressed.pt nor HPS_v2_compressed.pt",
                "hpsv2:" + both, "holds both HPS_v2.1_compressed.pt and HPS_v2_compressed.pt; keep the one you mean",
                "hpsv2:" + holes, "1 missing: visual.ln_post.bias",
                "hpsv2", "reads a model folder: write hpsv2:DIR");
        cases.forEach((spec, reason) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rewards.parse(spec));
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(e.getMessage().contains(reason), spec + ": " + e.getMessage());
        });
    }
}
