#!/usr/bin/env python3
"""An independent PyTorch reference of Flux.1-dev text-to-image sampling, composed from this folder's component
references as diffusers' FluxPipeline composes its modules, reading a diffusers-layout folder (transformer/, vae/,
text_encoder/, text_encoder_2/).

    pipeline_flux.py MODEL_DIR DIR  reads DIR/inputs.safetensors:
                                    ids_clip [B, 77] and ids_t5 [B, L]: the prompts' token ids for CLIP-L and T5;
                                    noise [B, C, h, w]; settings [3]: steps, distilled guidance scale, eta (1 samples
                                    synchronously; otherwise each step after the first is conditioned at
                                    t_k + (eta - 1)(t_k - t_{k-1}), clamped to [1e-3, 1]); optionally tmap [B, N]:
                                    per-packed-token times in [0, 1] for one velocity pass at noise
                                    and writes DIR/reference.safetensors holding latents [B, C, h, w] after Euler
                                    sampling on Flux's dynamically shifted grid, images [B, 3, H, W] decoded from
                                    them, and v for tmap

Text: T5's tokens; pooled: CLIP-L's end-of-text embedding after the final LayerNorm, unprojected. Grid: mu linear in
the packed-token count (h/2)(w/2) from 0.5 at 256 tokens to 1.15 at 4096, t' = e^mu / (e^mu + 1/t - 1) on the
uniform grid. Prints `torch VERSION` on stdout.
"""
import math

import torch

from clip import ClipText
from flux import Flux
from reference_io import read_folder, run
from t5 import T5Encoder
from vae import AutoencoderKL

SIGMA_MIN = 1e-3


def shifted_grid(steps, tokens):
    mu = 0.5 + (1.15 - 0.5) * (tokens - 256) / (4096 - 256)
    grid = []
    for k in range(steps + 1):
        u = 1 - k / steps
        grid.append(math.exp(mu) / (math.exp(mu) + (1 / u - 1)) if u > 0 else 0.0)
    return grid


def forward(folder, inputs):
    clip = ClipText.load(f"{folder}/text_encoder")
    t5 = T5Encoder(f"{folder}/text_encoder_2")
    model = Flux(*read_folder(f"{folder}/transformer"))
    vae = AutoencoderKL(f"{folder}/vae")
    pooled = clip(inputs["ids_clip"].long())["pooled"]
    context = t5(inputs["ids_t5"].long())
    steps, scale, eta = inputs["settings"].tolist()
    steps = int(steps)
    x = inputs["noise"]
    b, _, h, w = x.shape
    guidance = torch.full((b,), scale)
    out = {}
    if "tmap" in inputs:
        out["v"] = model(x, inputs["tmap"], guidance, context, pooled)[0]
    grid = shifted_grid(steps, (h // 2) * (w // 2))
    for k in range(steps):
        t = grid[k] if k == 0 else min(1.0, max(SIGMA_MIN, grid[k] + (eta - 1) * (grid[k] - grid[k - 1])))
        v, _ = model(x, torch.full((b,), t), guidance, context, pooled)
        x = x + (grid[k + 1] - grid[k]) * v
    out["latents"] = x
    out["images"] = vae.decode(x)
    return out


if __name__ == "__main__":
    run(__doc__, forward)
