package dev.asyncdiff.model.blip;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.asyncdiff.model.checkpoint.TensorDType;
import dev.asyncdiff.model.checkpoint.TorchCheckpoint;
import dev.asyncdiff.model.checkpoint.WeightsCheck.ComponentReport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ImageReward.pt is read as ImageReward's {@code load_state_dict(strict=False)} reads it: keys the score does not
 * read are ignored, and a key it reads that is missing or mis-shaped is refused with one line naming it, before any
 * tensor data is read; {@link ImageRewardModel#check} reports the same from the pickle alone.
 */
class ImageRewardCheckpointTest {
    @TempDir
    Path tmp;

    /** The small model with {@code change} ({"drop": [...]} or {"reshape": {...}}) applied. */
    Path written(String name, String change) throws Exception {
        JsonObject spec = ImageRewardFixtures.spec(4, "F32");
        JsonParser.parseString(change).getAsJsonObject().entrySet().forEach(e -> spec.add(e.getKey(), e.getValue()));
        return ImageRewardFixtures.write(tmp.resolve(name), spec);
    }

    static String refusal(Path file) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageRewardModel.load(file, ImageRewardFixtures.HEADS).close());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "expected '" + p + "' in: " + message);
        }
    }

    @Test
    void theKeysTheScoreIgnoresAreAcceptedAndTheRestCounted() throws Exception {
        Path file = written("complete", "{}");
        assertTrue(TorchCheckpoint.stateDict(file).keySet().containsAll(List.of("blip.vision_proj.weight",
                "blip.text_proj.bias")), "the file holds keys the score never reads, as the published one does");
        ComponentReport r = ImageRewardModel.check("image-reward", file);
        assertTrue(r.report().ok(), r.report().problems());
        assertEquals(ImageRewardFixtures.PARAMETERS, r.report().parameters());
        // the F32 weights and the INT64 position_ids buffer it may hold; blip.vision_proj and text_proj not read
        assertEquals(Set.of(TensorDType.F32, TensorDType.I64), r.dtypes());
        ImageRewardModel.load(file, ImageRewardFixtures.HEADS).close();
    }

    @Test
    void thePublishedDimensionsCountTheParametersOfViTL16BertBaseAndTheHead() {
        long d = 1024;
        long block = 2 * d + (3 * d * d + 3 * d) + (d * d + d) + 2 * d + (4 * d * d + 4 * d) + (4 * d * d + d);
        long vision = d + 197 * d + (d * 3 * 16 * 16 + d) + 24 * block + 2 * d;
        long h = 768;
        long layer = 4 * (h * h + h) + 2 * h + 2 * (h * h + h) + 2 * (d * h + h) + 2 * h + (h * 3072 + 3072)
                + (3072 * h + h) + 2 * h;
        long text = 30524 * h + 512 * h + 2 * h + 12 * layer;
        long head = (h * 1024 + 1024) + (1024 * 128 + 128) + (128 * 64 + 64) + (64 * 16 + 16) + (16 + 1);
        assertEquals(446_206_689L, vision + text + head);
        BlipHeads heads = BlipHeads.PUBLISHED;
        assertEquals(vision + text + head, ImageRewardManifest.of(new BlipVisionConfig(1024, 24, heads.vision(), 16,
                224), new BlipTextConfig(768, 12, heads.text(), 3072, 30524, 512)).parameters());
    }

    @Nested
    class RefusesWithOneLine {
        @Test
        void missingKeysTheScoreReads() throws Exception {
            Path file = written("holes", """
                    {"drop": ["blip.text_encoder.encoder.layer.1.crossattention.self.key.weight", "mlp.layers.7.bias",
                              "blip.vision_proj.weight"]}""");
            assertContains(refusal(file), file + " does not hold an ImageReward state dict: 2 missing: "
                    + "blip.text_encoder.encoder.layer.1.crossattention.self.key.weight, mlp.layers.7.bias");
            ComponentReport r = ImageRewardModel.check("image-reward", file);
            assertEquals(2, r.report().missing().size(), r.report().problems());
            assertTrue(r.report().unexpected().isEmpty(), "ignored keys are not unexpected");
        }

        @Test
        void crossAttentionReadingTheTextWidthAsMedConfigSaysInsteadOfTheVisionWidth() throws Exception {
            Path file = written("width", """
                    {"reshape": {"blip.text_encoder.encoder.layer.0.crossattention.self.value.weight": [48, 48]}}""");
            assertContains(refusal(file), "1 mis-shaped: blip.text_encoder.encoder.layer.0.crossattention.self.value"
                    + ".weight [48, 48] (expected [48, 64])");
        }

        @Test
        void aTensorWhoseShapeGivesADimension() throws Exception {
            Path file = written("anchor", """
                    {"drop": ["blip.visual_encoder.cls_token"]}""");
            assertContains(refusal(file), "no tensor blip.visual_encoder.cls_token (its shape gives the vision "
                    + "width)");
        }

        @Test
        void aPositionTableThatIsNotAClassTokenAndASquare() throws Exception {
            Path file = written("positions", """
                    {"reshape": {"blip.visual_encoder.pos_embed": [1, 6, 64]}}""");
            assertContains(refusal(file), "pos_embed holds 6 positions; a class token and a square of patches need "
                    + "1 + side²");
        }

        @Test
        void headsThatDoNotDivideTheWidth() throws Exception {
            Path file = written("heads", "{}");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ImageRewardModel.load(file, new BlipHeads(5, 4)).close());
            assertContains(e.getMessage(), "vision width 64 must be a positive multiple of its 5 heads");
        }

        @Test
        void aFileThatIsNotATorchCheckpoint() throws Exception {
            Path file = Files.writeString(Files.createDirectories(tmp.resolve("text")).resolve("ImageReward.pt"),
                    "not a checkpoint");
            assertContains(refusal(file), file + " cannot be read as a PyTorch checkpoint");
        }
    }
}
