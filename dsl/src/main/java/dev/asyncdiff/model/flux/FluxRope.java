package dev.asyncdiff.model.flux;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.nn.NativeData;

/**
 * Flux's rotary position embedding over multi-axis ids (diffusers' FluxPosEmbed with apply_rotary_emb): axis a
 * rotates its own block of d_a head channels, pair i of the block at angle pos_a · θ^(−2i/d_a), θ = 10000. Pairs
 * are interleaved channels (x_{2i}, x_{2i+1}) → (x_{2i}·cos − x_{2i+1}·sin, x_{2i+1}·cos + x_{2i}·sin); the
 * frequencies and angles are computed in float64 and only the cosines and sines rounded to float32, as diffusers
 * does, so that large positions keep their precision.
 *
 * @param cos [L, d], each pair's cosine repeated on both of its channels
 * @param sin [L, d], likewise
 */
record FluxRope(NDArray cos, NDArray sin) {
    static final double THETA = 10000;

    /** The tables for tokens with these ids ([L][axes], text first as in the joint sequence). */
    static FluxRope of(NDManager manager, int[] axesDims, double[][] ids) {
        int d = 0;
        for (int a : axesDims) {
            d += a;
        }
        float[] cos = new float[ids.length * d];
        float[] sin = new float[ids.length * d];
        for (int l = 0; l < ids.length; l++) {
            int channel = l * d;
            for (int a = 0; a < axesDims.length; a++) {
                for (int i = 0; i < axesDims[a] / 2; i++) {
                    double angle = ids[l][a] * (1 / Math.pow(THETA, 2.0 * i / axesDims[a]));
                    cos[channel] = cos[channel + 1] = (float) Math.cos(angle);
                    sin[channel] = sin[channel + 1] = (float) Math.sin(angle);
                    channel += 2;
                }
            }
        }
        Shape s = new Shape(ids.length, d);
        return new FluxRope(NativeData.of(manager, cos, s), NativeData.of(manager, sin, s));
    }

    /** Rotates head-split queries or keys [B, H, L, d]. */
    NDArray rotate(NDArray x) {
        Shape s = x.getShape();
        NDList pairs = x.reshape(s.get(0), s.get(1), s.get(2), s.get(3) / 2, 2).split(2, 4);
        NDArray turned = pairs.get(1).neg().concat(pairs.get(0), 4).reshape(s);
        return x.mul(cos).add(turned.mul(sin));
    }
}
