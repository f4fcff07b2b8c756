#!/usr/bin/env python3
"""Writes a small random OpenCLIP CLIP checkpoint the way HPSv2 publishes its models: torch.save of
{"state_dict": <open_clip's CLIP state dict>, "epoch": 1, "name": ...}, open_clip's key names.

    open_clip_fixture.py WEIGHTS_DIR DIR   reads DIR/inputs.safetensors: "dims" = [vision width, vision layers,
                                           patch, grid side, text width, text layers, context, vocab, embed,
                                           mlp ratio, float16 (0/1), seed]; writes WEIGHTS_DIR/HPS_v2_compressed.pt
                                           and an empty DIR/reference.safetensors

Weights are Gaussian with a spread of 1/sqrt(fan-in) (0.02 for embeddings), LayerNorms near (1, 0), logit_scale log
100; stored in float16 when asked (HPSv2's "compressed" checkpoints are smaller than float32 ones).
"""
import math
import sys
from pathlib import Path

try:
    import torch
except ImportError:
    sys.exit("PyTorch is not installed for " + sys.executable
             + "; install Debian's python3-torch: apt-get install python3-torch")

from reference_io import read_safetensors, write_safetensors


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    d = [int(v) for v in read_safetensors(Path(sys.argv[2]) / "inputs.safetensors")["dims"].tolist()]
    vw, vl, patch, side, tw, tl, ctx, vocab, embed, ratio, half, seed = d
    g = torch.Generator().manual_seed(seed)

    def rand(*shape, std=None):
        std = std if std is not None else 1 / math.sqrt(shape[-1])
        return torch.randn(*shape, generator=g) * std

    def norm(sd, p, dim):
        sd[p + ".weight"] = 1 + rand(dim, std=0.1)
        sd[p + ".bias"] = rand(dim, std=0.1)

    def blocks(sd, prefix, width, layers):
        for i in range(layers):
            p = f"{prefix}{i}."
            norm(sd, p + "ln_1", width)
            sd[p + "attn.in_proj_weight"] = rand(3 * width, width)
            sd[p + "attn.in_proj_bias"] = rand(3 * width, std=0.1)
            sd[p + "attn.out_proj.weight"] = rand(width, width)
            sd[p + "attn.out_proj.bias"] = rand(width, std=0.1)
            norm(sd, p + "ln_2", width)
            sd[p + "mlp.c_fc.weight"] = rand(ratio * width, width)
            sd[p + "mlp.c_fc.bias"] = rand(ratio * width, std=0.1)
            sd[p + "mlp.c_proj.weight"] = rand(width, ratio * width)
            sd[p + "mlp.c_proj.bias"] = rand(width, std=0.1)

    sd = {}
    sd["positional_embedding"] = rand(ctx, tw, std=0.02)
    sd["text_projection"] = rand(tw, embed)
    sd["logit_scale"] = torch.tensor(math.log(100.0))
    sd["visual.class_embedding"] = rand(vw, std=0.5)
    sd["visual.positional_embedding"] = rand(side * side + 1, vw, std=0.5)
    sd["visual.proj"] = rand(vw, embed)
    sd["visual.conv1.weight"] = rand(vw, 3, patch, patch, std=1 / math.sqrt(3 * patch * patch))
    norm(sd, "visual.ln_pre", vw)
    blocks(sd, "visual.transformer.resblocks.", vw, vl)
    norm(sd, "visual.ln_post", vw)
    sd["token_embedding.weight"] = rand(vocab, tw, std=0.5)
    blocks(sd, "transformer.resblocks.", tw, tl)
    norm(sd, "ln_final", tw)
    if half:
        sd = {k: v.half() for k, v in sd.items()}
    torch.save({"state_dict": sd, "epoch": 1, "name": "fixture"}, Path(sys.argv[1]) / "HPS_v2_compressed.pt")
    write_safetensors(Path(sys.argv[2]) / "reference.safetensors", {})
    print("torch", torch.__version__)


main()
