package dev.asyncdiff.model.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.data.PromptSets;
import dev.asyncdiff.world.Vocabulary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tiny backbone's contract on untrained networks whose weights are all random (so no zero-initialised layer
 * hides a wrong path): shapes, per-token timesteps, cross-attention and bad prompts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TinyFlowModelTest {
    private NDManager manager;
    private TinyFlowModel model;

    @BeforeAll
    void randomModel() {
        manager = NDManager.newBaseManager();
        model = RandomTinyModel.create(manager, DiTArchitecture.V2, 7);
    }

    @AfterAll
    void close() {
        manager.close();
    }

    private static float[][] noise(int b, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[b][1024];
        for (float[] row : x) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) r.nextGaussian();
            }
        }
        return x;
    }

    private static double maxAbsDiff(float[][] a, float[][] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return m;
    }

    @Nested
    class Layout {
        @Test
        void latentsAre16By16By4AndDiTHas64Tokens() {
            assertArrayEquals(new int[] {4, 16, 16}, model.latentShape());
            assertEquals(1024, model.latentSize());
            assertEquals(64, model.positions());
        }

        @Test
        void positionOfNamesThePatchThatPatchifyPutsEachEntryIn() {
            float[] index = new float[1024];
            for (int i = 0; i < index.length; i++) {
                index[i] = i;
            }
            float[] tokens = DiT.patchify(manager.create(index, new Shape(1, 4, 16, 16))).toFloatArray();
            for (int k = 0; k < tokens.length; k++) {
                assertEquals(k / DiT.PATCH_DIM, model.positionOf((int) tokens[k]), "latent entry " + tokens[k]);
            }
        }

        @Test
        void unpatchifyInvertsPatchify() {
            float[] x = noise(1, 1)[0];
            NDArray a = manager.create(x, new Shape(1, 4, 16, 16));
            assertTrue(Arrays.equals(x, DiT.unpatchify(DiT.patchify(a), 1).toFloatArray()));
        }

        @Test
        void velocityHasTheLatentsShape() {
            float[][] v = model.velocity(noise(3, 2), new Timesteps.PerSample(new double[] {0.1, 0.5, 0.9}),
                    model.encode(List.of("a red circle", "two blue squares", "a star")));
            assertEquals(3, v.length);
            assertEquals(1024, v[0].length);
        }
    }

    @Nested
    class Timestep {
        @Test
        void aConstantPerTokenMapGivesThePerSampleVelocity() {
            float[][] x = noise(4, 5);
            double[] t = {0.05, 0.3, 0.7, 1.0};
            double[][] map = new double[4][64];
            for (int i = 0; i < 4; i++) {
                Arrays.fill(map[i], t[i]);
            }
            Conditioning c = model.encode(List.of("a red circle", "a green star", "three dotted squares",
                    "a triangle left of a circle"));
            float[][] perSample = model.velocity(x, new Timesteps.PerSample(t), c);
            float[][] perToken = model.velocity(x, new Timesteps.PerToken(map), c);
            // The same arithmetic on [B, 1] and on [B, 64] identical rows; matrix products may round differently
            // for the two shapes, so agreement is to float precision relative to the velocity's size.
            double scale = Arrays.stream(perSample).flatMapToDouble(r -> java.util.stream.IntStream.range(0, r.length)
                    .mapToDouble(i -> Math.abs(r[i]))).max().orElseThrow();
            assertTrue(maxAbsDiff(perSample, perToken) <= 1e-6 * scale, "max difference "
                    + maxAbsDiff(perSample, perToken) + " at velocity scale " + scale);
        }

        @Test
        void aTokensTimestepChangesTheVelocity() {
            float[][] x = noise(1, 6);
            double[][] map = new double[1][64];
            Arrays.fill(map[0], 0.5);
            Conditioning c = model.encode(List.of("a red circle"));
            float[][] base = model.velocity(x, new Timesteps.PerToken(map), c);
            map[0][10] = 0.9;
            assertTrue(maxAbsDiff(base, model.velocity(x, new Timesteps.PerToken(map), c)) > 1e-4);
        }

        @Test
        void perTokenRowsMustHaveOneTimePerToken() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.velocity(noise(1, 1),
                    new Timesteps.PerToken(new double[][] {new double[1024]}), model.encode(List.of("a star"))));
            assertTrue(e.getMessage().contains("64"), e.getMessage());
        }

        @Test
        void aSamplesVelocityDoesNotDependOnItsBatch() {
            float[][] x = noise(3, 8);
            Conditioning c = model.encode(List.of("a red circle", "a blue star", "two squares"));
            float[][] all = model.velocity(x, new Timesteps.PerSample(new double[] {0.2, 0.6, 0.9}), c);
            float[][] one = model.velocity(new float[][] {x[1]}, new Timesteps.PerSample(new double[] {0.6}),
                    model.encode(List.of("a blue star")));
            assertTrue(maxAbsDiff(new float[][] {all[1]}, one) <= 1e-5);
        }
    }

    @Nested
    class CrossAttention {
        @Test
        void eachPositionsAttentionSumsToOneOverThePromptsWords() {
            List<String> prompts = List.of("a red circle", "two striped blue squares above a dotted star");
            TinyConditioning c = model.encode(prompts);
            float[][][][] attn = model.crossAttention(noise(2, 9), new Timesteps.PerSample(new double[] {0.4, 0.8}),
                    c);
            assertEquals(DiT.DEPTH, attn.length);
            for (float[][][] layer : attn) {
                for (int s = 0; s < 2; s++) {
                    int words = c.words().get(s).size();
                    assertEquals(64, layer[s].length);
                    for (float[] row : layer[s]) {
                        double sum = 0;
                        for (int k = 0; k < row.length; k++) {
                            sum += row[k];
                            if (k >= words) {
                                assertEquals(0f, row[k], "padding token " + k + " gets no attention");
                            }
                        }
                        assertEquals(1.0, sum, 1e-5);
                    }
                }
            }
        }

        @Test
        void theNullConditionAttendsOverAllItsLearnedTokens() {
            float[][][][] attn = model.crossAttention(noise(1, 10), new Timesteps.PerSample(new double[] {0.5}),
                    model.unconditional(1));
            double sum = 0;
            for (float v : attn[0][0][0]) {
                sum += v;
                assertTrue(v > 0);
            }
            assertEquals(1.0, sum, 1e-5);
        }
    }

    @Nested
    class BadPrompts {
        @Test
        void unknownWordsAreListed() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.encode(List.of("a purple circle beside a hexagon")));
            assertTrue(e.getMessage().contains("purple") && e.getMessage().contains("beside")
                    && e.getMessage().contains("hexagon"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }

        @Test
        void anEmptyPromptIsRefused() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.encode(List.of("  ")));
            assertTrue(e.getMessage().contains("empty prompt"), e.getMessage());
        }

        @Test
        void tooManyWordsAreRefused() {
            String prompt = "a small striped red circle and a large dotted blue square and a small dotted green star";
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.encode(List.of(prompt)));
            assertTrue(e.getMessage().contains("17 words") && e.getMessage().contains("at most 16"), e.getMessage());
        }

        @Test
        void sixteenWordsAreRead() {
            String prompt = "a small striped red circle and a large dotted blue square and a small green star";
            assertEquals(16, Tokenizer.split(prompt).size());
            assertEquals(1, model.encode(List.of(prompt)).size());
        }

        @Test
        void aCocoCaptionIsRefusedListingEachWordOutsideTheWorldAndTheSetsTheModelReads() {
            String caption = PromptSets.load("coco:val:1").prompts().get(0);
            List<String> unknown = Arrays.stream(caption.toLowerCase(Locale.ROOT).split("[\\s,.]+"))
                    .filter(w -> !w.isEmpty() && !Vocabulary.words().contains(w)).distinct().toList();
            assertFalse(unknown.isEmpty(), caption);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.validate(List.of("a red circle", caption)));
            assertTrue(e.getMessage().contains("vocabulary: " + String.join(", ", unknown) + ";"), e.getMessage());
            assertTrue(e.getMessage().contains("shapes:colour|"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }

        @ParameterizedTest(name = "[{0}]")
        @ValueSource(strings = {"circle red a", "a red circle left of", "a red circle and", "a red blue circle",
                "two circle", "four circles and a star", "three circles left of a star"})
        void knownWordsThatMakeNoCaptionOfTheWorldAreRefused(String prompt) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.validate(List.of(prompt)));
            assertTrue(e.getMessage().contains("is not a caption of the tiny model's world"), e.getMessage());
            assertTrue(e.getMessage().contains("shapes:colour|"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
            assertThrows(IllegalArgumentException.class, () -> model.encode(List.of(prompt)));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"shapes:all:train", "shapes:all:val", "shapes:all:val_unseen"})
        void everyCaptionOfTheStandardSplitsIsRead(String spec) {
            assertDoesNotThrow(() -> model.validate(PromptSets.load(spec).prompts()));
        }
    }

    private static void assertArrayEquals(int[] expected, int[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
    }
}
