#!/usr/bin/env bash
# The second-generation tiny backbone's one training schedule, run across sessions.
#
#   training/tiny-v2.sh run [MINUTES]   start or resume the run in the background at nice 19 (default 170 minutes)
#   training/tiny-v2.sh status          the run's last progress line, held-out losses and checkpoint
#   training/tiny-v2.sh carry           copy the latest checkpoint into training/tiny-v2/ (to commit it)
#   training/tiny-v2.sh ship            copy the finished run's exported EMA weights into the shipped resources
#
# The run lives in $ASYNCDIFF_RUN (default ~/asyncdiff-runs/tiny-v2), outside the work tree. When that folder has
# no checkpoint (a new machine) and training/tiny-v2/checkpoint/ holds a carried one, the run resumes from it; the
# latent pool is rebuilt from the seed. Every option below is fixed for the whole schedule: changing one means a
# new run from scratch.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run="${ASYNCDIFF_RUN:-$HOME/asyncdiff-runs/tiny-v2}"
carried="$root/training/tiny-v2/checkpoint"
options=(--seed 42 --arch v2 --ae-steps 1200 --pool 64000 --dit-steps 30000 --batch 64 --lr 4e-4)

case "${1:-}" in
  run)
    minutes="${2:-170}"
    mkdir -p "$run"
    if [ ! -f "$run/latest" ] && [ -f "$carried/phase.txt" ]; then
      name="$(cat "$carried/name")"
      echo "seeding $run with the carried checkpoint $name"
      rm -rf "${run:?}/$name" && cp -r "$carried" "$run/$name" && rm -f "$run/$name/name"
      echo "$name" > "$run/latest"
    fi
    resume=()
    [ -f "$run/latest" ] && resume=(--resume)
    "$root/asyncdiff" --version > /dev/null   # builds the CLI jar if needed
    cp "$root/dsl/target/asyncdiff-cli.jar" "$run/asyncdiff-cli.jar.tmp" && mv "$run/asyncdiff-cli.jar.tmp" "$run/asyncdiff-cli.jar"
    # One OpenMP thread: on these 2 cores three single-threaded runs made 2.1 steps/s together where one run on
    # two threads made about 1.25, and the other core stays free for interactive work.
    OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" ASYNCDIFF_CLI_JAR="$run/asyncdiff-cli.jar" \
      nohup nice -n 19 "$root/asyncdiff" train-base --out "$run" \
      --minutes "$minutes" "${options[@]}" "${resume[@]}" >> "$run/train.log" 2>&1 &
    echo "training in the background (pid $!), log: $run/train.log"
    ;;
  status)
    tail -c 2000 "$run/train.log" 2>/dev/null | tr '\r' '\n' | grep -v '^$' | tail -3 || true
    echo "checkpoint: $(cat "$run/latest" 2>/dev/null || echo none)"
    [ -f "$run/val.csv" ] && tail -5 "$run/val.csv"
    ;;
  carry)
    name="$(cat "$run/latest")"
    mkdir -p "$(dirname "$carried")"
    rm -rf "$carried.tmp"
    cp -r "$run/$name" "$carried.tmp"
    echo "$name" > "$carried.tmp/name"
    rm -rf "$carried"
    mv "$carried.tmp" "$carried"
    du -sh "$carried"
    ;;
  ship)
    steps="$(printf '%s\n' "${options[@]}" | grep -A1 -x -- --dit-steps | tail -1)"
    [ "$(cat "$run/latest" 2>/dev/null)" = "$(printf 'ckpt-dit-%06d' "$steps")" ] \
      || { echo "the run in $run has not finished its $steps DiT steps (checkpoint: $(cat "$run/latest" 2>/dev/null || echo none))" >&2; exit 2; }
    resources="$root/dsl/src/main/resources/dev/asyncdiff/tiny"
    for f in tiny.safetensors vocab.txt; do   # each file whole or not at all
      cp "$run/final/$f" "$resources/$f.tmp" && mv "$resources/$f.tmp" "$resources/$f"
    done
    # the schedule is finished: the carried checkpoint (kept for resuming on another machine) is no longer needed
    rm -rf "$carried"
    echo "shipped $run/final; now re-run the README tables and notebooks on them (scripts/results.sh), retrain the" \
      "TPMs (training/tpm.sh) and commit (the carried checkpoint under training/tiny-v2/ was removed)"
    ;;
  *)
    sed -n 2,12p "$0" >&2
    exit 2
    ;;
esac
