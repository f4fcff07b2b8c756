#!/usr/bin/env python3
"""transformers' CLIPImageProcessor written out with Pillow and NumPy (no transformers package here), as reference
for the Java preprocessing: shortest side resized to size with Image.BICUBIC (the longer side to
int(size * long / short)), the centred crop_size square (top-left at (side - crop) // 2), rescaled by 1/255 and
normalised by image_mean and image_std, from WEIGHTS_DIR/preprocessor_config.json.

    clip_preprocess.py WEIGHTS_DIR DIR    reads DIR/inputs.safetensors (image: [H, W, 3] levels 0-255 stored as
                                          floats) and writes DIR/reference.safetensors holding resized (the uint8
                                          levels after resize and crop, [S, S, 3]) and pixels ([1, 3, S, S])

Prints `torch VERSION` on stdout.
"""

import json
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from reference_io import run


def side(value, key):
    return value if isinstance(value, int) else value[key]


def forward(folder, inputs):
    cfg = json.loads((Path(folder) / "preprocessor_config.json").read_text())
    size, crop = side(cfg["size"], "shortest_edge"), side(cfg["crop_size"], "height")
    image = Image.fromarray(inputs["image"].numpy().astype(np.uint8), "RGB")
    w, h = image.size
    short, long = (w, h) if w <= h else (h, w)
    new_long = int(size * long / short)
    image = image.resize((size, new_long) if w <= h else (new_long, size), resample=Image.BICUBIC)
    w, h = image.size
    top, left = (h - crop) // 2, (w - crop) // 2
    levels = np.asarray(image.crop((left, top, left + crop, top + crop)))
    pixels = (levels.astype(np.float32) / 255 - np.array(cfg["image_mean"], np.float32)) \
        / np.array(cfg["image_std"], np.float32)
    return {"resized": torch.from_numpy(levels.astype(np.float32)),
            "pixels": torch.from_numpy(pixels.transpose(2, 0, 1).copy()).unsqueeze(0)}


def main():
    run(__doc__, forward)


if __name__ == "__main__":
    main()
