#!/usr/bin/env python3
"""An independent PyTorch reference of the HPSv2 score (hpsv2/img_score.py: OpenCLIP ViT-H/14 fine-tuned; the
diagonal of image_features @ text_features.T on unit-normalised features) on any OpenCLIP CLIP checkpoint, written
with PyTorch's functional API from open_clip's architecture (nn.MultiheadAttention's computation through
F.multi_head_attention_forward on the packed in_proj weights) and its evaluation transform.

    hpsv2.py WEIGHTS_DIR DIR   reads WEIGHTS_DIR/HPS_v2*_compressed.pt (torch.load; the state dict under
                               "state_dict") and DIR/inputs.safetensors: levels [B, H, W, 3] (0-255), ids [B, T]
                               (stored as floats), heads [2] (vision heads, text heads); writes
                               DIR/reference.safetensors: pixels (the transform's output), image_features and
                               text_features (normalised), score

Transform (open_clip image_transform, is_train=False, as HPSv2 calls it): levels / 255 as a float tensor, then
torchvision's Resize(S, BICUBIC) on the tensor, which is F.interpolate(mode="bicubic", antialias=True) in
torchvision >= 0.17 (shortest side to S, the longer to int(S * long / short)), CenterCrop(S) with the corner at
round((side - S) / 2), normalised by OpenAI's CLIP mean and std. S = the image tower's size: patch * grid side.
Prints `torch VERSION` on stdout.
"""
import sys
from pathlib import Path

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("PyTorch is not installed for " + sys.executable
             + "; install Debian's python3-torch: apt-get install python3-torch")

from reference_io import read_safetensors, write_safetensors

MEAN = torch.tensor([0.48145466, 0.4578275, 0.40821073]).view(3, 1, 1)
STD = torch.tensor([0.26862954, 0.26130258, 0.27577711]).view(3, 1, 1)


def transform(levels, size):
    x = levels.permute(2, 0, 1)[None] / 255.0
    h, w = x.shape[-2:]
    if h <= w:
        nh, nw = size, int(size * w / h)
    else:
        nh, nw = int(size * h / w), size
    if (nh, nw) != (h, w):
        x = F.interpolate(x, size=(nh, nw), mode="bicubic", align_corners=False, antialias=True)
    top, left = int(round((nh - size) / 2.0)), int(round((nw - size) / 2.0))
    x = x[0, :, top:top + size, left:left + size]
    return (x - MEAN) / STD


def block(w, p, x, heads, mask):
    """One open_clip ResidualAttentionBlock on x [L, N, D] (sequence first, as open_clip runs it)."""
    d = x.shape[-1]
    h = F.layer_norm(x, (d,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], 1e-5)
    a, _ = F.multi_head_attention_forward(
        h, h, h, d, heads, w[p + "attn.in_proj_weight"], w[p + "attn.in_proj_bias"], None, None, False, 0.0,
        w[p + "attn.out_proj.weight"], w[p + "attn.out_proj.bias"], training=False, need_weights=False,
        attn_mask=mask)
    x = x + a
    h = F.layer_norm(x, (d,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], 1e-5)
    h = F.gelu(F.linear(h, w[p + "mlp.c_fc.weight"], w[p + "mlp.c_fc.bias"]))
    return x + F.linear(h, w[p + "mlp.c_proj.weight"], w[p + "mlp.c_proj.bias"])


def layers(w, prefix):
    return len({k[len(prefix):].split(".")[0] for k in w if k.startswith(prefix)})


def encode_image(w, pixels, heads):
    conv = w["visual.conv1.weight"]
    x = F.conv2d(pixels, conv, stride=conv.shape[-1]).flatten(2).transpose(1, 2)
    cls = w["visual.class_embedding"].expand(x.shape[0], 1, -1)
    x = torch.cat([cls, x], dim=1) + w["visual.positional_embedding"]
    d = x.shape[-1]
    x = F.layer_norm(x, (d,), w["visual.ln_pre.weight"], w["visual.ln_pre.bias"], 1e-5).transpose(0, 1)
    for i in range(layers(w, "visual.transformer.resblocks.")):
        x = block(w, f"visual.transformer.resblocks.{i}.", x, heads, None)
    pooled = F.layer_norm(x[0], (d,), w["visual.ln_post.weight"], w["visual.ln_post.bias"], 1e-5)
    return pooled @ w["visual.proj"]


def encode_text(w, ids, heads):
    t = ids.shape[1]
    x = w["token_embedding.weight"][ids] + w["positional_embedding"][:t]
    mask = torch.empty(t, t).fill_(float("-inf")).triu_(1)
    x = x.transpose(0, 1)
    for i in range(layers(w, "transformer.resblocks.")):
        x = block(w, f"transformer.resblocks.{i}.", x, heads, mask)
    x = x.transpose(0, 1)
    d = x.shape[-1]
    x = F.layer_norm(x, (d,), w["ln_final.weight"], w["ln_final.bias"], 1e-5)
    return x[torch.arange(x.shape[0]), ids.argmax(dim=-1)] @ w["text_projection"]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    torch.set_num_threads(1)
    files = sorted(Path(sys.argv[1]).glob("HPS_v2*_compressed.pt"))
    checkpoint = torch.load(files[0], map_location="cpu")
    w = {k: v.float() for k, v in checkpoint.get("state_dict", checkpoint).items()}
    inputs = read_safetensors(Path(sys.argv[2]) / "inputs.safetensors")
    vision_heads, text_heads = [int(v) for v in inputs["heads"].tolist()]
    size = w["visual.conv1.weight"].shape[-1] * round((w["visual.positional_embedding"].shape[0] - 1) ** 0.5)
    with torch.no_grad():
        pixels = torch.stack([transform(levels, size) for levels in inputs["levels"]])
        image = F.normalize(encode_image(w, pixels, vision_heads), dim=-1)
        text = F.normalize(encode_text(w, inputs["ids"].long(), text_heads), dim=-1)
        score = (image * text).sum(-1)
    write_safetensors(Path(sys.argv[2]) / "reference.safetensors",
                      {"pixels": pixels, "image_features": image, "text_features": text, "score": score})
    print("torch", torch.__version__)


main()
