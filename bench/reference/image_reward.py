#!/usr/bin/env python3
"""An independent PyTorch reference of ImageReward v1.0 (Xu et al. 2023, THUDM/ImageReward), written with PyTorch's
functional API from the architecture (it imports neither ImageReward, BLIP, timm nor transformers), reading the
published checkpoint format: WEIGHTS_DIR/ImageReward.pt, a torch.save'd state dict (F32, F16 or BF16; keys the score
does not read, such as blip.vision_proj, are ignored as ImageReward's load_state_dict(strict=False) ignores them).

    image_reward.py WEIGHTS_DIR DIR    reads DIR/inputs.safetensors and writes DIR/reference.safetensors holding
                                       image_embeds [B, N + 1, Dv], text_features [B, Dt], reward [B] and pixels

Inputs: either pixels [B, 3, S, S] (already normalised) or image.0, image.1, ... ([H, W, 3] levels 0-255 stored as
floats, preprocessed here as ImageReward's torchvision transform does); ids [B, T] and mask [B, T] (1 for a token,
0 for padding), stored as floats; optionally heads = [vision heads, text heads] (default 16, 12: ViT-L/16 and
BERT-base, which no tensor shape records) and eps = [vision eps, text eps] (default 1e-6, 1e-12), which tests
change to show that a wrong value would be caught.

Preprocessing (torchvision's Resize(S, BICUBIC), CenterCrop(S), ToTensor, Normalize on a PIL image): the shorter
side resized to S with Pillow's bicubic filter (the longer to int(S * long / short)), the crop's corner at
int(round((side - S) / 2)) (Python's round: half to even), levels / 255, CLIP's mean and std.
Vision (BLIP's timm ViT, blip.visual_encoder.*): a biased stride-patch convolution, the class token in front,
learned positions, pre-LayerNorm blocks (fused qkv with bias, queries scaled by head_dim^-1/2, proj; fc1, exact GELU,
fc2), LayerNorm eps 1e-6, and the final norm on every token: the whole sequence is the image embedding.
Text (BLIP's med.py BertModel in 'multimodal' mode, blip.text_encoder.*): word and absolute position embeddings
(no token types), LayerNorm eps 1e-12; post-LayerNorm layers of self-attention with the additive padding mask
(1 - mask) * -10000, cross-attention to every image token (keys and values from the vision width), and the
intermediate exact-GELU feed-forward. Head: the first token's state through mlp.layers.{0,2,4,6,7} (dropouts
between, no activations), then (r - 0.16717362830052426) / 1.0333394966054072.
Prints `torch VERSION` on stdout.
"""

import sys
from pathlib import Path

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
    from PIL import Image
except ImportError:
    sys.exit("PyTorch and Pillow are needed for " + sys.executable
             + "; install Debian's python3-torch and python3-pil")

from reference_io import run

MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)
REWARD_MEAN, REWARD_STD = 0.16717362830052426, 1.0333394966054072
VISION, TEXT = "blip.visual_encoder.", "blip.text_encoder."
HEAD_LAYERS = (0, 2, 4, 6, 7)


def state_dict(folder):
    """The tensors of ImageReward.pt (or of its nested "state_dict"), floats widened to float32."""
    loaded = torch.load(Path(folder) / "ImageReward.pt", map_location="cpu")
    if isinstance(loaded.get("state_dict"), dict):
        loaded = loaded["state_dict"]
    return {k: v.float() if v.is_floating_point() else v for k, v in loaded.items() if torch.is_tensor(v)}


def count(w, prefix):
    """How many numbered modules lie under prefix (blocks.0., blocks.1., ...)."""
    return 1 + max(int(k[len(prefix):].split(".")[0]) for k in w if k.startswith(prefix))


def lin(w, x, name):
    return F.linear(x, w[name + ".weight"], w[name + ".bias"])


def ln(w, x, name, eps):
    return F.layer_norm(x, (x.shape[-1],), w[name + ".weight"], w[name + ".bias"], eps=eps)


def split(x, heads):
    b, t, d = x.shape
    return x.reshape(b, t, heads, d // heads).permute(0, 2, 1, 3)


def merge(x):
    b, h, t, hd = x.shape
    return x.permute(0, 2, 1, 3).reshape(b, t, h * hd)


def preprocess(levels, size):
    image = Image.fromarray(levels.numpy().astype(np.uint8), "RGB")
    w, h = image.size
    short, long = (w, h) if w <= h else (h, w)
    new_long = int(size * long / short)
    image = image.resize((size, new_long) if w <= h else (new_long, size), resample=Image.BICUBIC)
    w, h = image.size
    top, left = int(round((h - size) / 2.0)), int(round((w - size) / 2.0))
    x = np.asarray(image.crop((left, top, left + size, top + size))).astype(np.float32) / 255
    x = (x - np.array(MEAN, np.float32)) / np.array(STD, np.float32)
    return torch.from_numpy(x.transpose(2, 0, 1).copy())


def vision(w, pixels, heads, eps):
    patch = w[VISION + "patch_embed.proj.weight"].shape[-1]
    x = F.conv2d(pixels, w[VISION + "patch_embed.proj.weight"], w[VISION + "patch_embed.proj.bias"], stride=patch)
    x = x.flatten(2).transpose(1, 2)
    x = torch.cat([w[VISION + "cls_token"].expand(x.shape[0], -1, -1), x], dim=1) + w[VISION + "pos_embed"]
    for i in range(count(w, VISION + "blocks.")):
        p = f"{VISION}blocks.{i}."
        q, k, v = lin(w, ln(w, x, p + "norm1", eps), p + "attn.qkv").chunk(3, dim=-1)
        q, k, v = split(q, heads), split(k, heads), split(v, heads)
        attention = torch.softmax(q @ k.transpose(-1, -2) * q.shape[-1] ** -0.5, dim=-1) @ v
        x = x + lin(w, merge(attention), p + "attn.proj")
        x = x + lin(w, F.gelu(lin(w, ln(w, x, p + "norm2", eps), p + "mlp.fc1")), p + "mlp.fc2")
    return ln(w, x, VISION + "norm", eps)


def bert_attention(w, x, context, p, heads, bias):
    q, k, v = (split(lin(w, y, p + name), heads) for y, name in ((x, "query"), (context, "key"), (context, "value")))
    scores = q @ k.transpose(-1, -2) / q.shape[-1] ** 0.5
    if bias is not None:
        scores = scores + bias
    return merge(torch.softmax(scores, dim=-1) @ v)


def text(w, ids, mask, image, heads, eps):
    t = ids.shape[1]
    x = w[TEXT + "embeddings.word_embeddings.weight"][ids] + w[TEXT + "embeddings.position_embeddings.weight"][:t]
    x = ln(w, x, TEXT + "embeddings.LayerNorm", eps)
    bias = (1.0 - mask)[:, None, None, :] * -10000.0
    for i in range(count(w, TEXT + "encoder.layer.")):
        p = f"{TEXT}encoder.layer.{i}."
        a = bert_attention(w, x, x, p + "attention.self.", heads, bias)
        x = ln(w, x + lin(w, a, p + "attention.output.dense"), p + "attention.output.LayerNorm", eps)
        c = bert_attention(w, x, image, p + "crossattention.self.", heads, None)
        x = ln(w, x + lin(w, c, p + "crossattention.output.dense"), p + "crossattention.output.LayerNorm", eps)
        f = lin(w, F.gelu(lin(w, x, p + "intermediate.dense")), p + "output.dense")
        x = ln(w, x + f, p + "output.LayerNorm", eps)
    return x[:, 0]


def forward(folder, inputs):
    w = state_dict(folder)
    vision_heads, text_heads = (int(h) for h in inputs.get("heads", torch.tensor([16.0, 12.0])))
    vision_eps, text_eps = (float(e) for e in inputs.get("eps", torch.tensor([1e-6, 1e-12], dtype=torch.float64)))
    if "pixels" in inputs:
        pixels = inputs["pixels"]
    else:
        positions = w[VISION + "pos_embed"].shape[1] - 1
        size = round(positions ** 0.5) * w[VISION + "patch_embed.proj.weight"].shape[-1]
        n = len([k for k in inputs if k.startswith("image.")])
        pixels = torch.stack([preprocess(inputs[f"image.{i}"], size) for i in range(n)])
    image = vision(w, pixels, vision_heads, vision_eps)
    features = text(w, inputs["ids"].long(), inputs["mask"], image, text_heads, text_eps)
    r = features
    for i in HEAD_LAYERS:
        r = lin(w, r, f"mlp.layers.{i}")
    return {"image_embeds": image, "text_features": features, "reward": ((r - REWARD_MEAN) / REWARD_STD)[:, 0],
            "pixels": pixels}


def main():
    run(__doc__, forward)


if __name__ == "__main__":
    main()
