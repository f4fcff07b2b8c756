package dev.asyncdiff.model.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.TextTokens;
import dev.asyncdiff.nn.NativeData;

import java.util.List;

/**
 * Encoded prompts of the tiny model, one row per sample: token states [L·C] (row-major [L, C]), the valid-token
 * mask [L] (1 or 0), the pooled state [C], and the prompt's words (empty for the null condition), so that
 * cross-attention columns can be tied back to words.
 */
public record TinyConditioning(float[][] tokens, float[][] mask, float[][] pooled, List<List<String>> words,
                               Resident resident) implements TextTokens {

    /**
     * The tensors held natively: tokens [B, L, C], mask [B, L], pooled [B, C] and, for a whole sampling run, each
     * block's cross-attention keys and values (null when uploaded for one call).
     */
    public record Resident(NDArray tokens, NDArray mask, NDArray pooled, List<NDArray[]> crossKeys) {
    }

    public TinyConditioning(float[][] tokens, float[][] mask, float[][] pooled, List<List<String>> words) {
        this(tokens, mask, pooled, words, null);
    }

    public TinyConditioning {
        if (tokens.length != mask.length || tokens.length != pooled.length || tokens.length != words.size()) {
            throw new IllegalArgumentException("conditioning rows disagree: " + tokens.length + " token rows, "
                    + mask.length + " masks, " + pooled.length + " pooled, " + words.size() + " word lists");
        }
    }

    @Override
    public int size() {
        return tokens.length;
    }

    @Override
    public int tokenCount() {
        return TinyNetworks.MAX_TOKENS;
    }

    @Override
    public int tokenWidth() {
        return TextEncoder.WIDTH;
    }

    /** The tensors as native arrays: the resident ones, or uploaded into {@code manager} for one call. */
    Resident arrays(NDManager manager) {
        if (resident != null) {
            return resident;
        }
        int b = size();
        int l = TinyNetworks.MAX_TOKENS;
        int c = TextEncoder.WIDTH;
        return new Resident(
                NativeData.of(manager, TinyFlowModel.flatten(tokens, l * c), new Shape(b, l, c)),
                NativeData.of(manager, TinyFlowModel.flatten(mask, l), new Shape(b, l)),
                NativeData.of(manager, TinyFlowModel.flatten(pooled, c), new Shape(b, c)),
                null);
    }

    /** The same rows with {@code r} resident. */
    TinyConditioning with(Resident r) {
        return new TinyConditioning(tokens, mask, pooled, words, r);
    }

    @Override
    public Conditioning concat(Conditioning other) {
        if (!(other instanceof TinyConditioning o)) {
            throw new IllegalArgumentException("cannot join the tiny model's conditioning with "
                    + other.getClass().getSimpleName());
        }
        return new TinyConditioning(Conditioning.join(tokens, o.tokens), Conditioning.join(mask, o.mask),
                Conditioning.join(pooled, o.pooled), Conditioning.join(words, o.words));
    }
}
