package dev.asyncdiff.tpm;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.asyncdiff.model.FlowModel;

import java.util.Arrays;

/**
 * The shape of a Timestep Prediction Module and the backbone it is built for. The backbone's latent positions
 * ({@link FlowModel#positions()}) become the TPM's latent tokens, each holding its positions' entries of x, v* and
 * x0 — on a square grid of side ≥ 8 each token is a 2×2 patch of positions ({@link #tokensFor}), as Eq. 7 cuts the
 * spatial tensors into patches: the tiny model's 8×8 positions make 16 tokens, which keeps the TPM's cost per step
 * under a tenth of the denoiser's (measured by {@code bench tpm}); the backbone's text tokens (if its conditioning has them) become text tokens. Stored beside the weights as
 * {@code tpm.json}, so a TPM cannot be loaded onto a backbone it was not built for.
 *
 * @param backbone     the backbone's name ({@code tiny}, {@code gmm}, …)
 * @param latentShape  the backbone's latent shape
 * @param positions    latent positions = latent tokens
 * @param textTokens   text tokens per prompt (0 when the conditioning has none)
 * @param textWidth    values per text token
 * @param width        the TPM's embedding width
 * @param layers       transformer layers (the paper: 4)
 * @param heads        attention heads
 * @param readouts     global read-out tokens whose final states feed the MLP head
 */
public record TpmConfig(String backbone, int[] latentShape, int positions, int textTokens, int textWidth, int width,
                        int layers, int heads, int readouts) {
    /** The tiny backbone's TPM: width 64, the paper's 4 layers; about 0.25 M parameters. */
    public static final int WIDTH = 64;
    public static final int LAYERS = 4;
    public static final int HEADS = 4;
    public static final int READOUTS = 2;
    /** Sinusoidal features of each temporal scalar. */
    public static final int FREQUENCIES = 64;

    public TpmConfig {
        latentShape = latentShape.clone();
        int size = Arrays.stream(latentShape).reduce(1, (a, b) -> a * b);
        if (positions < 1 || size % positions != 0) {
            throw new IllegalArgumentException("a TPM needs latent positions that divide the latent size (got "
                    + positions + " positions for " + size + " values)");
        }
        if (width < 1 || heads < 1 || width % heads != 0 || layers < 1 || readouts < 1 || textTokens < 0
                || textWidth < 0) {
            throw new IllegalArgumentException("unusable TPM shape: width " + width + ", heads " + heads + ", layers "
                    + layers + ", readouts " + readouts);
        }
    }

    /** The default TPM for a backbone's model, read off its latent layout and a sample conditioning. */
    public static TpmConfig forModel(String backbone, FlowModel model) {
        var c = model.unconditional(1);
        int tokens = c instanceof dev.asyncdiff.model.TextTokens t ? t.tokenCount() : 0;
        int tokenWidth = c instanceof dev.asyncdiff.model.TextTokens t ? t.tokenWidth() : 0;
        return new TpmConfig(backbone, model.latentShape(), tokensFor(model.positions()), tokens, tokenWidth, WIDTH,
                LAYERS, HEADS, READOUTS);
    }

    /** Latent tokens for a backbone's positions: a 2×2 patch each on a square grid of even side ≥ 8, else one each. */
    public static int tokensFor(int positions) {
        int side = (int) Math.round(Math.sqrt(positions));
        return side * side == positions && side >= 8 && side % 2 == 0 ? positions / 4 : positions;
    }

    /**
     * The latent token of a backbone position (row-major on the square grid when tokens are 2×2 patches).
     *
     * @param modelPositions the backbone's positions
     */
    public int tokenOf(int position, int modelPositions) {
        if (positions == modelPositions) {
            return position;
        }
        int side = (int) Math.round(Math.sqrt(modelPositions));
        return (position / side / 2) * (side / 2) + (position % side) / 2;
    }

    /** Values of one latent tensor per position. */
    public int entriesPerPosition() {
        return Arrays.stream(latentShape).reduce(1, (a, b) -> a * b) / positions;
    }

    /** Whether a TPM of this shape reads this model's latents and conditioning; else says why, in one line. */
    public void checkFits(String backboneName, FlowModel model) {
        TpmConfig other = forModel(backboneName, model);
        if (!backbone.equals(backboneName) || !Arrays.equals(latentShape, other.latentShape)
                || positions != other.positions || textTokens != other.textTokens || textWidth != other.textWidth) {
            throw new IllegalArgumentException("this TPM was built for backbone " + backbone + " (latent "
                    + Arrays.toString(latentShape) + ", " + textTokens + " text tokens of " + textWidth + "), not for "
                    + backboneName + " (latent " + Arrays.toString(other.latentShape) + ", " + other.textTokens
                    + " text tokens of " + other.textWidth + "); train one for it with train-tpm");
        }
    }

    public String toJson() {
        return new Gson().toJson(this);
    }

    public static TpmConfig fromJson(String json, String source) {
        try {
            JsonObject o = new Gson().fromJson(json, JsonObject.class);
            return new TpmConfig(o.get("backbone").getAsString(), new Gson().fromJson(o.get("latentShape"), int[].class),
                    o.get("positions").getAsInt(), o.get("textTokens").getAsInt(), o.get("textWidth").getAsInt(),
                    o.get("width").getAsInt(), o.get("layers").getAsInt(), o.get("heads").getAsInt(),
                    o.get("readouts").getAsInt());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + " is not a TPM configuration (" + e.getMessage() + ")");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TpmConfig c && backbone.equals(c.backbone) && Arrays.equals(latentShape, c.latentShape)
                && positions == c.positions && textTokens == c.textTokens && textWidth == c.textWidth
                && width == c.width && layers == c.layers && heads == c.heads && readouts == c.readouts;
    }

    @Override
    public int hashCode() {
        return backbone.hashCode() * 31 + Arrays.hashCode(latentShape);
    }

    @Override
    public int[] latentShape() {
        return latentShape.clone();
    }
}
