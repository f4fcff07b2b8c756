package dev.asyncdiff.model.blip;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.checkpoint.Manifest;
import dev.asyncdiff.model.checkpoint.ManifestReport;
import dev.asyncdiff.model.checkpoint.TensorEntry;
import dev.asyncdiff.model.checkpoint.TorchCheckpoint;
import dev.asyncdiff.model.checkpoint.WeightsCheck;
import dev.asyncdiff.model.checkpoint.WeightsCheck.ComponentReport;
import dev.asyncdiff.model.device.Placement;
import dev.asyncdiff.model.layers.Layers;

import java.nio.file.Path;
import java.util.Map;

/**
 * ImageReward v1.0 (Xu et al. 2023, "ImageReward: Learning and Evaluating Human Preferences for Text-to-Image
 * Generation"; THUDM/ImageReward's ImageReward.py) on its published state dict, ImageReward.pt: BLIP's vision
 * transformer embeds the image as a token sequence ({@link BlipVisionTransformer}), BLIP's text encoder reads the
 * prompt with cross-attention to those tokens ({@link BlipTextEncoder}), and the first token's state goes through the
 * five linear layers of the reward head (mlp.layers.0, 2, 4, 6, 7; dropouts between them, no nonlinearity), whose
 * output is standardised as {@code (r − mean) / std} with the constants ImageReward.py fixes.
 * <p>
 * The dimensions come from the tensors' shapes ({@link BlipVisionConfig#of}, {@link BlipTextConfig#of}), the heads
 * from {@link BlipHeads}; keys the score does not read are ignored (ImageReward loads with {@code strict=False}),
 * and a key it reads that is missing or mis-shaped is refused before any tensor data is read. Every array a pass
 * makes belongs to the manager of its input; the weights belong to this model.
 */
public final class ImageRewardModel implements AutoCloseable {
    /** ImageReward.py's {@code self.mean} and {@code self.std}, which standardise the head's output. */
    public static final double REWARD_MEAN = 0.16717362830052426;
    public static final double REWARD_STD = 1.0333394966054072;

    private final NDManager manager;
    private final CheckpointWeights w;
    private final BlipVisionConfig visionConfig;
    private final BlipVisionTransformer vision;
    private final BlipTextEncoder text;

    private ImageRewardModel(NDManager manager, CheckpointWeights w, Layout layout) {
        this.manager = manager;
        this.w = w;
        this.visionConfig = layout.vision;
        this.vision = new BlipVisionTransformer(layout.vision, w);
        this.text = new BlipTextEncoder(layout.text, w);
    }

    /** The encoders' dimensions a state dict's shapes give with these heads, and the manifest they make. */
    private record Layout(BlipVisionConfig vision, BlipTextConfig text, Manifest manifest) {
        static Layout of(Path file, Map<String, TensorEntry> tensors, BlipHeads heads) {
            try {
                BlipVisionConfig v = BlipVisionConfig.of(tensors, heads.vision());
                BlipTextConfig t = BlipTextConfig.of(tensors, heads.text());
                return new Layout(v, t, ImageRewardManifest.of(v, t));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw refused(file, e.getMessage());
            }
        }
    }

    private static IllegalArgumentException refused(Path file, String why) {
        return new IllegalArgumentException(file + " does not hold an " + ImageRewardManifest.ARCHITECTURE
                + " state dict: " + why);
    }

    /** Loads the published model's checkpoint (ViT-L/16 and BERT-base heads), FP32 on the CPU. */
    public static ImageRewardModel load(Path file) {
        return load(file, BlipHeads.PUBLISHED);
    }

    /**
     * Loads {@code file} (a torch.save'd state dict) with these heads, FP32 on the CPU (ImageReward.py runs FP32
     * too); an IllegalArgumentException (one line naming the file) when it cannot be read, lacks a key the score
     * reads or holds one in another shape.
     */
    public static ImageRewardModel load(Path file, BlipHeads heads) {
        Map<String, TensorEntry> tensors = TorchCheckpoint.stateDict(file);
        Layout layout = Layout.of(file, tensors, heads);
        Map<String, TensorEntry> read = layout.manifest.named(tensors);
        ManifestReport report = layout.manifest.check(read);
        if (!report.ok()) {
            throw refused(file, report.problems());
        }
        Placement placement = Placement.cpu();
        NDManager manager = NDManager.newBaseManager(placement.device());
        try {
            CheckpointWeights w = CheckpointWeights.load(manager, file, read, layout.manifest, key -> true,
                    placement);
            return new ImageRewardModel(manager, w, layout);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * {@code file}'s keys and shapes against what the score reads, from its pickle alone (no tensor data), reported
     * under {@code component}; an IllegalArgumentException when the file cannot be read or lacks a tensor whose
     * shape gives a dimension.
     */
    public static ComponentReport check(String component, Path file) {
        Map<String, TensorEntry> tensors = TorchCheckpoint.stateDict(file);
        Manifest manifest = Layout.of(file, tensors, BlipHeads.PUBLISHED).manifest;
        return WeightsCheck.report(component, Architecture.IMAGE_REWARD, manifest, manifest.named(tensors));
    }

    public BlipVisionConfig visionConfig() {
        return visionConfig;
    }

    /** {@code blip.visual_encoder(image)}: normalised pixels [B, 3, S, S] → image embeddings [B, N + 1, Dv]. */
    public NDArray imageEmbeds(NDArray pixels) {
        return vision.tokens(pixels);
    }

    /**
     * {@code blip.text_encoder(ids, attention_mask=mask, encoder_hidden_states=imageEmbeds).last_hidden_state[:, 0]}:
     * token ids [B, T] (INT64) and their mask [B, T] (1 for a token, 0 for padding) → text features [B, Dt].
     */
    public NDArray textFeatures(NDArray ids, NDArray mask, NDArray imageEmbeds) {
        return text.features(ids, mask, imageEmbeds);
    }

    /** The head on text features [B, Dt], standardised: one reward per row. */
    public double[] rewards(NDArray textFeatures) {
        NDArray r = textFeatures;
        for (int layer : ImageRewardManifest.HEAD_LAYERS) {
            r = Layers.linear(r, w, ImageRewardManifest.HEAD + layer);
        }
        float[] raw = r.toFloatArray();
        double[] out = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = (raw[i] - REWARD_MEAN) / REWARD_STD;
        }
        return out;
    }

    /** The device the weights live on, for the inputs a caller makes. */
    public Device device() {
        return manager.getDevice();
    }

    @Override
    public void close() {
        manager.close();
    }
}
