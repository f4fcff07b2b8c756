#!/usr/bin/env python3
"""An independent PyTorch reference of a CLIPModel (Radford et al. 2021; transformers' layout: OpenAI's CLIP
ViT-L/14, PickScore_v1's ViT-H/14) and of the two scores built on it, written with PyTorch's functional API from the
architecture description, reading a model folder: config.json (text_config, vision_config, projection_dim) and its
safetensors (F32, F16 or BF16).

    clip_model.py WEIGHTS_DIR DIR    reads DIR/inputs.safetensors (pixels [B, 3, S, S] already normalised; ids
                                     [B, T], token ids stored as floats) and writes DIR/reference.safetensors holding
                                     image_embeds and text_embeds (projected, not normalised), cosine,
                                     clip_score = 100 * max(cosine, 0) and pickscore = exp(logit_scale) * cosine

Vision tower: a stride-patch convolution without bias (run here as F.conv2d), the class embedding in front, learned
positions, LayerNorm ("pre_layrnorm"), pre-LayerNorm layers of unmasked self-attention and an MLP (hidden_act), the
post LayerNorm on the class token, visual_projection without bias. Text tower: clip.py's ClipText on text_config.
Prints `torch VERSION` on stdout.
"""

import sys

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("PyTorch is not installed for " + sys.executable
             + "; install Debian's python3-torch: apt-get install python3-torch")

from clip import ACTIVATIONS, ClipText
from reference_io import read_folder, run


class ClipVision:
    def __init__(self, cfg, w):
        self.cfg, self.w = cfg, w
        self.eps = cfg.get("layer_norm_eps", 1e-5)
        self.act = ACTIVATIONS[cfg.get("hidden_act", "quick_gelu")]
        self.heads = cfg["num_attention_heads"]

    def lin(self, x, name):
        return F.linear(x, self.w[name + ".weight"], self.w.get(name + ".bias"))

    def ln(self, x, name):
        return F.layer_norm(x, (x.shape[-1],), self.w[name + ".weight"], self.w[name + ".bias"], eps=self.eps)

    def attention(self, x, name):
        b, t, d = x.shape
        hd = d // self.heads

        def heads(key):
            return self.lin(x, f"{name}.{key}").reshape(b, t, self.heads, hd).transpose(1, 2)

        q, k, v = heads("q_proj"), heads("k_proj"), heads("v_proj")
        probs = torch.softmax((q @ k.transpose(-1, -2)) / hd ** 0.5, dim=-1)
        return self.lin((probs @ v).transpose(1, 2).reshape(b, t, d), f"{name}.out_proj")

    def __call__(self, pixels):
        p = self.cfg["patch_size"]
        x = F.conv2d(pixels, self.w["vision_model.embeddings.patch_embedding.weight"], stride=p)  # [B, D, n, n]
        x = x.flatten(2).transpose(1, 2)
        cls = self.w["vision_model.embeddings.class_embedding"].expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1) + self.w["vision_model.embeddings.position_embedding.weight"]
        x = self.ln(x, "vision_model.pre_layrnorm")
        for i in range(self.cfg["num_hidden_layers"]):
            name = f"vision_model.encoder.layers.{i}"
            x = x + self.attention(self.ln(x, name + ".layer_norm1"), name + ".self_attn")
            x = x + self.lin(self.act(self.lin(self.ln(x, name + ".layer_norm2"), name + ".mlp.fc1")), name + ".mlp.fc2")
        return self.ln(x[:, 0], "vision_model.post_layernorm")


def forward(folder, inputs):
    cfg, w = read_folder(folder)
    image = F.linear(ClipVision(cfg["vision_config"], w)(inputs["pixels"]), w["visual_projection.weight"])
    text = ClipText(cfg["text_config"], w)(inputs["ids"].long())["projected"]
    cosine = F.cosine_similarity(image, text, dim=-1, eps=0)
    return {"image_embeds": image, "text_embeds": text, "cosine": cosine,
            "clip_score": 100 * cosine.clamp(min=0), "pickscore": w["logit_scale"].exp() * cosine}


def main():
    run(__doc__, forward)


if __name__ == "__main__":
    main()
