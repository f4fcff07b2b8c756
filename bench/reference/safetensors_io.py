"""Safetensors reading and writing for the references in this folder, with nothing but the standard library and
PyTorch (Debian has no safetensors package): F32, F16 and BF16 tensors, single files and sharded diffusers or
transformers folders (*.safetensors.index.json)."""
import json
import struct
import sys
from pathlib import Path

try:
    import torch
except ImportError:
    sys.exit("PyTorch is not installed for " + sys.executable
             + "; install Debian's python3-torch: apt-get install python3-torch")

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
    """Every tensor of a component folder: the shards its index names, else its safetensors files."""
    folder = Path(folder)
    index = sorted(folder.glob("*.safetensors.index.json"))
    files = sorted({folder / s for s in json.loads(index[0].read_text())["weight_map"].values()}) if index \
        else sorted(folder.glob("*.safetensors"))
    weights = {}
    for f in files:
        weights.update(read_safetensors(f))
    return weights


def write_safetensors(path, tensors):
    """Tensors as F32, in the given order."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().float().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header).encode()
    Path(path).write_bytes(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def config(folder):
    """A component's config.json."""
    return json.loads((Path(folder) / "config.json").read_text())


def run(doc, compute):
    """The command line of every reference here, `SCRIPT WEIGHTS_DIR DIR`: compute(weights_dir, inputs) maps the
    tensors of DIR/inputs.safetensors to those written to DIR/reference.safetensors, on one thread without gradients.
    Prints `torch VERSION` on stdout."""
    if len(sys.argv) != 3:
        sys.exit(doc)
    torch.set_num_threads(1)
    inputs = read_safetensors(Path(sys.argv[2]) / "inputs.safetensors")
    with torch.no_grad():
        outputs = compute(sys.argv[1], inputs)
    write_safetensors(Path(sys.argv[2]) / "reference.safetensors", outputs)
    print("torch " + torch.__version__)
