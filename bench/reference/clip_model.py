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

from clip import ClipText, Tower
from reference_io import read_folder, run


class ClipVision(Tower):
    """The vision tower on a CLIPModel's vision_config and weights under the transformers keys (vision_model.*)."""

    def __call__(self, pixels):
        p = self.cfg["patch_size"]
        x = F.conv2d(pixels, self.w["vision_model.embeddings.patch_embedding.weight"], stride=p)  # [B, D, n, n]
        x = x.flatten(2).transpose(1, 2)
        cls = self.w["vision_model.embeddings.class_embedding"].expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1) + self.w["vision_model.embeddings.position_embedding.weight"]
        x = self.ln(x, "vision_model.pre_layrnorm")
        for i in range(self.cfg["num_hidden_layers"]):
            x = self.layer(x, f"vision_model.encoder.layers.{i}", causal=False)
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
