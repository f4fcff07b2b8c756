"""The functional pieces SD3's and Flux's references share, written out for Debian's torch 1.13 (which has neither
scaled_dot_product_attention nor rms_norm)."""
import math

import torch
import torch.nn.functional as F

EPS = 1e-6


def layer_norm(x):
    """LayerNorm over the last axis without affine parameters."""
    return F.layer_norm(x, (x.shape[-1],), eps=EPS)


def rms_norm(x, weight):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + EPS) * weight


def modulate(x, shift, scale):
    return x * (1 + scale) + shift


def gelu_tanh(x):
    return F.gelu(x, approximate="tanh")


def attention(q, k, v):
    """softmax(q kᵀ / √d) v on [B, H, L, d]; returns the output merged to [B, L, H·d] and the probabilities."""
    probs = torch.softmax(torch.einsum("bhtd,bhsd->bhts", q, k) / math.sqrt(q.shape[-1]), dim=-1)
    return torch.einsum("bhts,bhsd->bhtd", probs, v).transpose(1, 2).flatten(2), probs


def image_to_text(probs, image, text):
    """Image-query rows, text-key columns (two slices), averaged over heads, renormalised over the text."""
    p = probs[:, :, image, text].mean(dim=1)
    return p / p.sum(dim=-1, keepdim=True)


def timestep_features(t):
    """256 sinusoidal channels of t (model units) on a new last axis, cosines first."""
    half = 128
    freqs = torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float().unsqueeze(-1) * freqs
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)
