#!/usr/bin/env python3
"""An independent PyTorch reference of SD3's MMDiT (SD3 / SD3.5 transformer), written with PyTorch's functional
API from the published architecture (Esser et al. 2024, "Scaling Rectified Flow Transformers"; SD3.5's dual
attention and q/k RMSNorm), reading a diffusers-layout transformer folder: config.json and its safetensors (F32,
F16 or BF16; sharded folders through their *.safetensors.index.json).

    sd3.py WEIGHTS_DIR DIR     reads DIR/inputs.safetensors (x [B, C, H, W], t in 1000·σ units, [B] per sample
                               or [B, N] per image token, context [B, S, joint_attention_dim], pooled
                               [B, pooled_projection_dim]) and writes DIR/reference.safetensors holding
                               v [B, C_out, H, W] and attention [layers, B, N, S]: each joint attention's
                               image-query rows restricted to the text-key columns, averaged over heads and
                               renormalised over the text tokens

Per-token timesteps (AsynDM): each image token is modulated by its own timestep's embedding plus the pooled text
embedding; the text stream, which has no place in the latent, by the mean timestep of its sample.

Prints `torch VERSION` on stdout. Debian's python3-torch 1.13 has neither scaled_dot_product_attention nor
rms_norm: both are written out.
"""
import sys

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("PyTorch is not installed for " + sys.executable
             + "; install Debian's python3-torch: apt-get install python3-torch")

from reference_io import read_folder, run
from mmdit_functional import attention, gelu_tanh, image_to_text, layer_norm, modulate, rms_norm, \
    timestep_features


class MMDiT:
    def __init__(self, cfg, w):
        """cfg: the transformer's config.json as a dict; w: its tensors by key (float32)."""
        self.cfg, self.w = cfg, w
        self.heads = self.cfg["num_attention_heads"]
        self.p = self.cfg["patch_size"]
        self.dual = set(self.cfg.get("dual_attention_layers") or [])
        self.qk_norm = self.cfg.get("qk_norm") == "rms_norm"

    def lin(self, x, name):
        return F.linear(x, self.w[name + ".weight"], self.w[name + ".bias"])

    def rms(self, x, name):
        if not self.qk_norm:
            return x
        return rms_norm(x, self.w[name + ".weight"])

    def split(self, x):  # [B, T, H·d] → [B, H, T, d]
        b, t, _ = x.shape
        return x.view(b, t, self.heads, -1).transpose(1, 2)

    def qkv(self, x, a, q, k, v, nq, nk):
        return (self.rms(self.split(self.lin(x, f"{a}.{q}")), f"{a}.{nq}"),
                self.rms(self.split(self.lin(x, f"{a}.{k}")), f"{a}.{nk}"),
                self.split(self.lin(x, f"{a}.{v}")))

    def ada(self, temb, name, pieces):
        """adaLN vectors as [B, 1, D] (per-sample temb [B, D]) or [B, N, D] (per-token temb [B, N, D])."""
        e = self.lin(F.silu(temb), name)
        return (e if e.dim() == 3 else e.unsqueeze(1)).chunk(pieces, dim=-1)

    def block(self, i, x, c, temb_img, temb_txt, last):
        pre = f"transformer_blocks.{i}"
        e = self.ada(temb_img, f"{pre}.norm1.linear", 9 if i in self.dual else 6)
        shift_a, scale_a, gate_a, shift_m, scale_m, gate_m = e[:6]
        if last:  # continuous adaLN: scale, then shift
            c_scale, c_shift = self.ada(temb_txt, f"{pre}.norm1_context.linear", 2)
            nc = modulate(layer_norm(c), c_shift, c_scale)
        else:
            c_shift_a, c_scale_a, c_gate_a, c_shift_m, c_scale_m, c_gate_m = self.ada(
                temb_txt, f"{pre}.norm1_context.linear", 6)
            nc = modulate(layer_norm(c), c_shift_a, c_scale_a)
        x_in = x  # attn2 normalises the block's input too, with its own shift and scale
        nx = modulate(layer_norm(x), shift_a, scale_a)

        a = f"{pre}.attn"
        qi, ki, vi = self.qkv(nx, a, "to_q", "to_k", "to_v", "norm_q", "norm_k")
        qt, kt, vt = self.qkv(nc, a, "add_q_proj", "add_k_proj", "add_v_proj", "norm_added_q", "norm_added_k")
        joint, probs = attention(torch.cat([qi, qt], 2), torch.cat([ki, kt], 2), torch.cat([vi, vt], 2))
        n = x.shape[1]
        attention_map = image_to_text(probs, slice(0, n), slice(n, None))
        x = x + gate_a * self.lin(joint[:, :n], f"{a}.to_out.0")
        if i in self.dual:
            shift_2, scale_2, gate_2 = e[6:]
            a2 = f"{pre}.attn2"
            q2, k2, v2 = self.qkv(modulate(layer_norm(x_in), shift_2, scale_2), a2, "to_q", "to_k", "to_v", "norm_q",
                                  "norm_k")
            x = x + gate_2 * self.lin(attention(q2, k2, v2)[0], f"{a2}.to_out.0")
        h = modulate(layer_norm(x), shift_m, scale_m)
        x = x + gate_m * self.lin(gelu_tanh(self.lin(h, f"{pre}.ff.net.0.proj")),
                                           f"{pre}.ff.net.2")
        if last:
            return x, None, attention_map
        c = c + c_gate_a * self.lin(joint[:, n:], f"{a}.to_add_out")
        hc = modulate(layer_norm(c), c_shift_m, c_scale_m)
        c = c + c_gate_m * self.lin(gelu_tanh(self.lin(hc, f"{pre}.ff_context.net.0.proj")), f"{pre}.ff_context.net.2")
        return x, c, attention_map

    def __call__(self, x, t, context, pooled):
        b, _, H, W = x.shape
        p = self.p
        h, w = H // p, W // p
        tokens = F.conv2d(x, self.w["pos_embed.proj.weight"], self.w["pos_embed.proj.bias"], stride=p)
        tokens = tokens.flatten(2).transpose(1, 2)
        m = self.cfg["pos_embed_max_size"]
        table = self.w["pos_embed.pos_embed"].reshape(1, m, m, -1)
        top, left = (m - h) // 2, (m - w) // 2
        x = tokens + table[:, top:top + h, left:left + w, :].reshape(1, h * w, -1)

        def mlp(v, name):
            return self.lin(F.silu(self.lin(v, f"{name}.linear_1")), f"{name}.linear_2")

        pooled_emb = mlp(pooled, "time_text_embed.text_embedder")

        def time(tt):
            return mlp(timestep_features(tt), "time_text_embed.timestep_embedder")

        if t.dim() == 2:  # per image token
            temb_img = time(t) + pooled_emb[:, None]
            temb_txt = time(t.mean(dim=1)) + pooled_emb
        else:
            temb_img = temb_txt = time(t) + pooled_emb
        c = self.lin(context, "context_embedder")
        maps = []
        layers = self.cfg["num_layers"]
        for i in range(layers):
            x, c, attention_map = self.block(i, x, c, temb_img, temb_txt, i == layers - 1)
            maps.append(attention_map)
        scale, shift = self.ada(temb_img, "norm_out.linear", 2)
        out = self.lin(modulate(layer_norm(x), shift, scale), "proj_out")
        out = out.reshape(b, h, w, p, p, -1)
        return torch.einsum("nhwpqc->nchpwq", out).reshape(b, -1, h * p, w * p), torch.stack(maps)


def forward(folder, inputs):
    v, maps = MMDiT(*read_folder(folder))(inputs["x"], inputs["t"], inputs["context"], inputs["pooled"])
    return {"v": v, "attention": maps}


if __name__ == "__main__":
    run(__doc__, forward)
