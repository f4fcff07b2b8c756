package dev.asyncdiff.model.clip;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.checkpoint.ComponentConfig;
import dev.asyncdiff.model.checkpoint.ComponentLoader;
import dev.asyncdiff.model.device.Placement;
import dev.asyncdiff.model.layers.Layers;

import java.nio.file.Path;

/**
 * A transformers CLIPModel folder (OpenAI's CLIP ViT-L/14, PickScore_v1's ViT-H/14): config.json with text_config and
 * vision_config, and its safetensors. The image embedding is the vision tower's pooled class token through
 * visual_projection; the text embedding is the text tower's end-of-text token through text_projection (the
 * {@link ClipTextEncoder} on the same weights); logit_scale is stored as its logarithm.
 * <p>
 * Every array a pass makes belongs to the manager of its input; the weights belong to this model.
 */
public final class ClipModel implements AutoCloseable {
    private final ClipTextEncoder text;
    private final ClipVisionTower vision;
    private final ClipVisionConfig visionConfig;
    private final CheckpointWeights w;
    private final double logitScale;

    private ClipModel(ClipTextEncoder text, ClipVisionConfig visionConfig, CheckpointWeights w) {
        this.text = text;
        this.vision = new ClipVisionTower(visionConfig, w);
        this.visionConfig = visionConfig;
        this.w = w;
        try (NDArray scale = w.get("logit_scale").toType(DataType.FLOAT32, true)) {
            this.logitScale = scale.getFloat();
        }
    }

    /** Loads a CLIPModel folder, FP32 on the CPU. */
    public static ClipModel load(Path dir) {
        return load(dir, Placement.cpu());
    }

    /**
     * Loads a CLIPModel folder as {@code placement} says, after checking its headers against the manifest of its
     * config (an IllegalArgumentException naming a wrong class, missing or mis-shaped keys).
     */
    public static ClipModel load(Path dir, Placement placement) {
        return ComponentLoader.load(dir, placement, (manager, folder) -> {
            ComponentConfig config = folder.config();
            return of(manager, config, CheckpointWeights.load(manager, folder,
                    Architecture.CLIP_MODEL.manifest(config), placement));
        });
    }

    /**
     * The model of a CLIPModel {@code config} on weights already checked against its manifest (transformers' key
     * names), owning {@code manager}, which holds them.
     */
    static ClipModel of(NDManager manager, ComponentConfig config, CheckpointWeights w) {
        ClipTextEncoder text = ClipTextEncoder.withProjection(manager, ClipConfig.of(config.section("text_config")), w);
        return new ClipModel(text, ClipVisionConfig.of(config.section("vision_config")), w);
    }

    public ClipVisionConfig visionConfig() {
        return visionConfig;
    }

    /** transformers' get_image_features: [B, C, S, S] normalised pixels → [B, projection_dim]. */
    public NDArray imageEmbeds(NDArray pixels) {
        return Layers.linearNoBias(vision.pooled(pixels), w, "visual_projection");
    }

    /** transformers' get_text_features: token ids [B, T] (INT64) → [B, projection_dim]. */
    public NDArray textEmbeds(NDArray ids) {
        return text.encode(ids).projected();
    }

    /** The stored logit_scale, the logarithm of the temperature's inverse (CLIP multiplies cosines by its exp). */
    public double logitScale() {
        return logitScale;
    }

    /** The device the weights live on, for the inputs a caller makes. */
    public Device device() {
        return w.get("logit_scale").getDevice();
    }

    /** Closes the weights' manager (shared with the text tower). */
    @Override
    public void close() {
        text.close();
    }
}
