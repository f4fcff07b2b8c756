"""What the component references share around their models: safetensors reading and writing without the
safetensors package (Debian has none; F32, F16 and BF16 tensors, single files and sharded diffusers folders through
their *.safetensors.index.json), and the command line `SCRIPT WEIGHTS_DIR DIR`."""
import json
import struct
import sys
from pathlib import Path

import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def read_safetensors(path):
    """Every tensor of one file, as float32."""
    raw = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        chunk = bytearray(raw[8 + n + begin:8 + n + end])
        t = torch.frombuffer(chunk, dtype=DTYPES[info["dtype"]]) if chunk else torch.zeros(0)
        out[name] = t.reshape(info["shape"]).float()
    return out


def read_folder(folder):
    """config.json and every tensor of a component folder."""
    folder = Path(folder)
    index = sorted(folder.glob("*.safetensors.index.json"))
    files = sorted({folder / s for s in json.loads(index[0].read_text())["weight_map"].values()}) if index \
        else sorted(folder.glob("*.safetensors"))
    weights = {}
    for f in files:
        weights.update(read_safetensors(f))
    return json.loads((folder / "config.json").read_text()), weights


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().float().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header).encode()
    Path(path).write_bytes(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def run(doc, forward):
    """Reads DIR/inputs.safetensors, writes what forward(WEIGHTS_DIR, inputs) returns to DIR/reference.safetensors
    and prints `torch VERSION`; single-threaded, without autograd."""
    if len(sys.argv) != 3:
        sys.exit(doc)
    torch.set_num_threads(1)
    inputs = read_safetensors(Path(sys.argv[2]) / "inputs.safetensors")
    with torch.no_grad():
        out = forward(sys.argv[1], inputs)
    write_safetensors(Path(sys.argv[2]) / "reference.safetensors", out)
    print("torch " + torch.__version__)
