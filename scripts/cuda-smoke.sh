#!/usr/bin/env bash
# CUDA smoke test, one command, for a machine with an NVIDIA GPU:
#   PYTORCH_LIBRARY_PATH=/opt/libtorch/lib scripts/cuda-smoke.sh   # offline: a local libtorch 2.7.1+cu128
#   ASYNCDIFF_CUDA=download scripts/cuda-smoke.sh                  # online once: DJL downloads the CUDA natives
# It runs dsl's CudaSmokeTest: SD3.5 and Flux.1 on small random checkpoints under the real key names (the fixtures of
# the CPU parity tests), the paper's presets at 3 steps, FP32 on the CPU against --device cuda (FP16), and prints, per
# backbone, the largest relative error of the final latents and decoded images and the seconds each run took, beside
# what rounding the weights to FP16 alone moves; it fails if CUDA is off by more than 4 times that, or if a streamed
# T5 on the GPU differs from the resident one. Nothing it checks needs python3-torch.
#
# Not run yet: no GPU machine was lent to the session that wrote it (CI and the development machines are CPU-only),
# so its first run on a GPU is also its own first test. Extra Maven arguments go in MAVEN_ARGS (e.g. -o).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "${PYTORCH_LIBRARY_PATH:-}" ] && [ -z "${ASYNCDIFF_CUDA:-}" ]; then
  echo "cuda-smoke: choose a route to PyTorch 2.7.1's CUDA natives: PYTORCH_LIBRARY_PATH=<libtorch>/lib (offline) or" \
    "ASYNCDIFF_CUDA=download (online once); see README, section CUDA" >&2
  exit 2
fi
source "$root/scripts/cuda-env.sh"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
cd "$root"
exec mvn -B ${MAVEN_ARGS:-} "${cuda_maven_args[@]}" -pl dsl -am test -Dtest=CudaSmokeTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Dasyncdiff.cuda.smoke=true
