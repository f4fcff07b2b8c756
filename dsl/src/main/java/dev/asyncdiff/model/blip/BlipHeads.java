package dev.asyncdiff.model.blip;

/**
 * The attention heads of ImageReward's two encoders, the one dimension no tensor's shape records. The published
 * model has 16 in its vision transformer (BLIP's {@code create_vit('large')}: ViT-L/16) and 12 in its text encoder
 * ({@code num_attention_heads} of ImageReward's med_config.json: BERT-base); smaller test models pass their own.
 */
public record BlipHeads(int vision, int text) {
    public static final BlipHeads PUBLISHED = new BlipHeads(16, 12);

    public BlipHeads {
        if (vision <= 0 || text <= 0) {
            throw new IllegalArgumentException("head counts must be positive (got vision " + vision + ", text "
                    + text + ")");
        }
    }
}
