package dev.asyncdiff.model.sd3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.nn.Ops;

/**
 * One MMDiT block of SD3 (diffusers' JointTransformerBlock): image tokens x and text tokens c are modulated by
 * their own adaLN-Zero (shift, scale, gate for attention, then for the MLP), attend jointly — image tokens first —
 * through their own q/k/v projections, and pass their own MLPs. SD3.5 adds, in its first layers, a second attention
 * over the image tokens alone (attn2) with its own shift, scale and gate. The last block feeds the text stream into
 * attention only: shift and scale from a continuous adaLN (scale first), no output projection, no text MLP.
 *
 * @param dual whether this block has attn2
 * @param last whether this is the context-pre-only last block
 */
record JointBlock(CheckpointWeights w, String prefix, Sd3Config config, boolean dual, boolean last) {

    /**
     * Image and text tokens; {@code c} is null where the last block has no text output, {@code imageToText} (the
     * joint attention's image→text map [B, N, S], {@link MmditOps#imageToText}) null unless it was asked for.
     */
    record Streams(NDArray x, NDArray c, NDArray imageToText) {
    }

    /**
     * @param tembImage the image stream's conditioning: [B, D] per sample, or [B, N, D] per image token
     * @param tembText  the text stream's conditioning [B, D]
     */
    Streams forward(NDArray x, NDArray c, NDArray tembImage, NDArray tembText, boolean keepAttention) {
        NDList m = MmditOps.modulation(tembImage, w, prefix + ".norm1.linear", dual ? 9 : 6);
        NDArray normed = MmditOps.layerNorm(x);
        NDArray nx = Ops.modulate(normed, m.get(0), m.get(1));
        NDArray cn = MmditOps.layerNorm(c);
        NDList mc = MmditOps.modulation(tembText, w, prefix + ".norm1_context.linear", last ? 2 : 6);
        // AdaLayerNormContinuous chunks scale before shift; AdaLayerNormZero shift before scale.
        NDArray nc = last ? Ops.modulate(cn, mc.get(1), mc.get(0)) : Ops.modulate(cn, mc.get(0), mc.get(1));

        Streams attended = jointAttention(nx, nc, keepAttention);
        x = x.add(attended.x().mul(m.get(2)));
        if (dual) {
            NDArray nx2 = Ops.modulate(normed, m.get(6), m.get(7));
            x = x.add(selfAttention(nx2, prefix + ".attn2").mul(m.get(8)));
        }
        NDArray ff = MmditOps.feedForward(Ops.modulate(MmditOps.layerNorm(x), m.get(3), m.get(4)), w,
                prefix + ".ff");
        x = x.add(ff.mul(m.get(5)));
        if (last) {
            return new Streams(x, null, attended.imageToText());
        }
        c = c.add(attended.c().mul(mc.get(2)));
        NDArray ffc = MmditOps.feedForward(Ops.modulate(MmditOps.layerNorm(c), mc.get(3), mc.get(4)), w,
                prefix + ".ff_context");
        return new Streams(x, c.add(ffc.mul(mc.get(5))), attended.imageToText());
    }

    /**
     * Joint attention over [image; text] tokens; returns the image part, (unless last) the text part and, when
     * asked, the image→text map.
     */
    private Streams jointAttention(NDArray nx, NDArray nc, boolean keepAttention) {
        String a = prefix + ".attn";
        NDArray q = NDArrays.concat(new NDList(heads(nx, a + ".to_q", a + ".norm_q"),
                heads(nc, a + ".add_q_proj", a + ".norm_added_q")), 2);
        NDArray k = NDArrays.concat(new NDList(heads(nx, a + ".to_k", a + ".norm_k"),
                heads(nc, a + ".add_k_proj", a + ".norm_added_k")), 2);
        NDArray v = NDArrays.concat(new NDList(heads(nx, a + ".to_v", null), heads(nc, a + ".add_v_proj", null)), 2);
        NDArray[] attended = Ops.attention(q, k, v, null);
        NDArray o = Ops.mergeHeads(attended[0]);
        long n = nx.getShape().get(1);
        NDArray map = keepAttention ? MmditOps.imageToText(attended[1], 0, n, n, n + nc.getShape().get(1)) : null;
        NDArray xo = MmditOps.linear(o.get(new NDIndex(":, :" + n)), w, a + ".to_out.0");
        NDArray co = last ? null : MmditOps.linear(o.get(new NDIndex(":, " + n + ":")), w, a + ".to_add_out");
        return new Streams(xo, co, map);
    }

    private NDArray selfAttention(NDArray nx, String a) {
        NDArray o = Ops.attention(heads(nx, a + ".to_q", a + ".norm_q"), heads(nx, a + ".to_k", a + ".norm_k"),
                heads(nx, a + ".to_v", null), null)[0];
        return MmditOps.linear(Ops.mergeHeads(o), w, a + ".to_out.0");
    }

    /** A projection split into heads [B, H, T, d], RMS-normalised per head when the model has q/k norms. */
    private NDArray heads(NDArray x, String projection, String norm) {
        return norm != null && config.qkNorm() ? MmditOps.normedHeads(x, w, projection, norm, config.heads())
                : Ops.splitHeads(MmditOps.linear(x, w, projection), config.heads());
    }
}
