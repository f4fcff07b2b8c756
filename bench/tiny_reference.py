#!/usr/bin/env python3
"""An independent PyTorch reference of the tiny model's denoiser: the text encoder and the DiT of
dsl/src/main/java/dev/asyncdiff/model/tiny/, rewritten from the Java with PyTorch's functional API and run on the
shipped weights, for `asyncdiff bench parity` and its test.

    tiny_reference.py parity DIR       reads DIR/inputs.safetensors, writes DIR/reference.safetensors
    tiny_reference.py throughput …     times Euler sampling with classifier-free guidance (see --help)

parity inputs (F32): x [B, 4, 16, 16]; t_sample [B, 1]; t_token [B, 64]; ids [B, 16] (token ids, 0 = padding);
unconditional [B] (1 where the row takes the learned null condition). Outputs: v_sample and v_token [B, 4, 16, 16],
the velocity at either kind of time, and attention_token [5, B, 64, 16], each block's head-averaged
cross-attention at the per-token times. Machine-readable lines on stdout: `torch VERSION`, `seconds S`.
"""
import argparse
import json
import math
import os
import struct
import sys
import time
from array import array
from pathlib import Path

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("PyTorch is not installed for " + sys.executable
             + "; install Debian's python3-torch: apt-get install python3-torch")

REPO = Path(__file__).resolve().parent.parent
WEIGHTS = REPO / "dsl/src/main/resources/dev/asyncdiff/tiny/tiny.safetensors"

TEXT_HEADS = 4
TEXT_LAYERS = 2
DIT_WIDTH = 160
DIT_HEADS = 4
DIT_DEPTH = 5
PATCH = 2
LATENT_CHANNELS = 4
LATENT = 16
GRID = LATENT // PATCH
FREQUENCIES = 128
TIME_SCALE = 1000.0  # timesteps are embedded at 1000·t
LN_EPS = 1e-5


# --- safetensors: 8-byte little-endian header length, a JSON header, raw little-endian data -------------------

def read_safetensors(path):
    data = bytearray(Path(path).read_bytes())
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} is {info['dtype']}; only F32 is read here")
        begin, end = info["data_offsets"]
        flat = torch.frombuffer(data, dtype=torch.float32, count=(end - begin) // 4, offset=8 + n + begin)
        tensors[name] = flat.clone().reshape(info["shape"])
    return tensors


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        blob = array("f", t.detach().float().flatten().tolist()).tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    encoded = json.dumps(header).encode()
    encoded += b" " * (-len(encoded) % 8)
    tmp = Path(str(path) + ".tmp")
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)
    os.replace(tmp, path)


# --- the networks ------------------------------------------------------------------------------------------

def split_heads(x, heads):
    b, n, c = x.shape
    return x.view(b, n, heads, c // heads).transpose(1, 2)


def merge_heads(x):
    b, h, n, d = x.shape
    return x.transpose(1, 2).reshape(b, n, h * d)


def attention(q, k, v, padding=None):
    """softmax(q·kᵀ/√d)·v over head-split inputs; padding [B, S] is True at keys to ignore."""
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    if padding is not None:
        scores = scores.masked_fill(padding[:, None, None, :], float("-inf"))
    probs = scores.softmax(-1)
    return probs @ v, probs


def modulate(x, shift, scale):
    return x * (1 + scale) + shift  # adaLN (DiT)


def patchify(x):
    """[B, 4, 16, 16] → [B, 64, 16]: token (i, j) holds the 4×2×2 entries of patch (i, j), channel-major."""
    b = x.shape[0]
    return (x.reshape(b, LATENT_CHANNELS, GRID, PATCH, GRID, PATCH).permute(0, 2, 4, 1, 3, 5)
            .reshape(b, GRID * GRID, LATENT_CHANNELS * PATCH * PATCH))


def unpatchify(tokens):
    b = tokens.shape[0]
    return (tokens.reshape(b, GRID, GRID, LATENT_CHANNELS, PATCH, PATCH).permute(0, 3, 1, 4, 2, 5)
            .reshape(b, LATENT_CHANNELS, LATENT, LATENT))


def timestep_embedding(t):
    """Sinusoidal features of 1000·t: [B, T] → [B, T, 128], cosines first."""
    half = FREQUENCIES // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float64) / half).float()
    angles = (t * TIME_SCALE)[..., None] * freqs
    return torch.cat([angles.cos(), angles.sin()], dim=-1)


def sincos_positions(grid, width):
    """MAE/DiT 2D sin-cos positions [grid², width]: the first half of the channels encode the row, the second
    half the column, each as sin then cos at frequencies 10000^(−j/(width/4))."""
    quarter = width // 4
    freqs = 10000.0 ** (-torch.arange(quarter, dtype=torch.float64) / quarter)
    rows = torch.arange(grid * grid, dtype=torch.float64) // grid
    cols = torch.arange(grid * grid, dtype=torch.float64) % grid
    parts = []
    for coordinate in (rows, cols):
        angles = coordinate[:, None] * freqs[None, :]
        parts += [angles.sin(), angles.cos()]
    return torch.cat(parts, dim=1).float()


class TinyReference:
    """The text encoder and DiT over a dict of the shipped tensors (names as in the file)."""

    def __init__(self, weights):
        self.w = weights
        self.max_tokens = weights["text.pos"].shape[0]
        self.vocabulary = weights["text.embed"].shape[0]

    def linear(self, x, name):
        return F.linear(x, self.w[name + ".w"], self.w[name + ".b"])

    def norm(self, x, name):
        g = self.w[name + ".g"]
        return F.layer_norm(x, g.shape, g, self.w[name + ".b"], LN_EPS)

    def encode(self, ids):
        """Token ids [B, L] (0 = padding) → token states [B, L, 128], pooled [B, 128] (masked mean), mask [B, L]."""
        valid = ids != 0
        h = F.embedding(ids, self.w["text.embed"]) + self.w["text.pos"]
        for i in range(TEXT_LAYERS):
            n = f"text.layer{i}"
            q, k, v = self.linear(self.norm(h, n + ".ln1"), n + ".qkv").chunk(3, dim=-1)
            out, _ = attention(split_heads(q, TEXT_HEADS), split_heads(k, TEXT_HEADS), split_heads(v, TEXT_HEADS),
                               ~valid)
            h = h + self.linear(merge_heads(out), n + ".proj")
            h = h + self.linear(F.gelu(self.linear(self.norm(h, n + ".ln2"), n + ".fc1")), n + ".fc2")
        h = self.norm(h, "text.ln_out")
        m = valid.float()[..., None]
        return h, (h * m).sum(1) / m.sum(1), valid.float()

    def null_condition(self, n):
        """The learned null condition ("no prompt"), all positions valid."""
        return (self.w["text.null_tokens"].expand(n, -1, -1), self.w["text.null_pooled"].expand(n, -1),
                torch.ones(n, self.max_tokens))

    def condition(self, ids, unconditional):
        """Per row: the encoded prompt, or the null condition where `unconditional` is set."""
        tokens, pooled, mask = (c.clone() for c in self.null_condition(ids.shape[0]))
        rows = ~unconditional
        if rows.any():
            tokens[rows], pooled[rows], mask[rows] = self.encode(ids[rows])
        return tokens, pooled, mask

    def velocity(self, x, t, tokens, pooled, mask):
        """x [B, 4, 16, 16]; t [B, 1] (per sample) or [B, 64] (per token) → velocity [B, 4, 16, 16] and each
        block's head-averaged cross-attention [B, 64, L]. Both generations of the DiT: v1 (adaLN-single, one
        modulation shared by all blocks plus per-block tables; learned positions) and v2 (adaLN-Zero, a modulation
        per block; fixed 2D sin-cos positions times a learned gain), told apart by their tensors' names."""
        c = DIT_WIDTH
        shared = "dit.mod.w" in self.w
        if "dit.pos" in self.w:
            positions = self.w["dit.pos"]
        else:
            positions = sincos_positions(GRID, c) * self.w["dit.pos_gain"]
        h = self.linear(patchify(x), "dit.patch") + positions
        emb = self.linear(F.silu(self.linear(timestep_embedding(t), "dit.time.fc1")), "dit.time.fc2")
        emb = emb + self.linear(pooled, "dit.text.pooled")[:, None, :]  # [B, 1 or 64, C]
        act = F.silu(emb)
        mod = self.linear(act, "dit.mod") if shared else None
        padding = mask == 0
        maps = []
        for i in range(DIT_DEPTH):
            n = f"dit.block{i}"
            block_mod = mod[..., :6 * c] + self.w[n + ".table"] if shared else self.linear(act, n + ".mod")
            shift1, scale1, gate1, shift2, scale2, gate2 = block_mod.chunk(6, -1)

            q, k, v = self.linear(modulate(self.norm(h, n + ".ln1"), shift1, scale1), n + ".qkv").chunk(3, -1)
            out, _ = attention(split_heads(q, DIT_HEADS), split_heads(k, DIT_HEADS), split_heads(v, DIT_HEADS))
            h = h + gate1 * self.linear(merge_heads(out), n + ".proj")

            xq = split_heads(self.linear(self.norm(h, n + ".ln2"), n + ".xq"), DIT_HEADS)
            xk, xv = self.linear(tokens, n + ".xkv").chunk(2, -1)
            out, probs = attention(xq, split_heads(xk, DIT_HEADS), split_heads(xv, DIT_HEADS), padding)
            h = h + self.linear(merge_heads(out), n + ".xproj")
            maps.append(probs.mean(1))

            f = modulate(self.norm(h, n + ".ln3"), shift2, scale2)
            h = h + gate2 * self.linear(F.gelu(self.linear(f, n + ".fc1")), n + ".fc2")
        final_mod = mod[..., 6 * c:] + self.w["dit.final.table"] if shared else self.linear(act, "dit.final.mod")
        shift, scale = final_mod.chunk(2, -1)
        out = self.linear(modulate(self.norm(h, "dit.final.ln"), shift, scale), "dit.final.out")
        return unpatchify(out), maps

    def sample(self, x, tokens, pooled, mask, steps, cfg):
        """Synchronous Euler on the uniform grid t_k = 1 − k/K with classifier-free guidance (Eq. 5), the
        conditional and unconditional halves in one batched call."""
        b = x.shape[0]
        null = self.null_condition(b)
        both = [torch.cat(pair) for pair in zip((tokens, pooled, mask), null)]
        for k in range(steps):
            t, t_next = 1 - k / steps, 1 - (k + 1) / steps
            v, _ = self.velocity(torch.cat([x, x]), torch.full((2 * b, 1), t), *both)
            v_cond, v_uncond = v[:b], v[b:]
            x = x + (t_next - t) * (v_uncond + cfg * (v_cond - v_uncond))  # Eq. 4
        return x


# --- modes -------------------------------------------------------------------------------------------------

def parity(args):
    model = TinyReference(read_safetensors(args.weights))
    inputs = read_safetensors(Path(args.dir) / "inputs.safetensors")
    cond = model.condition(inputs["ids"].long(), inputs["unconditional"] != 0)
    v_sample, _ = model.velocity(inputs["x"], inputs["t_sample"], *cond)
    v_token, maps = model.velocity(inputs["x"], inputs["t_token"], *cond)
    write_safetensors(Path(args.dir) / "reference.safetensors",
                      {"v_sample": v_sample, "v_token": v_token, "attention_token": torch.stack(maps)})
    print("torch", torch.__version__, flush=True)


def throughput(args):
    model = TinyReference(read_safetensors(args.weights))
    if args.inputs:
        inputs = read_safetensors(Path(args.inputs) / "sampling.safetensors")
        x, ids = inputs["x"], inputs["ids"].long()
    else:
        g = torch.Generator().manual_seed(args.seed)
        x = torch.randn(args.batch, LATENT_CHANNELS, LATENT, LATENT, generator=g)
        ids = torch.randint(1, model.vocabulary, (args.batch, model.max_tokens), generator=g)
        ids[:, 6:] = 0  # prompts of six words
    cond = model.encode(ids)
    final = model.sample(x, *cond, args.steps, args.cfg)  # warm-up
    if args.inputs:
        write_safetensors(Path(args.inputs) / "sampled_reference.safetensors", {"x": final})
    print("torch", torch.__version__, flush=True)
    runs = (line for line in sys.stdin if line.strip() == "run") if args.serve else range(args.reps)
    for _ in runs:
        start = time.perf_counter()
        model.sample(x, *cond, args.steps, args.cfg)
        print(f"seconds {time.perf_counter() - start:.6f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weights", default=str(WEIGHTS), help="tiny.safetensors (default: the shipped weights)")
    modes = parser.add_subparsers(dest="mode", required=True)
    p = modes.add_parser("parity", help="velocity (and cross-attention) of the inputs Java wrote")
    p.add_argument("dir", help="folder holding inputs.safetensors; reference.safetensors is written there")
    p.set_defaults(run=parity)
    s = modes.add_parser("throughput", help="time Euler sampling with CFG on the denoiser (no decoding)")
    s.add_argument("--inputs", help="folder holding sampling.safetensors (x [B,4,16,16], ids [B,16]); "
                                    "the warm-up's final latents go to sampled_reference.safetensors there")
    s.add_argument("--batch", type=int, default=16, help="samples per run without --inputs (default 16)")
    s.add_argument("--steps", type=int, default=10, help="Euler steps (default 10)")
    s.add_argument("--cfg", type=float, default=5.0, help="guidance scale (default 5)")
    s.add_argument("--reps", type=int, default=5, help="timed runs without --serve (default 5)")
    s.add_argument("--threads", type=int, default=2, help="torch intra-op threads (default 2)")
    s.add_argument("--seed", type=int, default=0, help="seed of the random inputs without --inputs")
    s.add_argument("--serve", action="store_true", help="one timed run per line 'run' on stdin, until EOF")
    s.set_defaults(run=throughput)
    args = parser.parse_args()
    if args.mode == "throughput":
        torch.set_num_threads(args.threads)
    with torch.no_grad():
        args.run(args)


if __name__ == "__main__":
    main()
