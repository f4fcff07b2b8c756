#!/usr/bin/env python3
"""An independent PyTorch reference of diffusers' AutoencoderKL (the VAE of SD3.5 and Flux.1), written with PyTorch's
functional API from the published architecture (Rombach et al. 2022; DownEncoderBlock2D / UpDecoderBlock2D blocks),
reading a diffusers-layout vae folder: config.json and its safetensors (F32, F16 or BF16).

    vae.py WEIGHTS_DIR DIR     reads DIR/inputs.safetensors (latents [B, latent_channels, h, w] as the diffusion
                               model sees them, images [B, 3, H, W] in [-1, 1]) and writes DIR/reference.safetensors
                               holding decoded = decoder(latents / scaling + shift) and
                               encoded = (mean of the encoder's Gaussian - shift) * scaling

ResNet blocks: GroupNorm, SiLU, 3x3 conv, twice, a 1x1 shortcut where the width changes; the mid block has one
single-head self-attention; the decoder doubles the size by nearest-neighbour interpolation then a 3x3 conv; the
encoder halves it by a stride-2 3x3 conv after padding one zero row and column at the bottom and right.
Prints `torch VERSION` on stdout.
"""
import math
import sys

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("PyTorch is not installed for " + sys.executable
             + "; install Debian's python3-torch: apt-get install python3-torch")

from reference_io import read_folder, run

EPS = 1e-6


class AutoencoderKL:
    def __init__(self, folder):
        self.cfg, self.w = read_folder(folder)
        self.groups = self.cfg.get("norm_num_groups", 32)
        self.channels = self.cfg["block_out_channels"]
        self.per_block = self.cfg["layers_per_block"]

    def conv(self, x, name, stride=1, padding=None):
        weight = self.w[name + ".weight"]
        pad = weight.shape[-1] // 2 if padding is None else padding
        return F.conv2d(x, weight, self.w[name + ".bias"], stride=stride, padding=pad)

    def norm(self, x, name):
        return F.group_norm(x, self.groups, self.w[name + ".weight"], self.w[name + ".bias"], eps=EPS)

    def resnet(self, x, name):
        h = self.conv(F.silu(self.norm(x, name + ".norm1")), name + ".conv1")
        h = self.conv(F.silu(self.norm(h, name + ".norm2")), name + ".conv2")
        if name + ".conv_shortcut.weight" in self.w:
            x = self.conv(x, name + ".conv_shortcut")
        return x + h

    def attention(self, x, name):
        b, c, hh, ww = x.shape
        seq = self.norm(x, name + ".group_norm").reshape(b, c, hh * ww).permute(0, 2, 1)

        def lin(t, key):
            return F.linear(t, self.w[f"{name}.{key}.weight"], self.w[f"{name}.{key}.bias"])

        q, k, v = lin(seq, "to_q"), lin(seq, "to_k"), lin(seq, "to_v")
        probs = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(c), dim=-1)
        out = lin(probs @ v, "to_out.0")
        return x + out.permute(0, 2, 1).reshape(b, c, hh, ww)

    def mid(self, x, name):
        x = self.resnet(x, name + ".resnets.0")
        if self.cfg.get("mid_block_add_attention", True):
            x = self.attention(x, name + ".attentions.0")
        return self.resnet(x, name + ".resnets.1")

    def decode(self, latents):
        z = latents / self.cfg.get("scaling_factor", 1.0) + (self.cfg.get("shift_factor") or 0.0)
        if self.cfg.get("use_post_quant_conv", True):
            z = self.conv(z, "post_quant_conv")
        h = self.mid(self.conv(z, "decoder.conv_in"), "decoder.mid_block")
        for i in range(len(self.channels)):
            for j in range(self.per_block + 1):
                h = self.resnet(h, f"decoder.up_blocks.{i}.resnets.{j}")
            if i < len(self.channels) - 1:
                h = F.interpolate(h, scale_factor=2.0, mode="nearest")
                h = self.conv(h, f"decoder.up_blocks.{i}.upsamplers.0.conv")
        return self.conv(F.silu(self.norm(h, "decoder.conv_norm_out")), "decoder.conv_out")

    def encode(self, images):
        h = self.conv(images, "encoder.conv_in")
        for i in range(len(self.channels)):
            for j in range(self.per_block):
                h = self.resnet(h, f"encoder.down_blocks.{i}.resnets.{j}")
            if i < len(self.channels) - 1:
                h = self.conv(F.pad(h, (0, 1, 0, 1)), f"encoder.down_blocks.{i}.downsamplers.0.conv", stride=2,
                              padding=0)
        h = self.mid(h, "encoder.mid_block")
        moments = self.conv(F.silu(self.norm(h, "encoder.conv_norm_out")), "encoder.conv_out")
        if self.cfg.get("use_quant_conv", True):
            moments = self.conv(moments, "quant_conv")
        mean = moments[:, :self.cfg["latent_channels"]]
        return (mean - (self.cfg.get("shift_factor") or 0.0)) * self.cfg.get("scaling_factor", 1.0)


def main():
    def compute(folder, inputs):
        vae = AutoencoderKL(folder)
        return {"decoded": vae.decode(inputs["latents"]), "encoded": vae.encode(inputs["images"])}

    run(__doc__, compute)


if __name__ == "__main__":
    main()
