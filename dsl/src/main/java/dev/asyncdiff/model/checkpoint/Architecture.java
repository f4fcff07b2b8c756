package dev.asyncdiff.model.checkpoint;

import java.util.function.Function;

/** The model classes whose checkpoints this package knows, by the class name their config.json gives. */
public enum Architecture {
    SD3_TRANSFORMER("SD3Transformer2DModel", Sd3TransformerManifest::of),
    FLUX_TRANSFORMER("FluxTransformer2DModel", FluxTransformerManifest::of),
    AUTOENCODER_KL("AutoencoderKL", AutoencoderKlManifest::of),
    CLIP_TEXT("CLIPTextModel", c -> ClipTextManifest.of(c, false)),
    CLIP_TEXT_WITH_PROJECTION("CLIPTextModelWithProjection", c -> ClipTextManifest.of(c, true)),
    T5_ENCODER("T5EncoderModel", T5EncoderManifest::of),
    CLIP_MODEL("CLIPModel", ClipModelManifest::of),
    /** Not a config.json class: OpenCLIP checkpoints carry no config; their dimensions come from their shapes. */
    OPEN_CLIP("OpenCLIP CLIP", OpenClipManifest::of),
    /**
     * Not a config.json class: ImageReward.pt carries no config, and its manifest comes from its shapes
     * ({@code dev.asyncdiff.model.blip.ImageRewardManifest}); named here for the reports of weights check.
     */
    IMAGE_REWARD("ImageReward", c -> {
        throw new IllegalArgumentException(c.file() + ": ImageReward has no config.json; its dimensions come from "
                + "the shapes in ImageReward.pt");
    });

    public final String className;
    private final Function<ComponentConfig, Manifest> manifest;

    Architecture(String className, Function<ComponentConfig, Manifest> manifest) {
        this.className = className;
        this.manifest = manifest;
    }

    /**
     * The manifest for this configuration. A config naming another class is refused; one naming none (older
     * transformers configs) is read as this class.
     */
    public Manifest manifest(ComponentConfig config) {
        String named = config.className();
        if (!named.isEmpty() && !named.equals(className)) {
            throw new IllegalArgumentException(config.file() + " describes a " + named + "; a " + className
                    + " belongs here");
        }
        return manifest.apply(config);
    }
}
