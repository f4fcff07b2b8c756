package dev.asyncdiff.model.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.layers.Layers;
import dev.asyncdiff.nn.Ops;

/** The blocks of diffusers' AutoencoderKL encoder and decoder, on checkpoint weights, for x [B, C, H, W]. */
record VaeBlocks(CheckpointWeights w, VaeConfig config) {

    NDArray norm(NDArray x, String prefix) {
        return Layers.groupNorm(x, config.groups(), w, prefix, VaeConfig.EPS);
    }

    /** ResnetBlock2D: x + conv2(SiLU(norm2(conv1(SiLU(norm1(x)))))), x through a 1×1 shortcut when widths differ. */
    NDArray resnet(NDArray x, String p, boolean shortcut) {
        NDArray h = Layers.conv(Ops.silu(norm(x, p + ".norm1")), w, p + ".conv1");
        h = Layers.conv(Ops.silu(norm(h, p + ".norm2")), w, p + ".conv2");
        return (shortcut ? Layers.conv(x, w, p + ".conv_shortcut") : x).add(h);
    }

    /** UNetMidBlock2D: ResNet, single-head self-attention over all positions (with a residual), ResNet. */
    NDArray midBlock(NDArray x, String p) {
        x = resnet(x, p + ".resnets.0", false);
        if (config.midAttention()) {
            x = x.add(attention(norm(x, p + ".attentions.0.group_norm"), p + ".attentions.0"));
        }
        return resnet(x, p + ".resnets.1", false);
    }

    /** One head as wide as the channels: softmax(q·kᵀ/√C)·v over the H·W positions, then to_out.0. */
    private NDArray attention(NDArray normed, String p) {
        Shape s = normed.getShape();
        NDArray tokens = normed.reshape(s.get(0), s.get(1), -1).transpose(0, 2, 1);
        NDArray q = Layers.linear(tokens, w, p + ".to_q").expandDims(1);
        NDArray k = Layers.linear(tokens, w, p + ".to_k").expandDims(1);
        NDArray v = Layers.linear(tokens, w, p + ".to_v").expandDims(1);
        NDArray o = Layers.linear(Ops.attention(q, k, v, null)[0].squeeze(1), w, p + ".to_out.0");
        return o.transpose(0, 2, 1).reshape(s);
    }

    /** Upsample2D: nearest-neighbour ×2, then a 3×3 convolution. */
    NDArray upsample(NDArray x, String p) {
        return Layers.conv(x.repeat(2, 2).repeat(3, 2), w, p + ".conv");
    }

    /** Downsample2D of the VAE: one zero row and column after the last (bottom, right), then a 3×3 stride-2 conv. */
    NDArray downsample(NDArray x, String p) {
        Shape s = x.getShape();
        NDManager m = x.getManager();
        NDArray padded = NDArrays.concat(new NDList(x, m.zeros(new Shape(s.get(0), s.get(1), s.get(2), 1))), 3);
        padded = NDArrays.concat(new NDList(padded, m.zeros(new Shape(s.get(0), s.get(1), 1, s.get(3) + 1))), 2);
        return Ops.convolution(padded, w.get(p + ".conv.weight"), w.get(p + ".conv.bias"), 2, 0);
    }
}
