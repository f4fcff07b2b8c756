package dev.asyncdiff.model.flux;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.layers.Layers;
import dev.asyncdiff.model.sd3.MmditOps;
import dev.asyncdiff.nn.Ops;

/**
 * One single-stream block of Flux (diffusers' FluxSingleTransformerBlock) over the joint sequence h = [text; image]:
 * one adaLN (shift, scale, gate), then attention (q/k RMSNorm, RoPE) and an MLP side by side on the same normalised
 * tokens, their outputs concatenated [attention; GELU(MLP)] and projected back by proj_out, gated, added to h.
 */
record SingleStreamBlock(CheckpointWeights w, String prefix, int heads) {

    /** The joint sequence after the block, and the image→text map [B, N, S] when it was asked for. */
    record Output(NDArray h, NDArray imageToText) {
    }

    /**
     * @param tembImage   [B, D] per sample, or [B, N, D] per image token
     * @param tembText    [B, D]; with per-sample conditioning the same array as {@code tembImage}
     * @param textTokens  S, the length of the text part at the front of h
     */
    Output forward(NDArray h, NDArray tembImage, NDArray tembText, long textTokens, FluxRope rope,
                   boolean keepAttention) {
        NDList m = modulation(tembImage, tembText, textTokens);
        NDArray n = Ops.modulate(MmditOps.layerNorm(h), m.get(0), m.get(1));
        NDArray mlp = Layers.geluTanh(MmditOps.linear(n, w, prefix + ".proj_mlp"));

        String a = prefix + ".attn";
        NDArray q = rope.rotate(heads(n, a + ".to_q", a + ".norm_q"));
        NDArray k = rope.rotate(heads(n, a + ".to_k", a + ".norm_k"));
        NDArray v = Ops.splitHeads(MmditOps.linear(n, w, a + ".to_v"), heads);
        NDArray[] attended = Ops.attention(q, k, v, null);
        NDArray out = MmditOps.linear(Ops.concatLast(Ops.mergeHeads(attended[0]), mlp), w, prefix + ".proj_out");
        long l = h.getShape().get(1);
        return new Output(h.add(out.mul(m.get(2))),
                keepAttention ? MmditOps.imageToText(attended[1], textTokens, l, 0, textTokens) : null);
    }

    /**
     * Shift, scale and gate for every token of [text; image]. Per sample they broadcast over the whole sequence;
     * per image token, the text part takes the text stream's conditioning (the sample's mean time, as in the
     * double-stream blocks) and each image token its own.
     */
    private NDList modulation(NDArray tembImage, NDArray tembText, long textTokens) {
        String key = prefix + ".norm.linear";
        if (tembImage == tembText) {
            return MmditOps.modulation(tembImage, w, key, 3);
        }
        NDList text = MmditOps.modulation(tembText, w, key, 3);
        NDList image = MmditOps.modulation(tembImage, w, key, 3);
        NDList joint = new NDList();
        for (int i = 0; i < 3; i++) {
            Shape s = text.get(i).getShape();
            joint.add(text.get(i).broadcast(new Shape(s.get(0), textTokens, s.get(2))).concat(image.get(i), 1));
        }
        return joint;
    }

    private NDArray heads(NDArray x, String projection, String norm) {
        return MmditOps.normedHeads(x, w, projection, norm, heads);
    }
}
