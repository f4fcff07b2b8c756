package dev.asyncdiff.model.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.checkpoint.RandomCheckpoint;
import dev.asyncdiff.model.checkpoint.ReferenceScript;
import dev.asyncdiff.nn.NoGrad;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.asyncdiff.model.checkpoint.TransformerParity.TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java ImageReward model agrees with bench/reference/image_reward.py, an independent PyTorch implementation (a
 * real strided convolution for the patches, F.layer_norm, its own attention), on small random ImageReward.pt files
 * written by torch.save: image embeddings, text features and rewards. The checks have teeth: the padding mask,
 * either LayerNorm ε (the reference run with 10⁻⁵) and the head counts each move the outputs by more than ten times
 * the tolerance.
 */
class ImageRewardParityTest {
    /** [CLS] 2, [SEP] 3, [PAD] 0: a padded prompt and one that fills its 12 positions. */
    static final float[][] IDS = {{2, 5, 6, 7, 3, 0, 0, 0, 0, 0, 0, 0}, {2, 9, 17, 12, 10, 11, 8, 13, 5, 6, 14, 3}};
    static final int[] LENGTHS = {5, 12};

    @TempDir
    Path tmp;

    /** What Java computed for one set of inputs. */
    record Outputs(float[] imageEmbeds, float[] textFeatures, float[] rewards) {
    }

    static Map<String, Safetensors.Tensor> inputs(long seed, BlipHeads heads) {
        long[] shape = {2, 3, ImageRewardFixtures.IMAGE, ImageRewardFixtures.IMAGE};
        Map<String, Safetensors.Tensor> in = new LinkedHashMap<>();
        in.put("pixels", RandomCheckpoint.tensor(shape, RandomCheckpoint.gaussian(new SplittableRandom(seed), shape,
                1)));
        in.put("ids", Safetensors.stack(IDS, new int[] {IDS[0].length}));
        in.put("mask", Safetensors.stack(mask(false), new int[] {IDS[0].length}));
        in.put("heads", new Safetensors.Tensor(new int[] {2}, new float[] {heads.vision(), heads.text()}));
        return in;
    }

    /** 1 over each prompt's tokens and 0 over its padding, or 1 everywhere ({@code none}: no padding mask). */
    static float[][] mask(boolean none) {
        float[][] m = new float[IDS.length][IDS[0].length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = none || j < LENGTHS[i] ? 1 : 0;
            }
        }
        return m;
    }

    static Outputs java(Path file, BlipHeads heads, Map<String, Safetensors.Tensor> in) {
        try (NoGrad ignored = NoGrad.enter(); NDManager m = NDManager.newBaseManager();
             ImageRewardModel model = ImageRewardModel.load(file, heads)) {
            NDArray image = model.imageEmbeds(RandomCheckpoint.array(m, in.get("pixels")));
            NDArray ids = RandomCheckpoint.array(m, in.get("ids")).toType(DataType.INT64, false);
            NDArray features = model.textFeatures(ids, RandomCheckpoint.array(m, in.get("mask")), image);
            double[] r = model.rewards(features);
            float[] rewards = new float[r.length];
            for (int i = 0; i < r.length; i++) {
                rewards[i] = (float) r[i];
            }
            return new Outputs(image.toFloatArray(), features.toFloatArray(), rewards);
        }
    }

    /** Asserts every output within the target of the reference, printing the measured discrepancies. */
    static void assertParity(String what, Outputs java, Map<String, Safetensors.Tensor> ref) {
        Map<String, Discrepancy> d = new LinkedHashMap<>();
        d.put("image_embeds", Discrepancy.between(java.imageEmbeds, ref.get("image_embeds").data()));
        d.put("text_features", Discrepancy.between(java.textFeatures, ref.get("text_features").data()));
        d.put("reward", Discrepancy.between(java.rewards, ref.get("reward").data()));
        d.forEach((name, x) -> {
            System.out.println(what + " " + name + ": " + x);
            assertTrue(x.maxRel() <= TARGET, what + " " + name + ": " + x);
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"F32", "F16", "BF16"})
    void imageEmbedsTextFeaturesAndRewardsMatchTheReference(String dtype) throws Exception {
        Path dir = tmp.resolve(dtype);
        Path file = ImageRewardFixtures.write(dir, ImageRewardFixtures.spec(21, dtype));
        Map<String, Safetensors.Tensor> in = inputs(5, ImageRewardFixtures.HEADS);
        Outputs java = java(file, ImageRewardFixtures.HEADS, in);
        assertParity(dtype, java, ReferenceScript.run("image_reward.py", dir, in));
        assertEquals(2 * 5 * ImageRewardFixtures.VISION_WIDTH, java.imageEmbeds.length, "every token is embedded");
        assertEquals(2 * ImageRewardFixtures.TEXT_WIDTH, java.textFeatures.length);
    }

    @Test
    void aStateDictNestedUnderStateDictLoadsAsTheSame() throws Exception {
        JsonObject spec = ImageRewardFixtures.spec(21, "F32");
        spec.addProperty("nested", true);
        Path dir = tmp.resolve("nested");
        Path file = ImageRewardFixtures.write(dir, spec);
        Map<String, Safetensors.Tensor> in = inputs(6, ImageRewardFixtures.HEADS);
        assertParity("nested", java(file, ImageRewardFixtures.HEADS, in), ReferenceScript.run("image_reward.py",
                dir, in));
    }

    @Test
    void theDimensionsComeFromTheShapes() throws Exception {
        Path file = ImageRewardFixtures.write(tmp.resolve("dims"), 3);
        try (ImageRewardModel model = ImageRewardModel.load(file, ImageRewardFixtures.HEADS)) {
            assertEquals(new BlipVisionConfig(64, 2, 4, 16, 32), model.visionConfig());
        }
    }

    @Test
    void everyArrayOfAPassBelongsToTheInputsManagerNotTheWeights() throws Exception {
        Path file = ImageRewardFixtures.write(tmp.resolve("managers"), 3);
        Map<String, Safetensors.Tensor> in = inputs(4, ImageRewardFixtures.HEADS);
        try (NoGrad ignored = NoGrad.enter(); NDManager m = NDManager.newBaseManager();
             ImageRewardModel model = ImageRewardModel.load(file, ImageRewardFixtures.HEADS)) {
            NDArray image = model.imageEmbeds(RandomCheckpoint.array(m, in.get("pixels")));
            NDArray ids = RandomCheckpoint.array(m, in.get("ids")).toType(DataType.INT64, false);
            NDArray features = model.textFeatures(ids, RandomCheckpoint.array(m, in.get("mask")), image);
            assertSame(m, image.getManager());
            assertSame(m, features.getManager());
        }
    }

    @Nested
    class TheComparisonHasTeeth {
        Path dir;
        Path file;
        Map<String, Safetensors.Tensor> in;
        Outputs java;

        void setUp() throws Exception {
            dir = tmp.resolve("teeth");
            file = ImageRewardFixtures.write(dir, 8);
            in = inputs(9, ImageRewardFixtures.HEADS);
            java = java(file, ImageRewardFixtures.HEADS, in);
        }

        /** The deliberate error exceeds the tolerance at least tenfold. */
        void assertMisses(String what, float[] java, float[] reference) {
            Discrepancy d = Discrepancy.between(java, reference);
            System.out.println("deliberately wrong, " + what + ": " + d);
            assertTrue(d.maxRel() > 10 * TARGET, what + ": " + d);
        }

        @Test
        void omittingThePaddingMaskMissesTheTextFeatures() throws Exception {
            setUp();
            Map<String, Safetensors.Tensor> unmasked = new LinkedHashMap<>(in);
            unmasked.put("mask", Safetensors.stack(mask(true), new int[] {IDS[0].length}));
            float[] withoutMask = java(file, ImageRewardFixtures.HEADS, unmasked).textFeatures();
            assertMisses("no padding mask", withoutMask, ReferenceScript.run("image_reward.py", dir, in)
                    .get("text_features").data());
        }

        @ParameterizedTest(name = "{0} eps 1e-5")
        @CsvSource({"vision, 1e-5, 1e-12, image_embeds", "text, 1e-6, 1e-5, text_features"})
        void aLayerNormEpsOf1e5MissesWhatItNormalises(String encoder, float visionEps, float textEps, String output)
                throws Exception {
            setUp();
            Map<String, Safetensors.Tensor> other = new LinkedHashMap<>(in);
            other.put("eps", new Safetensors.Tensor(new int[] {2}, new float[] {visionEps, textEps}));
            float[] mine = output.equals("image_embeds") ? java.imageEmbeds() : java.textFeatures();
            assertMisses(encoder + " eps 1e-5", mine, ReferenceScript.run("image_reward.py", dir, other).get(output)
                    .data());
        }

        @Test
        void otherHeadCountsMissBothEncoders() throws Exception {
            setUp();
            Outputs twoHeads = java(file, new BlipHeads(2, 2), in);
            Map<String, Safetensors.Tensor> ref = ReferenceScript.run("image_reward.py", dir, in);
            assertMisses("2 vision heads", twoHeads.imageEmbeds(), ref.get("image_embeds").data());
            assertMisses("2 text heads (and their image)", twoHeads.textFeatures(), ref.get("text_features").data());
        }
    }
}
