#!/usr/bin/env python3
"""An independent PyTorch reference of SD3.5 text-to-image sampling, composed from this folder's component
references as diffusers' StableDiffusion3Pipeline composes its modules, reading a diffusers-layout folder
(transformer/, vae/, text_encoder/, text_encoder_2/, text_encoder_3/).

    pipeline_sd3.py MODEL_DIR DIR   reads DIR/inputs.safetensors:
                                    ids_l, ids_g [B, 77] and ids_t5 [B, L]: the prompts' token ids for CLIP-L,
                                    OpenCLIP-bigG and T5; empty_l, empty_g [1, 77], empty_t5 [1, L]: the empty
                                    prompt's (the unconditional row); noise [B, C, h, w]; settings [4]: steps, shift,
                                    CFG scale, eta (1 samples synchronously; otherwise each step after the first is
                                    conditioned at t_k + (eta - 1)(t_k - t_{k-1}), clamped to [1e-3, 1]); optionally
                                    tmap [B, N]: per-image-token times in [0, 1] for one guided velocity pass at noise
                                    and writes DIR/reference.safetensors holding latents [B, C, h, w] after Euler
                                    sampling on the shifted grid, images [B, 3, H, W] decoded from them, and v for tmap

Text: CLIP-L's and bigG's penultimate hidden states concatenated along the width, zero-padded to T5's width and
followed by T5's tokens; pooled: both projected end-of-text embeddings concatenated. Velocity: the MMDiT at 1000 t,
guided as v_u + w (v_c - v_u). Prints `torch VERSION` on stdout.
"""
import torch
import torch.nn.functional as F

from clip import ClipText
from reference_io import read_folder, run
from sd3 import MMDiT
from t5 import T5Encoder
from vae import AutoencoderKL

SIGMA_MIN = 1e-3


class Sd35:
    def __init__(self, folder):
        self.clip_l = ClipText.load(f"{folder}/text_encoder")
        self.clip_g = ClipText.load(f"{folder}/text_encoder_2")
        self.t5 = T5Encoder(f"{folder}/text_encoder_3")
        self.mmdit = MMDiT(*read_folder(f"{folder}/transformer"))
        self.vae = AutoencoderKL(f"{folder}/vae")

    def encode(self, ids_l, ids_g, ids_t5):
        l, g, t = self.clip_l(ids_l.long()), self.clip_g(ids_g.long()), self.t5(ids_t5.long())
        clip = torch.cat([l["penultimate"], g["penultimate"]], dim=-1)
        clip = F.pad(clip, (0, t.shape[-1] - clip.shape[-1]))
        return torch.cat([clip, t], dim=-2), torch.cat([l["projected"], g["projected"]], dim=-1)

    def guided(self, x, t, cond, uncond, scale):
        b = x.shape[0]
        context = torch.cat([cond[0], uncond[0].expand(b, -1, -1)])
        pooled = torch.cat([cond[1], uncond[1].expand(b, -1)])
        v, _ = self.mmdit(torch.cat([x, x]), torch.cat([t, t]) * 1000, context, pooled)
        return v[b:] + scale * (v[:b] - v[b:])


def shifted_grid(steps, shift):
    u = [1 - k / steps for k in range(steps + 1)]
    grid = [shift * s / (1 + (shift - 1) * s) for s in u]
    grid[-1] = 0.0
    return grid


def forward(folder, inputs):
    model = Sd35(folder)
    cond = model.encode(inputs["ids_l"], inputs["ids_g"], inputs["ids_t5"])
    uncond = model.encode(inputs["empty_l"], inputs["empty_g"], inputs["empty_t5"])
    steps, shift, scale, eta = inputs["settings"].tolist()
    steps = int(steps)
    x = inputs["noise"]
    b = x.shape[0]
    out = {}
    if "tmap" in inputs:
        out["v"] = model.guided(x, inputs["tmap"], cond, uncond, scale)
    grid = shifted_grid(steps, shift)
    for k in range(steps):
        t = grid[k] if k == 0 else min(1.0, max(SIGMA_MIN, grid[k] + (eta - 1) * (grid[k] - grid[k - 1])))
        v = model.guided(x, torch.full((b,), t), cond, uncond, scale)
        x = x + (grid[k + 1] - grid[k]) * v
    out["latents"] = x
    out["images"] = model.vae.decode(x)
    return out


if __name__ == "__main__":
    run(__doc__, forward)
