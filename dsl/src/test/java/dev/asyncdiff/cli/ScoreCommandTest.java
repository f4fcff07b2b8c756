package dev.asyncdiff.cli;

import dev.asyncdiff.io.CsvRow;
import dev.asyncdiff.reward.CompositeReward;
import dev.asyncdiff.reward.HighFrequencyNoise;
import dev.asyncdiff.reward.OracleReward;
import dev.asyncdiff.world.CaptionParser;
import dev.asyncdiff.world.SceneRenderer;
import dev.asyncdiff.world.SceneSampler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `score`: a CSV of reward scores of existing images, one row per image in argument order. */
class ScoreCommandTest {
    private static final String CAPTION = "a red circle";

    @TempDir
    Path dir;
    Path clean;
    Path noisy;
    Path csv;

    @BeforeEach
    void writeTwoRenders() throws IOException {
        BufferedImage render = SceneRenderer.render(SceneSampler.sample(CaptionParser.parse(CAPTION), 3));
        clean = dir.resolve("clean.png");
        noisy = dir.resolve("noisy.png");
        csv = dir.resolve("f.csv");
        ImageIO.write(render, "png", clean.toFile());
        ImageIO.write(withNoise(render, 12, new Random(5)), "png", noisy.toFile());
    }

    /** The image plus independent Gaussian noise of standard deviation sigma (8-bit levels), clamped. */
    private static BufferedImage withNoise(BufferedImage image, double sigma, Random rng) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    double v = ((image.getRGB(x, y) >> shift) & 0xFF) + sigma * rng.nextGaussian();
                    rgb |= (int) Math.max(0, Math.min(255, Math.round(v))) << shift;
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }

    private static List<BufferedImage> read(Path... images) throws IOException {
        List<BufferedImage> out = new ArrayList<>();
        for (Path p : images) {
            out.add(ImageIO.read(p.toFile()));
        }
        return out;
    }

    private static void run(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.err());
    }

    /** The column of a CSV without quoted fields. */
    private static double[] column(List<String> lines, int index) {
        return lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[index])).toArray();
    }

    @Nested
    class TheTable {
        @Test
        void holdsEachRewardAndTheCompositeAsTheRewardsScoreTheSameImages() throws IOException {
            run("score", "--rewards", "oracle,hf-noise", "--composite", "--prompt", CAPTION, "--out",
                    csv.toString(), noisy.toString(), clean.toString());
            List<String> lines = Files.readAllLines(csv);
            assertEquals("image,prompt,oracle,hf-noise,composite", lines.get(0));
            assertEquals(3, lines.size(), String.join("\n", lines));
            assertTrue(lines.get(1).startsWith(noisy + "," + CAPTION + ","), lines.get(1));
            assertTrue(lines.get(2).startsWith(clean + "," + CAPTION + ","), lines.get(2));

            List<BufferedImage> images = read(noisy, clean);
            List<String> prompts = List.of(CAPTION, CAPTION);
            assertEquals(List.of(OracleReward.DENSE.score(images, prompts)[0], OracleReward.DENSE.score(images,
                    prompts)[1]), List.of(column(lines, 2)[0], column(lines, 2)[1]));
            double[] hf = column(lines, 3);
            assertTrue(hf[0] < hf[1], "the noisy image scores lower: " + hf[0] + " vs " + hf[1]);
            double[] composite = CompositeReward.of(List.of(OracleReward.DENSE, new HighFrequencyNoise()))
                    .score(images, prompts);
            assertEquals(composite[0], column(lines, 4)[0]);
            assertEquals(composite[1], column(lines, 4)[1]);
        }

        @Test
        void goesToStdoutWithoutOut() throws IOException {
            run("score", "--rewards", "hf-noise", "--out", csv.toString(), clean.toString(), noisy.toString());
            StringWriter out = new StringWriter();
            int code = Main.commandLine().setOut(new PrintWriter(out, true))
                    .execute("score", "--rewards", "hf-noise", clean.toString(), noisy.toString());
            assertEquals(0, code);
            assertEquals(Files.readString(csv), out.toString());
        }

        @Test
        void leavesThePromptEmptyForPromptFreeRewardsGivenNone() throws IOException {
            run("score", "--rewards", "hf-noise", "--out", csv.toString(), clean.toString());
            List<String> lines = Files.readAllLines(csv);
            assertEquals("image,prompt,hf-noise", lines.get(0));
            assertEquals(clean + ",," + CsvRow.number(-HighFrequencyNoise.sigma(read(clean).get(0))), lines.get(1));
        }

        @Test
        void quotesAPromptWithCommasAndQuotes() throws IOException {
            run("score", "--rewards", "hf-noise", "--prompt", "say \"hi\", world", "--out", csv.toString(),
                    clean.toString());
            assertTrue(Files.readAllLines(csv).get(1).startsWith(clean + ",\"say \"\"hi\"\", world\","),
                    Files.readString(csv));
        }

        @Test
        void takesOnePromptPerImageFromThePromptsFile() throws IOException {
            Path prompts = Files.write(dir.resolve("prompts.txt"), List.of("a red circle", "a blue star"));
            run("score", "--rewards", "oracle-verdict", "--prompts-file", prompts.toString(), "--out",
                    csv.toString(), clean.toString(), clean.toString());
            List<String> lines = Files.readAllLines(csv);
            // The render is of "a red circle": the verdict accepts it for its own caption and refuses it for the other.
            assertEquals(List.of("image,prompt,oracle-verdict", clean + ",a red circle,1.0",
                    clean + ",a blue star,0.0"), lines);
        }

        @Test
        void givesASingleImageACompositeOfZero() throws IOException {
            run("score", "--rewards", "oracle,hf-noise", "--composite", "--prompt", CAPTION, "--out",
                    csv.toString(), noisy.toString());
            assertEquals(0.0, column(Files.readAllLines(csv), 4)[0]);
        }
    }

    @Nested
    class BadInput {
        private void assertBad(List<String> args, String... expected) {
            CliRun.of(Stream.concat(Stream.of("score"), args.stream()).toList()).assertBadInput(csv, expected);
        }

        @Test
        void anUnknownRewardListsTheKnownOnes() {
            assertBad(List.of("--rewards", "oracle,clip", "--prompt", CAPTION, "--out", csv.toString(),
                    clean.toString()), "unknown reward 'clip'; known: oracle, oracle-verdict, hf-noise");
        }

        @Test
        void aRewardNamedTwice() {
            assertBad(List.of("--rewards", "hf-noise,hf-noise", "--out", csv.toString(), clean.toString()),
                    "named twice");
        }

        @Test
        void noImages() {
            assertBad(List.of("--rewards", "hf-noise", "--out", csv.toString()), "Missing required parameter",
                    "IMG");
        }

        @Test
        void aFileThatIsNoImageIsNamed() throws IOException {
            Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
            assertBad(List.of("--rewards", "hf-noise", "--out", csv.toString(), clean.toString(), text.toString()),
                    text + " is not an image");
        }

        @Test
        void aMissingImageIsNamed() {
            Path missing = dir.resolve("missing.png");
            assertBad(List.of("--rewards", "hf-noise", "--out", csv.toString(), missing.toString()),
                    "image " + missing + " does not exist");
        }

        @Test
        void bothPromptOptions() throws IOException {
            Path prompts = Files.write(dir.resolve("prompts.txt"), List.of(CAPTION));
            assertBad(List.of("--rewards", "oracle", "--prompt", CAPTION, "--prompts-file", prompts.toString(),
                    "--out", csv.toString(), clean.toString()), "not both");
        }

        @Test
        void aPromptsFileWithAnotherCountThanTheImagesSaysBoth() throws IOException {
            Path prompts = Files.write(dir.resolve("prompts.txt"), List.of(CAPTION, CAPTION, CAPTION));
            assertBad(List.of("--rewards", "oracle", "--prompts-file", prompts.toString(), "--out", csv.toString(),
                    clean.toString(), noisy.toString()), "has 3 lines but 2 images");
        }

        @Test
        void aRewardThatNeedsAPromptGivenNone() {
            assertBad(List.of("--rewards", "hf-noise,oracle", "--out", csv.toString(), clean.toString()),
                    "reward oracle needs a prompt");
        }

        @Test
        void aPromptTheOracleCannotRead() {
            assertBad(List.of("--rewards", "oracle", "--prompt", "a dog on a couch", "--out", csv.toString(),
                    clean.toString()), "reward oracle", "unknown words");
        }

        @Test
        void anOutInAFolderThatDoesNotExist() {
            csv = dir.resolve("missing").resolve("f.csv");
            assertBad(List.of("--rewards", "hf-noise", "--out", csv.toString(), clean.toString()),
                    "does not exist; create it");
        }
    }
}
