#!/usr/bin/env python3
"""An independent PyTorch reference of CLIP's text encoder (Radford et al. 2021; transformers' CLIPTextModel and
CLIPTextModelWithProjection layout: CLIP-L, OpenCLIP-bigG), written with PyTorch's functional API, reading a
text_encoder folder: config.json and its safetensors (F32, F16 or BF16).

    clip.py WEIGHTS_DIR DIR    reads DIR/inputs.safetensors (ids [B, T], token ids stored as floats) and writes
                               DIR/reference.safetensors holding penultimate (hidden_states[-2], the input of the
                               last layer), last (after the final LayerNorm), pooled (last at the end-of-text token)
                               and, when the folder has text_projection, projected

Pre-LayerNorm layers: causal self-attention (queries scaled by head_dim^-1/2), then fc1, activation (quick_gelu
x * sigmoid(1.702 x) or the exact gelu, by hidden_act), fc2. The end-of-text token: the first position of
eos_token_id, or of the largest id when the config carries the legacy eos_token_id 2.
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

ACTIVATIONS = {"quick_gelu": lambda x: x * torch.sigmoid(1.702 * x), "gelu": F.gelu}


class Tower:
    """What CLIP's text and vision towers share: a config (layer_norm_eps, hidden_act, num_attention_heads) and
    weights under the transformers keys; biased linears, LayerNorms, and the pre-LayerNorm encoder layer."""

    def __init__(self, cfg, w):
        self.cfg, self.w = cfg, w
        self.eps = cfg.get("layer_norm_eps", 1e-5)
        self.act = ACTIVATIONS[cfg.get("hidden_act", "quick_gelu")]
        self.heads = cfg["num_attention_heads"]

    def lin(self, x, name):
        return F.linear(x, self.w[name + ".weight"], self.w.get(name + ".bias"))

    def ln(self, x, name):
        return F.layer_norm(x, (x.shape[-1],), self.w[name + ".weight"], self.w[name + ".bias"], eps=self.eps)

    def attention(self, x, name, causal):
        b, t, d = x.shape
        hd = d // self.heads

        def heads(key):
            return self.lin(x, f"{name}.{key}").reshape(b, t, self.heads, hd).permute(0, 2, 1, 3)

        q, k, v = heads("q_proj") * hd ** -0.5, heads("k_proj"), heads("v_proj")
        scores = q @ k.transpose(-1, -2)
        if causal:
            future = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
            scores = scores.masked_fill(future, float("-inf"))
        out = (torch.softmax(scores, dim=-1) @ v).permute(0, 2, 1, 3).reshape(b, t, d)
        return self.lin(out, f"{name}.out_proj")

    def layer(self, x, p, causal):
        x = x + self.attention(self.ln(x, p + ".layer_norm1"), p + ".self_attn", causal)
        return x + self.lin(self.act(self.lin(self.ln(x, p + ".layer_norm2"), p + ".mlp.fc1")), p + ".mlp.fc2")


class ClipText(Tower):
    """The text tower on a text config (a text_encoder's config.json, or a CLIPModel's text_config) and weights
    under the transformers keys (text_model.*, text_projection)."""

    @classmethod
    def load(cls, folder):
        """The text tower of a text_encoder folder (config.json and its safetensors)."""
        return cls(*read_folder(folder))

    def __call__(self, ids):
        t = ids.shape[1]
        x = self.w["text_model.embeddings.token_embedding.weight"][ids]
        x = x + self.w["text_model.embeddings.position_embedding.weight"][:t]
        states = [x]
        for i in range(self.cfg["num_hidden_layers"]):
            x = self.layer(x, f"text_model.encoder.layers.{i}", causal=True)
            states.append(x)
        last = self.ln(x, "text_model.final_layer_norm")
        eos = self.cfg.get("eos_token_id", 49407)
        at = ids.argmax(dim=-1) if eos == 2 else (ids == eos).int().argmax(dim=-1)
        pooled = last[torch.arange(ids.shape[0]), at]
        out = {"penultimate": states[-2], "last": last, "pooled": pooled}
        if "text_projection.weight" in self.w:
            out["projected"] = F.linear(pooled, self.w["text_projection.weight"])
        return out


def main():
    run(__doc__, lambda folder, inputs: ClipText.load(folder)(inputs["ids"].long()))


if __name__ == "__main__":
    main()
