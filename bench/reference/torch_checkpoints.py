#!/usr/bin/env python3
"""Writes the torch.save checkpoints that TorchCheckpointTest reads, and what each must read as.

    torch_checkpoints.py WEIGHTS_DIR DIR   writes WEIGHTS_DIR/{plain,nested,protocol4,noncontiguous,legacy,
                                           notensors}.pt, DIR/reference.safetensors (every tensor of plain.pt as
                                           float32 under "plain/KEY", of nested.pt under "nested/KEY") and
                                           DIR/keys.json (each readable file's tensor keys in the order saved)

plain.pt is a module's state dict (an OrderedDict with _metadata) in F32, F16 and BF16 with an int64 buffer, a 0-d
tensor, an nn.Parameter and two views of one storage at different offsets; nested.pt holds it under "state_dict"
beside an epoch and a name, as HPSv2's checkpoints do; protocol4.pt is plain.pt written with pickle protocol 4.
"""
import json
import sys
from collections import OrderedDict
from pathlib import Path

try:
    import torch
except ImportError:
    sys.exit("PyTorch is not installed for " + sys.executable
             + "; install Debian's python3-torch: apt-get install python3-torch")

from reference_io import write_safetensors


def state_dict():
    torch.manual_seed(7)
    m = torch.nn.Sequential(OrderedDict(fc=torch.nn.Linear(3, 4), norm=torch.nn.LayerNorm(4)))
    m.register_buffer("position_ids", torch.arange(6).expand((1, -1)))
    sd = m.state_dict()
    sd["half"] = torch.randn(2, 5).half()
    sd["bf16"] = torch.randn(3, 2).bfloat16()
    sd["scale"] = torch.tensor(4.6052)
    sd["param"] = torch.nn.Parameter(torch.randn(2, 2))
    whole = torch.randn(10)
    sd["whole"] = whole
    sd["window"] = whole[3:7]          # shares whole's storage, offset 3
    sd["rows"] = torch.randn(4, 3)[1:3]  # offset 3 in a storage of 12
    return sd


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    weights, out = Path(sys.argv[1]), Path(sys.argv[2])
    sd = state_dict()
    torch.save(sd, weights / "plain.pt")
    torch.save({"epoch": 3, "name": "run", "state_dict": sd}, weights / "nested.pt")
    torch.save(sd, weights / "protocol4.pt", pickle_protocol=4)
    torch.save({"t": torch.arange(6.0).reshape(2, 3).t()}, weights / "noncontiguous.pt")
    torch.save(sd, weights / "legacy.pt", _use_new_zipfile_serialization=False)
    torch.save({"epoch": 1, "lr": 0.5}, weights / "notensors.pt")
    reference = {}
    for case in ("plain", "nested"):
        for k, v in sd.items():
            reference[case + "/" + k] = v.detach().float()
    write_safetensors(out / "reference.safetensors", reference)
    (out / "keys.json").write_text(json.dumps(list(sd.keys())))
    print("torch", torch.__version__)


main()
