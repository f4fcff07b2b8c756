#!/usr/bin/env python3
"""An independent PyTorch reference of the T5 v1.1 encoder (Raffel et al. 2020; transformers' T5EncoderModel layout,
T5-XXL as in SD3.5 and Flux), written with PyTorch's functional API, reading a text encoder folder: config.json and
its safetensors (F32, F16 or BF16; sharded through model.safetensors.index.json).

    t5.py WEIGHTS_DIR DIR      reads DIR/inputs.safetensors (ids [B, L], token ids stored as floats) and writes
                               DIR/reference.safetensors holding hidden [B, L, d_model]

Blocks: RMSNorm (no mean, no bias), self-attention without 1/sqrt(d) scaling plus a relative-position bias computed
once from block 0's table and added in every block, RMSNorm, gated feed-forward wo(gelu_tanh(wi_0 x) * wi_1 x); a
final RMSNorm. Buckets: bidirectional; half the buckets for keys after the query; within a half, distances below a
quarter of the buckets are exact, the rest logarithmic up to relative_attention_max_distance.
Prints `torch VERSION` on stdout.
"""
import math
import sys

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("PyTorch is not installed for " + sys.executable
             + "; install Debian's python3-torch: apt-get install python3-torch")

from reference_io import read_folder, run


def buckets(length, num_buckets, max_distance):
    """[L, L] bucket ids of relative positions key - query."""
    rel = torch.arange(length)[None, :] - torch.arange(length)[:, None]
    half = num_buckets // 2
    out = (rel > 0).long() * half
    n = rel.abs()
    exact = half // 2
    far = exact + (torch.log(n.float().clamp(min=1) / exact) / math.log(max_distance / exact) * (half - exact)).long()
    far = torch.minimum(far, torch.full_like(far, half - 1))
    return out + torch.where(n < exact, n, far)


class T5Encoder:
    def __init__(self, folder):
        self.cfg, self.w = read_folder(folder)
        self.eps = self.cfg.get("layer_norm_epsilon", 1e-6)
        self.heads = self.cfg["num_heads"]

    def rms(self, x, name):
        return self.w[name] * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))

    def __call__(self, ids):
        b, length = ids.shape
        x = self.w["shared.weight"][ids]
        table = self.w["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"]
        bucket = buckets(length, self.cfg.get("relative_attention_num_buckets", 32),
                         self.cfg.get("relative_attention_max_distance", 128))
        bias = table[bucket].permute(2, 0, 1)[None]
        for i in range(self.cfg["num_layers"]):
            p = f"encoder.block.{i}.layer."
            n = self.rms(x, p + "0.layer_norm.weight")

            def heads(key):
                return F.linear(n, self.w[f"{p}0.SelfAttention.{key}.weight"]).view(b, length, self.heads, -1) \
                    .transpose(1, 2)

            scores = heads("q") @ heads("k").transpose(-1, -2) + bias
            att = (torch.softmax(scores, dim=-1) @ heads("v")).transpose(1, 2).reshape(b, length, -1)
            x = x + F.linear(att, self.w[p + "0.SelfAttention.o.weight"])
            n = self.rms(x, p + "1.layer_norm.weight")
            ff = p + "1.DenseReluDense."
            gate = F.gelu(F.linear(n, self.w[ff + "wi_0.weight"]), approximate="tanh")
            x = x + F.linear(gate * F.linear(n, self.w[ff + "wi_1.weight"]), self.w[ff + "wo.weight"])
        return self.rms(x, "encoder.final_layer_norm.weight")


def main():
    run(__doc__, lambda folder, inputs: {"hidden": T5Encoder(folder)(inputs["ids"].long())})


if __name__ == "__main__":
    main()
