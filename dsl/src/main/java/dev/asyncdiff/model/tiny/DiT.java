package dev.asyncdiff.model.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.nn.NativeData;
import dev.asyncdiff.nn.NoGrad;
import dev.asyncdiff.nn.Ops;
import dev.asyncdiff.nn.Params;

import java.util.ArrayList;
import java.util.List;

import static dev.asyncdiff.nn.Ops.attention;
import static dev.asyncdiff.nn.Ops.gelu;
import static dev.asyncdiff.nn.Ops.layerNorm;
import static dev.asyncdiff.nn.Ops.linear;
import static dev.asyncdiff.nn.Ops.mergeHeads;
import static dev.asyncdiff.nn.Ops.modulate;
import static dev.asyncdiff.nn.Ops.paddingBias;
import static dev.asyncdiff.nn.Ops.silu;
import static dev.asyncdiff.nn.Ops.splitHeads;

/**
 * The velocity network: a DiT over 2×2 patches of the 16×16×4 latent (64 tokens). Each block is self-attention,
 * cross-attention to the text tokens and an MLP; self-attention and MLP are modulated by adaLN from the
 * conditioning embedding (timestep + pooled text). {@link DiTArchitecture} says where the modulation and the
 * positions come from. A per-sample time [B, 1] gives one embedding and modulation per sample, broadcast over
 * the tokens; a per-token time map [B, 64] gives every token its own.
 */
final class DiT {
    static final int PATCH = 2;
    static final int GRID = LatentAutoencoder.LATENT / PATCH;
    static final int TOKENS = GRID * GRID;
    static final int PATCH_DIM = LatentAutoencoder.LATENT_CHANNELS * PATCH * PATCH;
    static final int WIDTH = 160;
    static final int DEPTH = 5;
    static final int HEADS = 4;
    static final int FREQUENCIES = 128;
    /** Attention's 1/√d, d = WIDTH / HEADS: what the scores are scaled by, or what {@link InferenceFolding} folds in. */
    static final float SCORE_SCALE = (float) (1.0 / Math.sqrt((double) WIDTH / HEADS));
    /**
     * Where each of a block's six modulation chunks sits (adaLN-Zero): shift, scale and gate of self-attention,
     * then of the MLP; {@link InferenceFolding} finds the scale chunks by these too.
     */
    static final int SHIFT1 = 0, SCALE1 = 1, GATE1 = 2, SHIFT2 = 3, SCALE2 = 4, GATE2 = 5;
    /** The final layer's two modulation chunks. */
    static final int FINAL_SHIFT = 0, FINAL_SCALE = 1;
    /** Timesteps are embedded at 1000·t, the scale of the sinusoidal features' usual range. */
    private static final float TIME_SCALE = 1000f;
    private static final float[] SINCOS = sincosTable();

    private final Params params;
    private final DiTArchitecture arch;
    /** Whether {@link InferenceFolding} has put adaLN's 1 and attention's 1/√d into the weights. */
    private final boolean folded;
    /** The time embedding's frequencies [1, 1, F/2] and its scale 1000, made once, beside the weights. */
    private final NDArray frequencies;
    private final NDArray timeScale;
    /** The fixed sine-cosine table [64, C] of the SINCOS positions, made once; null for learned positions. */
    private final NDArray sincos;
    /** A folded copy's position term [64, C], made once (its weights do not change); null when training. */
    private final NDArray fixedPositions;

    DiT(Params params, DiTArchitecture arch) {
        this(params, arch, false);
    }

    private DiT(Params params, DiTArchitecture arch, boolean folded) {
        this.params = params;
        this.arch = arch;
        this.folded = folded;
        NDManager weights = params.get("patch.w").getManager();
        int half = FREQUENCIES / 2;
        this.frequencies = NativeData.of(weights, Ops.sinusoidFrequencies(half), new Shape(1, 1, half));
        this.timeScale = NativeData.scalar(weights, TIME_SCALE);
        this.sincos = arch.positions() == DiTArchitecture.Positions.SINCOS
                ? NativeData.of(weights, SINCOS, new Shape(TOKENS, WIDTH)) : null;
        if (folded) {
            try (NoGrad ignored = NoGrad.enter()) {
                this.fixedPositions = positionTerm(weights);
            }
        } else {
            this.fixedPositions = null;
        }
        // kept for the network's life, even when it is made inside a scope
        NDScope.unregister(frequencies, timeScale);
        if (sincos != null) {
            NDScope.unregister(sincos);
        }
        if (fixedPositions != null) {
            NDScope.unregister(fixedPositions);
        }
    }

    /** The same network with its constants folded into copies of the weights, for sampling only. */
    DiT folded(NDManager manager) {
        if (folded) {
            return this;
        }
        return new DiT(InferenceFolding.fold(params, arch, manager), arch, true);
    }

    static Params.Layout layout(DiTArchitecture arch) {
        int c = WIDTH;
        boolean shared = arch.modulation() == DiTArchitecture.Modulation.SHARED;
        Params.Layout l = new Params.Layout().linear("patch", PATCH_DIM, c);
        if (arch.positions() == DiTArchitecture.Positions.LEARNED) {
            l.add("pos", Params.Init.NORMAL_002, TOKENS, c);
        } else {
            l.add("pos_gain", Params.Init.ONE, c);
        }
        l.linear("time.fc1", FREQUENCIES, c).linear("time.fc2", c, c).linear("text.pooled", TextEncoder.WIDTH, c);
        if (shared) {
            l.zeroLinear("mod", c, 8 * c);
        }
        for (int i = 0; i < DEPTH; i++) {
            String b = "block" + i;
            if (shared) {
                l.add(b + ".table", Params.Init.NORMAL_002, 6 * c);
            } else {
                l.zeroLinear(b + ".mod", c, 6 * c);
            }
            l.layerNorm(b + ".ln1", c).linear(b + ".qkv", c, 3 * c).linear(b + ".proj", c, c)
                    .layerNorm(b + ".ln2", c).linear(b + ".xq", c, c).linear(b + ".xkv", TextEncoder.WIDTH, 2 * c)
                    .linear(b + ".xproj", c, c)
                    .layerNorm(b + ".ln3", c).linear(b + ".fc1", c, 4 * c).linear(b + ".fc2", 4 * c, c);
        }
        if (shared) {
            l.add("final.table", Params.Init.NORMAL_002, 2 * c);
        } else {
            l.zeroLinear("final.mod", c, 2 * c);
        }
        return l.layerNorm("final.ln", c).zeroLinear("final.out", c, PATCH_DIM);
    }

    Params params() {
        return params;
    }

    DiTArchitecture architecture() {
        return arch;
    }

    /** The outputs of one forward pass. */
    record Output(NDArray velocity, List<NDArray> crossAttention) {
    }

    /**
     * @param x      latents [B, 4, 16, 16]
     * @param t      times [B, 1] (per sample) or [B, 64] (per token)
     * @param tokens text token states [B, L, Ct]; pooled [B, Ct]; mask [B, L]
     * @param keepAttention whether to return each block's head-averaged cross-attention [B, 64, L]
     */
    Output forward(NDArray x, NDArray t, NDArray tokens, NDArray pooled, NDArray mask, boolean keepAttention) {
        return forward(x, t, crossKeys(tokens), pooled, mask, keepAttention);
    }

    /**
     * Per block, the text tokens' cross-attention keys and values, split into heads ([B, H, L, C/H] each): they depend
     * on the text alone, so a sampling run computes them once ({@link TinyFlowModel#resident}).
     */
    List<NDArray[]> crossKeys(NDArray tokens) {
        List<NDArray[]> out = new ArrayList<>(DEPTH);
        for (int i = 0; i < DEPTH; i++) {
            NDList kv = linear(tokens, params, "block" + i + ".xkv").split(2, 2);
            out.add(new NDArray[] {splitHeads(kv.get(0), HEADS), splitHeads(kv.get(1), HEADS)});
        }
        return out;
    }

    /** The same with the text's keys and values from {@link #crossKeys}. */
    Output forward(NDArray x, NDArray t, List<NDArray[]> crossKeys, NDArray pooled, NDArray mask,
                   boolean keepAttention) {
        long b = x.getShape().get(0);
        int c = WIDTH;
        float scoreScale = folded ? 1f : SCORE_SCALE;
        NDArray h = linear(patchify(x), params, "patch").add(fixedPositions != null ? fixedPositions
                : positionTerm(x.getManager()));

        NDArray emb = timeEmbedding(t);
        emb = linear(silu(linear(emb, params, "time.fc1")), params, "time.fc2");
        emb = emb.add(linear(pooled, params, "text.pooled").expandDims(1)); // [B, 1 or 64, C]
        NDArray act = silu(emb);
        NDArray shared = arch.modulation() == DiTArchitecture.Modulation.SHARED ? linear(act, params, "mod") : null;

        NDArray bias = paddingBias(mask);
        List<NDArray> attn = new ArrayList<>();
        for (int i = 0; i < DEPTH; i++) {
            String n = "block" + i;
            NDList m = (shared != null ? shared.get(":, :, 0:" + 6 * c).add(params.get(n + ".table"))
                    : linear(act, params, n + ".mod")).split(6, 2);
            NDArray a = adaLN(layerNorm(h, params, n + ".ln1"), m.get(SHIFT1), m.get(SCALE1));
            NDList qkv = linear(a, params, n + ".qkv").split(3, 2);
            NDArray q = splitHeads(qkv.get(0), HEADS);
            NDArray k = splitHeads(qkv.get(1), HEADS);
            NDArray v = splitHeads(qkv.get(2), HEADS);
            NDArray selfAttention = mergeHeads(attention(q, k, v, null, scoreScale)[0]);
            h = h.add(m.get(GATE1).mul(linear(selfAttention, params, n + ".proj")));

            NDArray xq = splitHeads(linear(layerNorm(h, params, n + ".ln2"), params, n + ".xq"), HEADS);
            NDArray[] cross = attention(xq, crossKeys.get(i)[0], crossKeys.get(i)[1], bias, scoreScale);
            h = h.add(linear(mergeHeads(cross[0]), params, n + ".xproj"));
            if (keepAttention) {
                attn.add(cross[1].mean(new int[] {1}));
            }

            NDArray f = adaLN(layerNorm(h, params, n + ".ln3"), m.get(SHIFT2), m.get(SCALE2));
            f = linear(gelu(linear(f, params, n + ".fc1")), params, n + ".fc2");
            h = h.add(m.get(GATE2).mul(f));
        }
        NDList fm = (shared != null ? shared.get(":, :, " + 6 * c + ":").add(params.get("final.table"))
                : linear(act, params, "final.mod")).split(2, 2);
        NDArray out = linear(adaLN(layerNorm(h, params, "final.ln"), fm.get(FINAL_SHIFT), fm.get(FINAL_SCALE)), params,
                "final.out");
        return new Output(unpatchify(out, b), attn);
    }

    /** x·(1 + scale) + shift; with folded weights the modulation already holds 1 + scale. */
    private NDArray adaLN(NDArray x, NDArray shift, NDArray scale) {
        return folded ? x.mul(scale).addi(shift) : modulate(x, shift, scale);
    }

    /** The position term added to the patch embeddings: [64, C]. */
    private NDArray positionTerm(NDManager manager) {
        if (arch.positions() == DiTArchitecture.Positions.LEARNED) {
            return params.get("pos");
        }
        NDArray term = sincos.mul(params.get("pos_gain"));
        term.attach(manager);   // a pass's temporary, like the rest of the pass (the table stays with the weights)
        return term;
    }

    /**
     * The fixed 2D sine-cosine positions of MAE and DiT: the first half of the channels encode the token's row,
     * the second half its column, each as sin then cos of the coordinate at frequencies 10000^(−j/(C/4)).
     */
    static float[] sincosTable() {
        int quarter = WIDTH / 4;
        float[] out = new float[TOKENS * WIDTH];
        for (int token = 0; token < TOKENS; token++) {
            int[] coordinate = {token / GRID, token % GRID};
            for (int axis = 0; axis < 2; axis++) {
                for (int j = 0; j < quarter; j++) {
                    double angle = coordinate[axis] * Math.pow(10000.0, -(double) j / quarter);
                    int base = token * WIDTH + axis * 2 * quarter;
                    out[base + j] = (float) Math.sin(angle);
                    out[base + quarter + j] = (float) Math.cos(angle);
                }
            }
        }
        return out;
    }

    /** Sinusoidal features of 1000·t: [B, T] → [B, T, FREQUENCIES]. */
    private NDArray timeEmbedding(NDArray t) {
        NDArray angles = t.mul(timeScale).expandDims(2).mul(frequencies);
        return Ops.concatLast(angles.cos(), angles.sin());
    }

    /** [B, 4, 16, 16] → [B, 64, 16]: token (i, j) holds the 4×2×2 entries of patch (i, j), channel-major. */
    static NDArray patchify(NDArray x) {
        long b = x.getShape().get(0);
        return x.reshape(b, LatentAutoencoder.LATENT_CHANNELS, GRID, PATCH, GRID, PATCH)
                .transpose(0, 2, 4, 1, 3, 5).reshape(b, TOKENS, PATCH_DIM);
    }

    static NDArray unpatchify(NDArray tokens, long b) {
        return tokens.reshape(b, GRID, GRID, LatentAutoencoder.LATENT_CHANNELS, PATCH, PATCH)
                .transpose(0, 3, 1, 4, 2, 5)
                .reshape(b, LatentAutoencoder.LATENT_CHANNELS, LatentAutoencoder.LATENT, LatentAutoencoder.LATENT);
    }

    /** The token of flattened latent entry (c, h, w). */
    static int tokenOf(int index) {
        int plane = LatentAutoencoder.LATENT * LatentAutoencoder.LATENT;
        int h = (index % plane) / LatentAutoencoder.LATENT;
        int w = index % LatentAutoencoder.LATENT;
        return (h / PATCH) * GRID + w / PATCH;
    }
}
