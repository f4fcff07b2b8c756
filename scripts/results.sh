#!/usr/bin/env bash
# Re-runs the results that depend on the shipped tiny weights: one command per family, resumable, in the background
# at nice 19 (they take hours on 2 cores). Run them after `training/tiny-v2.sh ship` and again after
# `training/tpm.sh ship …` (the TPM table needs the shipped TPMs).
#
#   scripts/results.sh tables      run README's weight-dependent tables into $ASYNCDIFF_RESULTS (default
#                                  runs/results), then rewrite each README block between <!-- results:NAME --> and
#                                  <!-- /results:NAME --> with the table just made (the prose around it is yours to
#                                  re-read: the numbers it quotes change)
#   scripts/results.sh notebooks   execute every notebook in place on the shipped weights (full runs, not CI's quick
#                                  mode) and export each to HTML; the tables, figures and AsynDM notebooks read the
#                                  evaluations of `tables` (runs/results/reproduce, resumed: run `tables` first and they
#                                  sample nothing again), the others resume their own folders under notebooks/runs
#   scripts/results.sh status      the last lines of each log
#
# The tables, each an existing command (its folder resumes where a previous invocation stopped):
#   quality   eval --steps 4,10,50 --per-category 256                    (#13's quality table, stdout)
#   noise     eval --methods sync,fixed:0.1,…,fixed:0.3:velocity-scale    (do the learned rewards miss noise?)
#   reproduce reproduce all                                              (Tables 1–2, Fig. 2–6, AsynDM, solvers)
#   masks     masks --prompts shapes:CATEGORY:val:64 for spatial, numeracy, complex (AsynDM's masks scored)
#   tpm       distill each shipped TPM, then eval --methods sync, fixed, timeshift, velocity, both TPMs and their
#             distillates (only once both TPMs are shipped)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results="${ASYNCDIFF_RESULTS:-$root/runs/results}"
cli=("$root/asyncdiff")
learned="embedded-clip,embedded-pref-a,embedded-pref-b,embedded-pref-c"
all_rewards="$learned,oracle,oracle-verdict,hf-noise"

tables() {
  mkdir -p "$results"
  # the quality table goes to stdout, so it cannot resume: it is skipped when made on the same shipped weights
  weights_sha="$(sha256sum "$root/dsl/src/main/resources/dev/asyncdiff/tiny/tiny.safetensors" | cut -c1-64)"
  if [ "$(cat "$results/quality.weights" 2>/dev/null)" != "$weights_sha" ] || [ ! -f "$results/quality.md" ]; then
    "${cli[@]}" eval --steps 4,10,50 --per-category 256 > "$results/quality.md.tmp"
    mv "$results/quality.md.tmp" "$results/quality.md"
    echo "$weights_sha" > "$results/quality.weights"
  else
    echo "quality: kept, made on these weights ($results/quality.md)"
  fi
  "${cli[@]}" eval --methods sync,fixed:0.1,fixed:0.3,fixed:0.5,fixed:0.3:lifted,fixed:0.3:velocity-scale \
    --prompts shapes:all:val:512 --rewards "$all_rewards" --steps 4,10 --out "$results/noise"
  "${cli[@]}" reproduce all --out "$results/reproduce"
  # AsynDM's masks against the oracle's objects (a minute each)
  mkdir -p "$results/masks"
  for category in spatial numeracy complex; do
    "${cli[@]}" masks --prompts "shapes:$category:val:64" --steps 15 --out "$results/masks/$category.csv" \
      > "$results/masks/$category.md.tmp"
    mv "$results/masks/$category.md.tmp" "$results/masks/$category.md"
  done
  shipped="$root/dsl/src/main/resources/dev/asyncdiff/tpm"
  if [ -f "$shipped/shipped/tpm.safetensors" ] && [ -f "$shipped/shipped-lifted/tpm.safetensors" ]; then
    # the RL-free distillates of each shipped TPM (on train prompts), then every policy on the same val prompts
    methods=sync,fixed:0.192,fixed:0.199:lifted,timeshift,fixed:0.3:velocity-scale,tpm:shipped,tpm:shipped-lifted
    for variant in shipped shipped-lifted; do
      [ -f "$results/distill-$variant/distilled.json" ] || "${cli[@]}" distill --tpm "$variant" \
        --prompts shapes:all:train:512 --steps 4,10,15 --out "$results/distill-$variant"
      fixed="$(/usr/bin/python3 -c 'import json,sys
def find(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k == "fixedDeviation": return v
            r = find(v)
            if r is not None: return r
print(round(find(json.load(open(sys.argv[1]))), 4))' "$results/distill-$variant/distilled.json")"
      bound=$([ "$variant" = shipped ] && echo "" || echo ":lifted")
      methods="$methods,distilled:$results/distill-$variant,fixed:$fixed$bound"
    done
    "${cli[@]}" eval --methods "$methods" --prompts shapes:all:val:512 --rewards "$all_rewards" --steps 4,10,15 \
      --out "$results/tpm"
  else
    echo "tpm: skipped, the TPMs are not shipped yet (training/tpm.sh)"
  fi
  /usr/bin/python3 "$root/scripts/readme_results.py" "$root/README.md" "$results"
}

notebooks() {
  "${cli[@]}" --version > /dev/null
  (cd "$root" && mvn -q -B -o install -DskipTests)   # the kernel jar the notebooks run on
  mkdir -p "$root/notebooks/html"
  for nb in "$root"/notebooks/*.ipynb; do
    echo "executing $(basename "$nb")"
    env -u CI jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=-1 "$nb"
    jupyter nbconvert --to html --output-dir "$root/notebooks/html" "$nb"
  done
}

case "${1:-}" in
  tables|notebooks)
    mkdir -p "$results"
    log="$results/$1.log"
    nohup nice -n 19 "$0" "_$1" >> "$log" 2>&1 &
    echo "running $1 in the background (pid $!), log: $log"
    ;;
  _tables) tables ;;
  _notebooks) notebooks ;;
  status)
    for log in "$results"/*.log; do
      [ -f "$log" ] && { echo "== $log"; tail -c 1500 "$log" | tr '\r' '\n' | grep -v '^$' | tail -3; }
    done
    ;;
  *)
    sed -n '2,20p' "$0" >&2
    exit 2
    ;;
esac
