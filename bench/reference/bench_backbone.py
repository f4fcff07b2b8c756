#!/usr/bin/env python3
"""The PyTorch side of `asyncdiff bench backbone`: denoiser forward passes of the SD3 or Flux transformer reference
(sd3.py, flux.py) with random weights of the real shapes, in a process of its own so that its peak memory is the
pass's.

    bench_backbone.py SETUP.json RESULT.json VELOCITY.safetensors

SETUP.json is what the Java side writes (bench/BackboneSetup.java): the transformer's config, every tensor's key and
shape, the inputs' shapes (latent, text tokens and widths), the time in the model's units and the guidance scale,
the number of timed passes, the torch threads, the seed and the reference matrix product [m, k] x [k, n]. Weights
are drawn by the rule of bench/SyntheticWeights.java: a matrix or kernel ~ N(0, 1/fan_in) with fan_in the product
of its dimensions after the first, a bias zero, a norm's scale one. One warm-up pass, then the timed passes (inputs
drawn before each, not timed), then the matrix-product rate (the fastest of 10 after a warm-up, as
bench/MatmulRate.java) and the peak resident memory (VmHWM). RESULT.json gets the fields of bench/PassResult.java,
VELOCITY.safetensors the last pass's velocity ("v"); progress goes to stderr.
"""
import json
import math
import os
import sys
import time
from pathlib import Path

try:
    import torch
except ImportError:
    sys.exit("PyTorch is not installed for " + sys.executable
             + "; install Debian's python3-torch: apt-get install python3-torch")

from flux import Flux
from reference_io import write_safetensors
from sd3 import MMDiT

MATMUL_REPEATS = 10


def log(message):
    print("python: " + message, file=sys.stderr, flush=True)


def draw(tensors):
    weights = {}
    for name, shape in tensors:
        if len(shape) == 1:
            weights[name] = torch.zeros(shape) if name.endswith(".bias") else torch.ones(shape)
        else:
            weights[name] = torch.empty(shape).normal_(0, 1 / math.sqrt(math.prod(shape[1:])))
    return weights


def peak_resident_bytes():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("/proc/self/status has no VmHWM line")


def matmul_gflops(m, k, n):
    a, b = torch.randn(m, k), torch.randn(k, n)
    a @ b
    fastest = math.inf
    for _ in range(MATMUL_REPEATS):
        t0 = time.perf_counter()
        a @ b
        fastest = min(fastest, time.perf_counter() - t0)
    return 2.0 * m * k * n / fastest / 1e9


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    setup = json.loads(Path(sys.argv[1]).read_text())
    torch.set_num_threads(setup["threads"])
    torch.manual_seed(setup["seed"])
    values = sum(math.prod(shape) for _, shape in setup["tensors"])
    log(f"drawing {values:,} random weights ({values * 4 / 2 ** 30:.2f} GiB in FP32)")
    start = time.perf_counter()
    weights = draw(setup["tensors"])
    weights_seconds = time.perf_counter() - start
    log(f"weights drawn in {weights_seconds:.1f} s")
    sd3 = setup["backbone"] == "sd35"
    model = MMDiT(setup["config"], weights) if sd3 else Flux(setup["config"], weights)
    b, repeats = setup["batch"], setup["repeats"]
    seconds, rms = [], float("nan")
    with torch.no_grad():
        for i in range(-1, repeats):
            x = torch.randn(setup["latent"])
            t = torch.full((b,), setup["time"])
            context = torch.randn(b, setup["text_tokens"], setup["text_width"])
            pooled = torch.randn(b, setup["pooled_width"])
            guidance = torch.full((b,), setup["guidance"]) if "guidance" in setup else None
            t0 = time.perf_counter()
            v, _ = model(x, t, context, pooled) if sd3 else model(x, t, guidance, context, pooled)
            s = time.perf_counter() - t0
            rms = v.pow(2).mean().sqrt().item()
            if i >= 0:
                seconds.append(s)
            log(f"{'warm-up pass' if i < 0 else f'pass {i + 1}/{repeats}'} {s:.2f} s")
        write_safetensors(sys.argv[3], {"v": v})
        matmul = matmul_gflops(*setup["matmul"])
    result = {"implementation": "Python, torch " + torch.__version__, "threads": torch.get_num_threads(),
              "weights_seconds": weights_seconds, "pass_seconds": seconds, "matmul_gflops": matmul,
              "peak_bytes": peak_resident_bytes(), "output_rms": rms}
    out = Path(sys.argv[2])
    tmp = out.with_name("." + out.name + ".tmp")
    tmp.write_text(json.dumps(result))
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
