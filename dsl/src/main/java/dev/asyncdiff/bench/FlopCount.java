package dev.asyncdiff.bench;

import dev.asyncdiff.model.flux.FluxConfig;
import dev.asyncdiff.model.sd3.MmditOps;
import dev.asyncdiff.model.sd3.Sd3Config;
import dev.asyncdiff.model.tokenize.PromptTokenizer;
import dev.asyncdiff.tpm.TpmConfig;

/**
 * Floating-point operations of one sample's pass (a multiply-add counts 2) through the TPM and through the SD3 and
 * Flux transformers, from their layer shapes: every linear layer costs 2·in·out per row it is applied to, and every
 * attention 4·N²·width (QKᵀ and the weighted sum of V over N tokens). Element-wise work (norms, activations, RoPE,
 * softmax) is left out: it is linear in the tokens and small beside the matrix products. The same layer lists give
 * the parameter counts (norm weights, which hold no products, and SD3's position table left out), which tests hold
 * against the manifests of the real checkpoints.
 *
 * <p>TPM (Eq. 7), width w, L_t layers, N = R + P + 3 + L tokens (R read-outs, P latent positions holding E entries
 * of each of x, v*, x0, 3 temporal, L text tokens of width C, F time features):
 * 2·P·3E·w + 2·3·F·w + 2·L·C·w + L_t·(24·N·w² + 4·N²·w) + 2·R·w·w + 2·w·2.
 *
 * <p>SD3 MMDiT, width D, N_i image tokens (patches), N_t text tokens, N = N_i + N_t, F = 256 time features: per
 * joint block the two adaLN-Zero modulations 2·D·6D (9D for the image stream of a dual-attention block; 2D for the
 * text stream of the last block), both streams' q, k, v and output projections and 4D MLPs 2·12·D²·N, the joint
 * attention 4·N²·D; a dual-attention block adds q, k, v, out over the image tokens 2·4·D²·N_i and 4·N_i²·D; the last
 * block has no text output projection and no text MLP (2·9·D²·N_t less). Embedders: the patch embedding
 * 2·(C·p²)·D·N_i, the context embedder 2·J·D·N_t, the time and pooled-text MLPs; the output 2·D·2D + 2·D·p²C·N_i.
 *
 * <p>Flux, width D, N_i packed image tokens (2×2 latent patches), N_t T5 tokens, N = N_i + N_t: per double-stream
 * block 2·12·D²·N + 4·N²·D + 2·2·6·D² (the two adaLN-Zero modulations); per single-stream block 2·12·D²·N (q, k, v,
 * the 4D MLP input and the 5D → D output) + 4·N²·D + 2·3·D²; embedders 2·C·D·N_i + 2·J·D·N_t and the time,
 * guidance and pooled-text MLPs; the final 2·2·D² + 2·D·C·N_i. One pass per step: Flux.1-dev is guidance-distilled.
 */
public final class FlopCount {
    /** Packed image tokens of Flux at 512×512: 64×64×16 latents in 2×2 squares. */
    public static final int FLUX_TOKENS_512 = 1024;

    /** FLOPs and parameters of one network, per sample. */
    public record Count(double flops, double parameters) {
        Count plus(Count o) {
            return new Count(flops + o.flops, parameters + o.parameters);
        }

        Count times(int n) {
            return new Count(flops * n, parameters * n);
        }
    }

    private FlopCount() {
    }

    /** A linear layer with bias, in → out, applied to {@code rows} rows per sample. */
    static Count linear(int in, int out, long rows) {
        return new Count(2.0 * in * out * rows, (double) in * out + out);
    }

    /** Attention over n tokens of the given width: QKᵀ and the weighted sum of V. */
    static Count attention(long n, int width) {
        return new Count(4.0 * n * n * width, 0);
    }

    /** One TPM decision for one sample. */
    public static Count tpm(TpmConfig c) {
        int w = c.width();
        long n = c.readouts() + c.positions() + 3L + c.textTokens();
        Count total = linear(3 * c.entriesPerPosition(), w, c.positions())
                .plus(new Count(0, (double) c.positions() * w)) // latent_pos
                .plus(linear(TpmConfig.FREQUENCIES, w, 3)).plus(new Count(0, 3.0 * w)) // time, time_kind
                .plus(new Count(0, (double) c.readouts() * w)); // readout tokens
        if (c.textTokens() > 0) {
            total = total.plus(linear(c.textWidth(), w, c.textTokens())).plus(new Count(0, w)); // text, text_kind
        }
        Count layer = linear(w, 3 * w, n).plus(linear(w, w, n)).plus(linear(w, 4 * w, n)).plus(linear(4 * w, w, n))
                .plus(attention(n, w));
        return total.plus(layer.times(c.layers())).plus(linear(c.readouts() * w, w, 1)).plus(linear(w, 2, 1));
    }

    /** One SD3 (SD3.5) MMDiT pass for one sample. */
    public static Count sd3(Sd3Config c, int imageTokens, int textTokens) {
        int d = c.width();
        long ni = imageTokens;
        long nt = textTokens;
        int patch = c.patch() * c.patch();
        Count total = linear(c.inChannels() * patch, d, ni) // the p × p patch convolution
                .plus(embedder(MmditOps.FREQUENCY_CHANNELS, d)).plus(embedder(c.pooledDim(), d))
                .plus(linear(c.jointDim(), c.captionDim(), nt));
        for (int i = 0; i < c.layers(); i++) {
            boolean last = i == c.layers() - 1;
            Count block = linear(d, (c.dual(i) ? 9 : 6) * d, 1).plus(linear(d, (last ? 2 : 6) * d, 1))
                    .plus(tokenwise(d, ni)).plus(linear(d, d, nt).times(3)).plus(attention(ni + nt, d));
            if (!last) {
                block = block.plus(linear(d, d, nt)).plus(mlp(d, nt)); // to_add_out, ff_context
            }
            if (c.dual(i)) {
                block = block.plus(linear(d, d, ni).times(4)).plus(attention(ni, d)); // attn2
            }
            total = total.plus(block);
        }
        return total.plus(linear(d, 2 * d, 1)).plus(linear(d, patch * c.outChannels(), ni));
    }

    /** One Flux transformer pass for one sample. */
    public static Count flux(FluxConfig c, int imageTokens, int textTokens) {
        int d = c.width();
        long ni = imageTokens;
        long nt = textTokens;
        long n = ni + nt;
        Count embed = linear(c.inChannels(), d, ni).plus(linear(c.jointDim(), d, nt))
                .plus(embedder(MmditOps.FREQUENCY_CHANNELS, d)).plus(embedder(c.pooledDim(), d));
        if (c.guidance()) {
            embed = embed.plus(embedder(MmditOps.FREQUENCY_CHANNELS, d));
        }
        Count stream = linear(d, 6 * d, 1); // AdaLN-Zero modulation of one stream
        Count doubleBlock = stream.times(2)
                .plus(tokenwise(d, ni)).plus(tokenwise(d, nt)).plus(attention(n, d));
        Count singleBlock = linear(d, 3 * d, 1).plus(linear(d, d, n).times(3)).plus(linear(d, 4 * d, n))
                .plus(linear(5 * d, d, n)).plus(attention(n, d));
        Count out = linear(d, 2 * d, 1).plus(linear(d, c.outChannels(), ni));
        return embed.plus(doubleBlock.times(c.doubleLayers())).plus(singleBlock.times(c.singleLayers())).plus(out);
    }

    /** One Flux.1-dev pass at 512×512 with its 512 T5 tokens. */
    public static Count fluxDev512() {
        return flux(FluxConfig.dev(), FLUX_TOKENS_512, PromptTokenizer.T5_LENGTH_FLUX);
    }

    /** An MLP embedder of one vector per sample: in → D, SiLU, D → D (time, guidance, pooled text). */
    private static Count embedder(int in, int d) {
        return linear(in, d, 1).plus(linear(d, d, 1));
    }

    /** The 4D MLP of a stream on its tokens. */
    private static Count mlp(int d, long rows) {
        return linear(d, 4 * d, rows).plus(linear(4 * d, d, rows));
    }

    /** One stream of a double-stream block on its tokens: q, k, v and output projections, then the 4D MLP. */
    private static Count tokenwise(int d, long rows) {
        return linear(d, d, rows).times(4).plus(mlp(d, rows));
    }

    /** The TPM of {@link TpmConfig}'s design for Flux.1-dev at 512×512: one token per packed latent position. */
    public static TpmConfig fluxTpm(int width) {
        return new TpmConfig("flux", new int[] {16, 64, 64}, FLUX_TOKENS_512, PromptTokenizer.T5_LENGTH_FLUX, 4096,
                width, TpmConfig.LAYERS, TpmConfig.HEADS, TpmConfig.READOUTS);
    }
}
