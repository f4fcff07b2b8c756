package dev.asyncdiff.bench;

import dev.asyncdiff.tpm.TpmConfig;

/**
 * Floating-point operations of one sample's pass (a multiply-add counts 2) through the TPM and through the Flux.1-dev
 * transformer, from their layer shapes: every linear layer costs 2·in·out per row it is applied to, and every
 * attention 4·N²·width (QKᵀ and the weighted sum of V over N tokens). Element-wise work (norms, activations, RoPE,
 * softmax) is left out: it is linear in the tokens and small beside the matrix products. The same layer lists give
 * the parameter counts, which tests hold against the real TPM and Flux's published size.
 *
 * <p>TPM (Eq. 7), width w, L_t layers, N = R + P + 3 + L tokens (R read-outs, P latent positions holding E entries
 * of each of x, v*, x0, 3 temporal, L text tokens of width C, F time features):
 * 2·P·3E·w + 2·3·F·w + 2·L·C·w + L_t·(24·N·w² + 4·N²·w) + 2·R·w·w + 2·w·2.
 *
 * <p>Flux.1-dev at 512×512: N_i = 1024 image tokens (64×64×16 latents packed 2×2 into 64 channels), N_t = 512 T5
 * tokens, N = N_i + N_t, D = 3072; per double-stream block (19) both streams: 2·12·D²·N + 4·N²·D + 2·2·6·D² (the
 * two AdaLN-Zero modulations); per single-stream block (38): 2·12·D²·N (q, k, v, the 4D MLP input and the 5D → D
 * output) + 4·N²·D + 2·3·D²; embedders 2·64·D·N_i + 2·4096·D·N_t and the time, guidance and pooled-text MLPs; the
 * final 2·2·D² + 2·D·64·N_i. One pass per step: Flux.1-dev is guidance-distilled.
 */
public final class FlopCount {
    /** FLOPs and parameters of one network, per sample. */
    public record Count(double flops, double parameters) {
        Count plus(Count o) {
            return new Count(flops + o.flops, parameters + o.parameters);
        }

        Count times(int n) {
            return new Count(flops * n, parameters * n);
        }
    }

    /**
     * The Flux.1-dev transformer at one resolution.
     *
     * @param imageTokens packed latent tokens (1024 at 512×512)
     * @param textTokens  T5 tokens (512)
     */
    public record FluxShape(int imageTokens, int textTokens, int width, int doubleBlocks, int singleBlocks,
                            int inChannels, int textWidth, int pooledWidth, int timeFeatures) {
        /** 512×512: 64×64 latents of 16 channels, packed 2×2. */
        public static final FluxShape AT_512 = new FluxShape(1024, 512, 3072, 19, 38, 64, 4096, 768, 256);
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

    /** One Flux.1-dev transformer pass for one sample. */
    public static Count flux(FluxShape s) {
        int d = s.width();
        long ni = s.imageTokens();
        long nt = s.textTokens();
        long n = ni + nt;
        Count embed = linear(s.inChannels(), d, ni).plus(linear(s.textWidth(), d, nt))
                .plus(linear(s.timeFeatures(), d, 1)).plus(linear(d, d, 1)) // timestep
                .plus(linear(s.timeFeatures(), d, 1)).plus(linear(d, d, 1)) // guidance
                .plus(linear(s.pooledWidth(), d, 1)).plus(linear(d, d, 1)); // pooled CLIP text
        Count stream = linear(d, 6 * d, 1); // AdaLN-Zero modulation of one stream
        Count doubleBlock = stream.times(2)
                .plus(tokenwise(d, ni)).plus(tokenwise(d, nt)).plus(attention(n, d));
        Count singleBlock = linear(d, 3 * d, 1).plus(linear(d, d, n).times(3)).plus(linear(d, 4 * d, n))
                .plus(linear(5 * d, d, n)).plus(attention(n, d));
        Count out = linear(d, 2 * d, 1).plus(linear(d, s.inChannels(), ni));
        return embed.plus(doubleBlock.times(s.doubleBlocks())).plus(singleBlock.times(s.singleBlocks())).plus(out);
    }

    /** One stream of a double-stream block on its tokens: q, k, v and output projections, then the 4D MLP. */
    private static Count tokenwise(int d, long rows) {
        return linear(d, d, rows).times(4).plus(linear(d, 4 * d, rows)).plus(linear(4 * d, d, rows));
    }

    /** The TPM of {@link TpmConfig}'s design for Flux.1-dev at 512×512: one token per packed latent position. */
    public static TpmConfig fluxTpm(int width) {
        return new TpmConfig("flux", new int[] {16, 64, 64}, 1024, 512, 4096, width, TpmConfig.LAYERS,
                TpmConfig.HEADS, TpmConfig.READOUTS);
    }
}
