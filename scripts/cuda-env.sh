# Sourced by ../asyncdiff and cuda-smoke.sh: which of the two routes to PyTorch 2.7.1's CUDA natives this shell asks
# for (README, section CUDA). Sets
#   cuda_maven_args  extra Maven arguments for the build (-Pcuda, or none),
#   djl_offline      the JVM's ai.djl.offline (false only while DJL must download natives),
#   cli_jar_name     the CLI jar under dsl/target/ (asyncdiff-cli or asyncdiff-cli-cuda).
# Routes:
#   PYTORCH_LIBRARY_PATH=DIR  offline: DIR is the lib folder of a local libtorch 2.7.1+cu128 (holding libtorch.so).
#       DJL loads it before the CPU natives in the jar; PYTORCH_VERSION and PYTORCH_FLAVOR default to 2.7.1 and cu128,
#       so that DJL takes the cu128 JNI library out of its 2.7.1 JNI jar and downloads nothing.
#   ASYNCDIFF_CUDA=download   online once: the CLI jar built with mvn -Pcuda (no CPU natives), run with
#       ai.djl.offline=false, so that DJL downloads the cu128 natives into ~/.djl.ai on the first run.
# Neither: the CPU natives of the default build, offline.
cuda_maven_args=()
djl_offline=true
cli_jar_name=asyncdiff-cli
if [ -n "${PYTORCH_LIBRARY_PATH:-}" ] && [ -n "${ASYNCDIFF_CUDA:-}" ]; then
  echo "asyncdiff: set either PYTORCH_LIBRARY_PATH (a local libtorch) or ASYNCDIFF_CUDA=download, not both" >&2
  exit 2
elif [ -n "${PYTORCH_LIBRARY_PATH:-}" ]; then
  libtorch=""
  IFS=: read -ra _dirs <<< "$PYTORCH_LIBRARY_PATH"
  for _d in "${_dirs[@]}"; do
    if [ -z "$libtorch" ] && [ -f "$_d/libtorch.so" ]; then libtorch="$_d"; fi
  done
  if [ -z "$libtorch" ]; then
    echo "asyncdiff: PYTORCH_LIBRARY_PATH=$PYTORCH_LIBRARY_PATH holds no libtorch.so; point it at the lib folder of" \
      "an unpacked libtorch 2.7.1+cu128 (README, section CUDA)" >&2
    exit 2
  fi
  export PYTORCH_VERSION="${PYTORCH_VERSION:-2.7.1}" PYTORCH_FLAVOR="${PYTORCH_FLAVOR:-cu128}"
elif [ -n "${ASYNCDIFF_CUDA:-}" ]; then
  if [ "$ASYNCDIFF_CUDA" != download ]; then
    echo "asyncdiff: ASYNCDIFF_CUDA must be 'download' (got '$ASYNCDIFF_CUDA'); for a local libtorch set" \
      "PYTORCH_LIBRARY_PATH instead (README, section CUDA)" >&2
    exit 2
  fi
  cuda_maven_args=(-Pcuda)
  djl_offline=false
  cli_jar_name=asyncdiff-cli-cuda
  # The exact flavor whose JNI library DJL's 2.7.1 JNI jar carries, whatever CUDA runtime the machine reports.
  export PYTORCH_FLAVOR="${PYTORCH_FLAVOR:-cu128}"
fi
