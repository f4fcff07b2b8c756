package dev.asyncdiff.cli;

import com.google.gson.JsonArray;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import com.google.gson.JsonParser;
import dev.asyncdiff.model.sd3.Sd35FlowModelTest;
import dev.asyncdiff.reward.real.Hpsv2RewardTest;
import dev.asyncdiff.reward.real.ImageRewardScoreTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * `sample` and `eval --methods` with {@code --backbone sd35 --weights DIR} on a small random diffusers folder, and the
 * inputs they refuse.
 */
class RealBackboneCommandsTest {
    @TempDir
    static Path shared;
    static Path weights;
    @TempDir
    Path dir;

    @BeforeAll
    static void randomFolder() throws IOException, URISyntaxException {
        weights = Sd35FlowModelTest.folder(shared.resolve("sd35"), new SplittableRandom(31));
    }

    @Test
    void samplesImagesOnThePresetsShiftedGrid() throws IOException {
        Path out = dir.resolve("out");
        CliRun o = CliRun.of("sample", "--backbone", "sd35", "--weights", weights.toString(), "--image-size", "16",
                "--steps", "2", "--prompt", "a red cab", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        BufferedImage image = ImageIO.read(out.resolve("sample_0000.png").toFile());
        assertEquals(16, image.getWidth());
        assertEquals(16, image.getHeight());
        var trajectory = JsonParser.parseString(Files.readString(out.resolve("trajectory.json"))).getAsJsonObject();
        assertEquals("cpu", trajectory.getAsJsonObject("config").get("device").getAsString());
        JsonArray grid = trajectory.getAsJsonArray("grid");
        double[] expected = PresetOptionsTest.shifted(2, 3);
        assertEquals(expected.length, grid.size());
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], grid.get(k).getAsDouble(), 1e-12);
        }
    }

    @Test
    void reproducesTable1OnTheRealPromptSetsScoredByAFolderReward() throws Exception {
        Path hps = Hpsv2RewardTest.folder(dir.resolve("hps"), false, false);
        Path imageReward = ImageRewardScoreTest.folder(dir.resolve("image-reward"), 3);
        Path out = dir.resolve("repro");
        CliRun o = CliRun.of("reproduce", "table1", "--backbone", "sd35", "--weights", weights.toString(),
                "--rewards", "image-reward:" + imageReward + ",hpsv2:" + hps + ",hf-noise", "--image-size", "16",
                "--quick", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        for (String name : List.of("table1-coco", "table1-compbench")) {
            List<String> rows = Files.readAllLines(out.resolve(name).resolve("images.csv"));
            assertEquals(1 + 8 * 3, rows.size(), name + ": 8 prompts × sync and two stand-ins");
            assertTrue(rows.get(0).endsWith(",image-reward,hpsv2,hf-noise"), rows.get(0));
            assertTrue(rows.stream().skip(1).allMatch(l -> l.contains(",15,")), "Table 1 is at SD3.5's 15 steps");
        }
        assertTrue(Files.readAllLines(out.resolve("table1-coco/images.csv")).get(1).contains(
                dev.asyncdiff.data.PromptSets.load("coco:val").prompts().get(0).substring(0, 20)),
                "the real MS-COCO captions are sampled");
        String index = Files.readString(out.resolve("INDEX.md"));
        assertTrue(index.startsWith("# Paper artefacts reproduced on the sd35 backbone") && index.contains(
                "coco:val:8, 1 per prompt") && !index.contains("Table 2"), index);
    }

    @Test
    void aFolderThatIsNoDiffusersCheckpointIsOneLine() throws IOException {
        Path out = dir.resolve("out");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRun.of("sample", "--backbone", "sd35", "--weights", empty.toString(), "--prompt", "cab", "--out",
                out.toString()).assertBadInput(out, "model_index.json");
    }

    @Test
    void anImageSizeOffTheLatentGridIsOneLine() {
        Path out = dir.resolve("out");
        CliRun.of("sample", "--backbone", "sd35", "--weights", weights.toString(), "--image-size", "18",
                "--prompt", "cab", "--out", out.toString()).assertBadInput(out, "multiple of 4");
    }

    @Test
    void anImageSizeForTheTinyBackboneIsOneLine() {
        Path out = dir.resolve("out");
        CliRun.of("sample", "--backbone", "tiny", "--image-size", "64", "--prompt", "a red circle", "--out",
                out.toString()).assertBadInput(out, "--image-size applies to --backbone sd35 and flux only");
    }

    @Test
    void sd35WithoutWeightsSaysToGiveThem() {
        Path out = dir.resolve("out");
        CliRun.of("sample", "--backbone", "sd35", "--prompt", "cab", "--out", out.toString())
                .assertBadInput(out, "--weights DIR");
    }

    @Test
    void evalComparesMethodsOnSd35() throws IOException {
        Path out = dir.resolve("eval");
        CliRun o = CliRun.of("eval", "--backbone", "sd35", "--weights", weights.toString(), "--image-size", "16",
                "--methods", "sync,fixed:0.3", "--steps", "2", "--prompts", "shapes:colour:val:2", "--rewards",
                "hf-noise", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        var config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertEquals("sd35", config.get("backbone").getAsString());
        assertEquals("shift:3.0", config.get("schedule").getAsString());
        assertEquals("cfg:5.0", config.get("guidance").getAsString());
        assertEquals(weights.toAbsolutePath() + " on cpu", config.get("weights").getAsString());
    }

    /** Commands that sample sd35, each asking for cuda. */
    static Stream<Arguments> cudaRequests() {
        return Stream.of(
                Arguments.of("sample", List.of("sample", "--prompt", "cab")),
                Arguments.of("eval", List.of("eval", "--methods", "sync", "--prompts", "shapes:colour:val:2",
                        "--rewards", "hf-noise")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cudaRequests")
    void cudaWhereTheEngineHasNoGpuIsOneLineNamingBothRoutes(String name, List<String> args) {
        assumeFalse(Engine.getEngine("PyTorch").hasCapability(StandardCapabilities.CUDA),
                "the engine here has CUDA natives");
        Path out = dir.resolve("out");
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--backbone", "sd35", "--weights", weights.toString(), "--device", "cuda", "--out",
                out.toString()));
        CliRun.of(all).assertBadInput(out, "no CUDA GPU", "mvn -Pcuda", "PYTORCH_LIBRARY_PATH");
    }

    @Test
    void cudaForTheTinyBackboneIsOneLine() {
        Path out = dir.resolve("out");
        String line = "--device cuda applies to --backbone sd35 and flux";
        CliRun.of("sample", "--backbone", "tiny", "--device", "cuda", "--prompt", "a red circle", "--out",
                out.toString()).assertBadInput(out, line);
        CliRun.of("reproduce", "table1", "--device", "cuda", "--out", out.toString()).assertBadInput(out, line);
        // the oracle accuracy runs on the tiny backbone
        CliRun.of("eval", "--device", "cuda").assertBadInput(out, line);
    }

    @Test
    void aDeviceOtherThanCpuOrCudaIsOneLine() {
        Path out = dir.resolve("out");
        CliRun.of("sample", "--backbone", "sd35", "--weights", weights.toString(), "--device", "gpu", "--prompt",
                "cab", "--out", out.toString()).assertBadInput(out, "--device must be cpu or cuda");
    }

    @Test
    void theOracleAccuracyOnSd35IsOneLine() {
        Path out = dir.resolve("out");
        CliRun.of("eval", "--backbone", "sd35", "--weights", weights.toString()).assertBadInput(out, "--methods");
    }
}
