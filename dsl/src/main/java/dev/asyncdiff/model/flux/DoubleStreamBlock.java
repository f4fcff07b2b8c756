package dev.asyncdiff.model.flux;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.sd3.MmditOps;
import dev.asyncdiff.nn.Ops;

/**
 * One double-stream block of Flux (diffusers' FluxTransformerBlock): image tokens x and text tokens c each have
 * their own adaLN-Zero (shift, scale, gate for attention, then for the MLP), q/k/v projections with per-head
 * RMSNorm on q and k, output projection and MLP; they attend jointly, text first, with RoPE applied to the joint
 * queries and keys after their RMSNorm.
 */
record DoubleStreamBlock(CheckpointWeights w, String prefix, int heads) {

    /** Image and text tokens after the block, and the image→text map [B, N, S] when it was asked for. */
    record Streams(NDArray x, NDArray c, NDArray imageToText) {
    }

    /**
     * @param tembImage the image stream's conditioning: [B, D] per sample, or [B, N, D] per image token
     * @param tembText  the text stream's conditioning [B, D]
     */
    Streams forward(NDArray x, NDArray c, NDArray tembImage, NDArray tembText, FluxRope rope, boolean keepAttention) {
        NDList m = MmditOps.modulation(tembImage, w, prefix + ".norm1.linear", 6);
        NDList mc = MmditOps.modulation(tembText, w, prefix + ".norm1_context.linear", 6);
        NDArray nx = Ops.modulate(MmditOps.layerNorm(x), m.get(0), m.get(1));
        NDArray nc = Ops.modulate(MmditOps.layerNorm(c), mc.get(0), mc.get(1));

        String a = prefix + ".attn";
        NDArray q = rope.rotate(NDArrays.concat(new NDList(heads(nc, a + ".add_q_proj", a + ".norm_added_q"),
                heads(nx, a + ".to_q", a + ".norm_q")), 2));
        NDArray k = rope.rotate(NDArrays.concat(new NDList(heads(nc, a + ".add_k_proj", a + ".norm_added_k"),
                heads(nx, a + ".to_k", a + ".norm_k")), 2));
        NDArray v = NDArrays.concat(new NDList(Ops.splitHeads(MmditOps.linear(nc, w, a + ".add_v_proj"), heads),
                Ops.splitHeads(MmditOps.linear(nx, w, a + ".to_v"), heads)), 2);
        NDArray[] attended = Ops.attention(q, k, v, null);
        NDArray o = Ops.mergeHeads(attended[0]);
        long s = c.getShape().get(1);
        long l = o.getShape().get(1);

        x = x.add(MmditOps.linear(o.get(new NDIndex(":, " + s + ":")), w, a + ".to_out.0").mul(m.get(2)));
        NDArray ff = MmditOps.feedForward(Ops.modulate(MmditOps.layerNorm(x), m.get(3), m.get(4)), w, prefix + ".ff");
        x = x.add(ff.mul(m.get(5)));

        c = c.add(MmditOps.linear(o.get(new NDIndex(":, :" + s)), w, a + ".to_add_out").mul(mc.get(2)));
        NDArray ffc = MmditOps.feedForward(Ops.modulate(MmditOps.layerNorm(c), mc.get(3), mc.get(4)), w,
                prefix + ".ff_context");
        c = c.add(ffc.mul(mc.get(5)));
        return new Streams(x, c, keepAttention ? MmditOps.imageToText(attended[1], s, l, 0, s) : null);
    }

    private NDArray heads(NDArray x, String projection, String norm) {
        return MmditOps.normedHeads(x, w, projection, norm, heads);
    }
}
