#!/usr/bin/env python3
"""Writes a small random ImageReward checkpoint in the format users have: OUT_DIR/ImageReward.pt, a state dict saved
with torch.save under ImageReward's key names (blip.visual_encoder.*, blip.text_encoder.*, mlp.layers.*), with
the keys the score ignores (blip.vision_proj, blip.text_proj, the position_ids buffer) present as they are in the
published file.

    image_reward_fixture.py OUT_DIR SPEC    SPEC is a JSON object: seed; vision {width, depth, patch, image};
                                            text {width, layers, intermediate, vocab, positions}; dtype (F32, F16
                                            or BF16); optional drop (keys left out), reshape ({key: shape}) and
                                            nested (true: the state dict under "state_dict", as training scripts
                                            save it)

Weights follow the scales of BLIP's initialisation (std 0.02 for positions, the class token and the text
embeddings; fan-in scaled matrices elsewhere, LayerNorm scales around 1): the embedding LayerNorms then see inputs of
variance near 1e-3, where their eps is visible at the parity tests' tolerance. The patch kernel's std is
0.001 for the same reason (its 3·p·p inputs are of unit scale).
"""

import json
import sys
from collections import OrderedDict
from pathlib import Path

import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}
HEAD_WIDTHS = (1024, 128, 64, 16, 1)
EMBEDDING_STD = 0.02
PATCH_STD = 0.001


def shapes(spec):
    """Every key ImageReward's state dict holds for these dimensions, with its shape, in the model's order."""
    v, t = spec["vision"], spec["text"]
    d, p, h = v["width"], v["patch"], t["width"]
    out = OrderedDict()

    def linear(name, n_in, n_out):
        out[name + ".weight"] = (n_out, n_in)
        out[name + ".bias"] = (n_out,)

    def norm(name, n):
        out[name + ".weight"] = (n,)
        out[name + ".bias"] = (n,)

    vp = "blip.visual_encoder."
    out[vp + "cls_token"] = (1, 1, d)
    out[vp + "pos_embed"] = (1, (v["image"] // p) ** 2 + 1, d)
    out[vp + "patch_embed.proj.weight"] = (d, 3, p, p)
    out[vp + "patch_embed.proj.bias"] = (d,)
    for i in range(v["depth"]):
        b = f"{vp}blocks.{i}."
        norm(b + "norm1", d)
        linear(b + "attn.qkv", d, 3 * d)
        linear(b + "attn.proj", d, d)
        norm(b + "norm2", d)
        linear(b + "mlp.fc1", d, 4 * d)
        linear(b + "mlp.fc2", 4 * d, d)
    norm(vp + "norm", d)

    tp = "blip.text_encoder."
    out[tp + "embeddings.position_ids"] = (1, t["positions"])
    out[tp + "embeddings.word_embeddings.weight"] = (t["vocab"], h)
    out[tp + "embeddings.position_embeddings.weight"] = (t["positions"], h)
    norm(tp + "embeddings.LayerNorm", h)
    for i in range(t["layers"]):
        b = f"{tp}encoder.layer.{i}."
        for part, width in (("attention", h), ("crossattention", d)):
            linear(b + part + ".self.query", h, h)
            linear(b + part + ".self.key", width, h)
            linear(b + part + ".self.value", width, h)
            linear(b + part + ".output.dense", h, h)
            norm(b + part + ".output.LayerNorm", h)
        linear(b + "intermediate.dense", h, t["intermediate"])
        linear(b + "output.dense", t["intermediate"], h)
        norm(b + "output.LayerNorm", h)
    linear("blip.vision_proj", d, 256)
    linear("blip.text_proj", h, 256)

    widths = (h,) + HEAD_WIDTHS
    for layer, (n_in, n_out) in zip((0, 2, 4, 6, 7), zip(widths, widths[1:])):
        linear(f"mlp.layers.{layer}", n_in, n_out)
    return out


def value(name, shape, g):
    if name.endswith("position_ids"):
        return torch.arange(shape[1]).expand(shape).contiguous()
    if len(shape) == 1:
        base = 1.0 if "norm" in name.lower() and name.endswith(".weight") else 0.0
        return base + 0.1 * torch.randn(shape, generator=g)
    if name.endswith(("cls_token", "pos_embed", "embeddings.weight")):
        return EMBEDDING_STD * torch.randn(shape, generator=g)
    if name.endswith("patch_embed.proj.weight"):
        return PATCH_STD * torch.randn(shape, generator=g)
    fan_in = 1
    for s in shape[1:]:
        fan_in *= s
    return torch.randn(shape, generator=g) / fan_in ** 0.5


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    spec = json.loads(sys.argv[2])
    g = torch.Generator().manual_seed(spec["seed"])
    dtype = DTYPES[spec.get("dtype", "F32")]
    reshape = spec.get("reshape", {})
    state = OrderedDict()
    for name, shape in shapes(spec).items():
        t = value(name, tuple(reshape.get(name, shape)), g)
        if name not in spec.get("drop", []):
            state[name] = t if not t.is_floating_point() else t.to(dtype)
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    torch.save({"state_dict": state, "epoch": 3} if spec.get("nested") else state, out / "ImageReward.pt")
    print("torch " + torch.__version__)


if __name__ == "__main__":
    main()
