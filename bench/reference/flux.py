#!/usr/bin/env python3
"""An independent PyTorch reference of the Flux.1 transformer, written with PyTorch's functional API from the
published architecture (Black Forest Labs' Flux.1: double-stream MMDiT blocks, then single-stream blocks with
parallel attention and MLP, multi-axis RoPE), reading a diffusers-layout transformer folder: config.json and its
safetensors (F32, F16 or BF16; sharded folders through their *.safetensors.index.json).

    flux.py WEIGHTS_DIR DIR    reads DIR/inputs.safetensors (x [B, C, H, W] as the VAE gives latents, t = σ in
                               [0, 1], [B] per sample or [B, N] per packed image token, guidance [B] when the
                               config has guidance_embeds, context [B, S, joint_attention_dim], pooled
                               [B, pooled_projection_dim]) and writes DIR/reference.safetensors holding
                               v [B, C, H, W] and attention [double + single layers, B, N, S]: each joint
                               attention's image-query rows restricted to the text-key columns, averaged over
                               heads and renormalised over the text tokens

The latent is packed as the Flux pipeline packs it (2×2 squares into one token, channels (c, p, q), tokens row-major)
with ids (0, row, column) for image tokens and zeros for text tokens; time and guidance are multiplied by 1000
inside, as the model does. RoPE rotates channel pairs (x_2i, x_2i+1) as complex numbers x_2i + i·x_2i+1 by
e^{i·pos·θ^(−2i/d_axis)}, frequencies and angles in float64.

Per-token times (AsynDM): each image token is conditioned on its own time, the text tokens on the mean time of
their sample, in the double-stream blocks and in the single-stream blocks' joint sequence alike.

Prints `torch VERSION` on stdout.
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

THETA = 10000.0


def pack(x):
    b, c, hh, ww = x.shape
    return torch.einsum("bchpwq->bhwcpq", x.reshape(b, c, hh // 2, 2, ww // 2, 2)).reshape(b, -1, c * 4)


def unpack(tokens, hh, ww):
    b, _, packed = tokens.shape
    t = tokens.reshape(b, hh // 2, ww // 2, packed // 4, 2, 2)
    return torch.einsum("bhwcpq->bchpwq", t).reshape(b, packed // 4, hh, ww)


def rope_phases(ids, axes):
    """e^{i·angle} per token and channel pair, [L, d/2] complex64, from float64 angles."""
    parts = []
    for a, d in enumerate(axes):
        inv = THETA ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
        parts.append(ids[:, a].double()[:, None] * inv[None, :])
    angles = torch.cat(parts, dim=1)
    return torch.complex(torch.cos(angles).float(), torch.sin(angles).float())


def apply_rope(x, phases):
    pairs = torch.view_as_complex(x.reshape(*x.shape[:-1], -1, 2).contiguous())
    return torch.view_as_real(pairs * phases).flatten(-2)


class Flux:
    def __init__(self, cfg, w):
        """cfg: the transformer's config.json as a dict; w: its tensors by key (float32)."""
        self.cfg, self.w = cfg, w
        self.heads = self.cfg["num_attention_heads"]
        self.axes = self.cfg.get("axes_dims_rope") or [16, 56, 56]

    def lin(self, x, name):
        return F.linear(x, self.w[name + ".weight"], self.w[name + ".bias"])

    def split(self, x):  # [B, L, H·d] → [B, H, L, d]
        b, length, _ = x.shape
        return x.view(b, length, self.heads, -1).transpose(1, 2)

    def qk(self, x, attn, proj, norm):
        return rms_norm(self.split(self.lin(x, f"{attn}.{proj}")), self.w[f"{attn}.{norm}.weight"])

    def ada(self, temb, name, pieces):
        e = self.lin(F.silu(temb), name)
        return (e if e.dim() == 3 else e.unsqueeze(1)).chunk(pieces, dim=-1)

    def ff(self, x, name):
        return self.lin(gelu_tanh(self.lin(x, f"{name}.net.0.proj")), f"{name}.net.2")

    def double_block(self, i, x, c, temb_img, temb_txt, phases):
        pre = f"transformer_blocks.{i}"
        shift_a, scale_a, gate_a, shift_m, scale_m, gate_m = self.ada(temb_img, f"{pre}.norm1.linear", 6)
        c_shift_a, c_scale_a, c_gate_a, c_shift_m, c_scale_m, c_gate_m = self.ada(
            temb_txt, f"{pre}.norm1_context.linear", 6)
        nx = modulate(layer_norm(x), shift_a, scale_a)
        nc = modulate(layer_norm(c), c_shift_a, c_scale_a)
        a = f"{pre}.attn"
        q = torch.cat([self.qk(nc, a, "add_q_proj", "norm_added_q"), self.qk(nx, a, "to_q", "norm_q")], 2)
        k = torch.cat([self.qk(nc, a, "add_k_proj", "norm_added_k"), self.qk(nx, a, "to_k", "norm_k")], 2)
        v = torch.cat([self.split(self.lin(nc, f"{a}.add_v_proj")), self.split(self.lin(nx, f"{a}.to_v"))], 2)
        o, probs = attention(apply_rope(q, phases), apply_rope(k, phases), v)
        s = c.shape[1]
        x = x + gate_a * self.lin(o[:, s:], f"{a}.to_out.0")
        x = x + gate_m * self.ff(modulate(layer_norm(x), shift_m, scale_m), f"{pre}.ff")
        c = c + c_gate_a * self.lin(o[:, :s], f"{a}.to_add_out")
        c = c + c_gate_m * self.ff(modulate(layer_norm(c), c_shift_m, c_scale_m), f"{pre}.ff_context")
        return x, c, image_to_text(probs, slice(s, None), slice(0, s))

    def single_block(self, i, h, temb_joint, s, phases):
        pre = f"single_transformer_blocks.{i}"
        shift, scale, gate = self.ada(temb_joint, f"{pre}.norm.linear", 3)
        n = modulate(layer_norm(h), shift, scale)
        mlp = gelu_tanh(self.lin(n, f"{pre}.proj_mlp"))
        a = f"{pre}.attn"
        o, probs = attention(apply_rope(self.qk(n, a, "to_q", "norm_q"), phases),
                             apply_rope(self.qk(n, a, "to_k", "norm_k"), phases), self.split(self.lin(n, f"{a}.to_v")))
        h = h + gate * self.lin(torch.cat([o, mlp], dim=-1), f"{pre}.proj_out")
        return h, image_to_text(probs, slice(s, None), slice(0, s))

    def embedder(self, v, name):
        return self.lin(F.silu(self.lin(v, f"{name}.linear_1")), f"{name}.linear_2")

    def __call__(self, x, t, guidance, context, pooled):
        b, _, hh, ww = x.shape
        hidden = self.lin(pack(x), "x_embedder")
        t = t * 1000

        def time(tt):
            return self.embedder(timestep_features(tt), "time_text_embed.timestep_embedder")

        extra = self.embedder(pooled, "time_text_embed.text_embedder")
        if guidance is not None:
            extra = extra + self.embedder(timestep_features(guidance * 1000), "time_text_embed.guidance_embedder")
        c = self.lin(context, "context_embedder")
        s = c.shape[1]
        if t.dim() == 2:  # per packed image token
            temb_img = time(t) + extra[:, None]
            temb_txt = time(t.mean(dim=1)) + extra
            temb_joint = torch.cat([temb_txt[:, None].expand(-1, s, -1), temb_img], dim=1)
        else:
            temb_img = temb_txt = temb_joint = time(t) + extra

        rows, cols = torch.meshgrid(torch.arange(hh // 2), torch.arange(ww // 2), indexing="ij")
        image_ids = torch.stack([torch.zeros_like(rows), rows, cols], dim=-1).reshape(-1, 3)
        ids = torch.cat([torch.zeros(s, 3, dtype=image_ids.dtype), image_ids])
        phases = rope_phases(ids, self.axes)

        maps = []
        for i in range(self.cfg["num_layers"]):
            hidden, c, attention_map = self.double_block(i, hidden, c, temb_img, temb_txt, phases)
            maps.append(attention_map)
        joint = torch.cat([c, hidden], dim=1)
        for i in range(self.cfg["num_single_layers"]):
            joint, attention_map = self.single_block(i, joint, temb_joint, s, phases)
            maps.append(attention_map)
        scale, shift = self.ada(temb_img, "norm_out.linear", 2)
        out = self.lin(modulate(layer_norm(joint[:, s:]), shift, scale), "proj_out")
        return unpack(out, hh, ww), torch.stack(maps)


def forward(folder, inputs):
    v, maps = Flux(*read_folder(folder))(inputs["x"], inputs["t"], inputs.get("guidance"), inputs["context"],
                                         inputs["pooled"])
    return {"v": v, "attention": maps}


if __name__ == "__main__":
    run(__doc__, forward)
