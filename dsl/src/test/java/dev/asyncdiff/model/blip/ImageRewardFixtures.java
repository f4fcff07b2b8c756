package dev.asyncdiff.model.blip;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Small random ImageReward checkpoints in the published format (ImageReward.pt, torch.save'd under the real key
 * names, with the keys the score ignores), written by bench/reference/image_reward_fixture.py with Debian's
 * python3-torch: a ViT of width 64, 2 blocks and 4 heads reading 32-pixel images in 16-pixel patches (5 tokens); a
 * text encoder of width 48, 2 layers, 4 heads, intermediate width 80, 24 token rows and 40 positions.
 */
public final class ImageRewardFixtures {
    public static final BlipHeads HEADS = new BlipHeads(4, 4);
    public static final int IMAGE = 32;
    public static final int VISION_WIDTH = 64;
    public static final int TEXT_WIDTH = 48;
    static final String SMALL = """
            {"vision": {"width": 64, "depth": 2, "patch": 16, "image": 32},
             "text": {"width": 48, "layers": 2, "intermediate": 80, "vocab": 24, "positions": 40}}""";

    /** Parameters of the small model, counted layer by layer. */
    public static final long PARAMETERS;

    static {
        long d = 64;
        long vision = d + 5 * d + (d * 3 * 16 * 16 + d) + 2 * (2 * d + (d * 3 * d + 3 * d) + (d * d + d) + 2 * d
                + (d * 4 * d + 4 * d) + (4 * d * d + d)) + 2 * d;
        long h = 48;
        long attention = 4 * (h * h + h) + 2 * h;
        long cross = 2 * (h * h + h) + 2 * (d * h + h) + 2 * h;
        long feedForward = (h * 80 + 80) + (80 * h + h) + 2 * h;
        long text = 24 * h + 40 * h + 2 * h + 2 * (attention + cross + feedForward);
        long head = (h * 1024 + 1024) + (1024 * 128 + 128) + (128 * 64 + 64) + (64 * 16 + 16) + (16 + 1);
        PARAMETERS = vision + text + head;
    }

    private ImageRewardFixtures() {
    }

    /** The small model's spec with this seed and dtype, for a test to add drop, reshape or nested to. */
    public static JsonObject spec(long seed, String dtype) {
        JsonObject spec = JsonParser.parseString(SMALL).getAsJsonObject();
        spec.addProperty("seed", seed);
        spec.addProperty("dtype", dtype);
        return spec;
    }

    /** {@code dir}/ImageReward.pt of the small model, F32. */
    public static Path write(Path dir, long seed) throws IOException, InterruptedException {
        return write(dir, spec(seed, "F32"));
    }

    /** {@code dir}/ImageReward.pt as {@code spec} says; returns the file. */
    public static Path write(Path dir, JsonObject spec) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path script = Path.of(System.getProperty("basedir", ".")).resolve(
                "../bench/reference/image_reward_fixture.py").normalize();
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Path log = Files.createTempFile(dir, "fixture", ".log");
        Process p = new ProcessBuilder(List.of(python, script.toString(), dir.toString(), spec.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the fixture writer did not finish in 120 s");
        assertEquals(0, p.exitValue(), () -> script + " failed (needs python3-torch): " + read(log));
        Files.delete(log);
        return dir.resolve("ImageReward.pt");
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
