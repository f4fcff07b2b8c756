package dev.asyncdiff.model.checkpoint;

import java.nio.file.Path;

/**
 * The transformers of the published checkpoints, by their {@code transformer/config.json} (field for field as far as
 * the manifests and configs read them): what a benchmark with random weights of the real shapes, and tests of the
 * real sizes, need without a checkpoint at hand.
 */
public enum PublishedTransformer {
    SD35_MEDIUM("stabilityai/stable-diffusion-3.5-medium", Architecture.SD3_TRANSFORMER, """
            {"_class_name": "SD3Transformer2DModel", "attention_head_dim": 64, "caption_projection_dim": 1536,
             "dual_attention_layers": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], "in_channels": 16,
             "joint_attention_dim": 4096, "num_attention_heads": 24, "num_layers": 24, "out_channels": 16,
             "patch_size": 2, "pooled_projection_dim": 2048, "pos_embed_max_size": 384, "qk_norm": "rms_norm",
             "sample_size": 128}"""),
    FLUX1_DEV("black-forest-labs/FLUX.1-dev", Architecture.FLUX_TRANSFORMER, """
            {"_class_name": "FluxTransformer2DModel", "attention_head_dim": 128, "axes_dims_rope": [16, 56, 56],
             "guidance_embeds": true, "in_channels": 64, "joint_attention_dim": 4096, "num_attention_heads": 24,
             "num_layers": 19, "num_single_layers": 38, "patch_size": 1, "pooled_projection_dim": 768}""");

    /** The Hugging Face repository that publishes the checkpoint. */
    public final String repository;
    public final Architecture architecture;
    private final String json;

    PublishedTransformer(String repository, Architecture architecture, String json) {
        this.repository = repository;
        this.architecture = architecture;
        this.json = json;
    }

    /** The config.json text. */
    public String json() {
        return json;
    }

    /** The config, named after its place in the published folder. */
    public ComponentConfig config() {
        return ComponentConfig.parse(Path.of(repository, "transformer", ComponentConfig.FILE), json);
    }

    public Manifest manifest() {
        return architecture.manifest(config());
    }
}
