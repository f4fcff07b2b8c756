#!/usr/bin/env python3
"""Rewrites README.md's result blocks from the files scripts/results.sh makes.

    readme_results.py README.md RESULTS_DIR

A block is the text between a line `<!-- results:NAME -->` and a line `<!-- /results:NAME -->`; it is replaced by
what the table's run wrote (below). A block whose files are missing is left as it is and named on stderr. The
README is replaced atomically (a temporary file moved into place).
"""
import csv
import os
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

BLOCKS = {
    # #13's quality table: from the autoencoder's PSNR line on (the summary per step count and per object count)
    "quality": ["quality.md"],
    "noise": ["noise/summary.md"],
    "tables12": ["reproduce/table1-coco/summary.md", "reproduce/table1-compbench/summary.md",
                 "reproduce/table2-coco/summary.md", "reproduce/table2-compbench/summary.md"],
    "asyndm": ["reproduce/asyndm-spatial/summary.md", "reproduce/asyndm-numeracy/summary.md",
               "reproduce/asyndm-complex/summary.md"],
    "solvers": ["reproduce/solvers/summary.md"],
    "tpm": ["tpm/summary.md"],
    # how much of each shipped TPM's paired gain over sync its RL-free distillates keep (from tpm/images.csv)
    "kept": ["tpm/images.csv"],
    # AsynDM's masks against the oracle's objects: the all-blocks rows of `masks` per category
    "masks": ["masks/spatial.md", "masks/numeracy.md", "masks/complex.md"],
}
BOOTSTRAP = 2000
# the line above a table when a block holds several (its prompt count is read from the images.csv beside it)
CAPTIONS = {
    "reproduce/table1-coco/summary.md": "Table 1 (SD3.5-medium's 15 steps): %s world val captions standing in for MS-COCO",
    "reproduce/table1-compbench/summary.md":
        "Table 1 (15 steps): %s unseen-combination val captions standing in for T2I-CompBench",
    "reproduce/table2-coco/summary.md": "Table 2 (Flux.1-dev's 10 steps): %s world val captions standing in for MS-COCO",
    "reproduce/table2-compbench/summary.md":
        "Table 2 (10 steps): %s unseen-combination val captions standing in for T2I-CompBench",
    "reproduce/asyndm-spatial/summary.md": "AsynDM on %s spatial val captions",
    "reproduce/asyndm-numeracy/summary.md": "AsynDM on %s numeracy val captions",
    "reproduce/asyndm-complex/summary.md": "AsynDM on %s complex val captions",
}


def kept_gain(images):
    """Markdown: per step count, reward and shipped TPM, the share of the TPM's mean paired gain over sync that each
    of its distillates keeps, mean(distillate − sync) / mean(TPM − sync) over the same samples, with a 95% interval
    from a paired bootstrap over samples (seeded); '—' where the TPM's gain is 0."""
    rows = list(csv.DictReader(images.open()))
    fixed = {"prompt", "sample", "steps", "method", "mean_deviation"}
    rewards = [c for c in rows[0].keys() if c not in fixed]
    score = defaultdict(dict)   # (steps, method) -> sample -> row
    for r in rows:
        score[(r["steps"], r["method"])][r["sample"]] = r
    steps = sorted({r["steps"] for r in rows}, key=int)
    methods = sorted({r["method"] for r in rows})
    out = ["| steps | TPM | distillate | " + " | ".join(rewards) + " |",
           "|---:|---|---|" + "---:|" * len(rewards)]
    rng = random.Random(42)
    for k in steps:
        sync = score[(k, "sync")]
        for tpm in ("tpm:shipped", "tpm:shipped-lifted"):
            if (k, tpm) not in score:
                continue
            variant = tpm.split(":")[1]
            distillates = [m for m in methods if m.startswith("distilled:") and m.endswith("distill-" + variant)]
            distillates += [m for m in methods if m.startswith("fixed:") and m.endswith(":lifted") == (variant != "shipped")
                            and "velocity-scale" not in m and m not in ("fixed:0.192", "fixed:0.199:lifted")]
            for d in distillates:
                cells = []
                for reward in rewards:
                    samples = sorted(set(sync) & set(score[(k, tpm)]) & set(score[(k, d)]), key=int)
                    gain = [float(score[(k, tpm)][s][reward]) - float(sync[s][reward]) for s in samples]
                    kept = [float(score[(k, d)][s][reward]) - float(sync[s][reward]) for s in samples]
                    if not samples or sum(gain) == 0:
                        cells.append("—")
                        continue
                    share = sum(kept) / sum(gain)
                    boot = []
                    for _ in range(BOOTSTRAP):
                        pick = [rng.randrange(len(samples)) for _ in samples]
                        g = sum(gain[i] for i in pick)
                        if g != 0:
                            boot.append(sum(kept[i] for i in pick) / g)
                    boot.sort()
                    lo, hi = boot[int(0.025 * len(boot))], boot[int(0.975 * len(boot)) - 1]
                    cells.append("%.2f [%.2f, %.2f]" % (share, lo, hi))
                name = "tree" if d.startswith("distilled:") else d
                out.append("| %s | %s | %s | %s |" % (k, tpm, name, " | ".join(cells)))
    return "\n".join(out)


def prompt_count(folder):
    """The number of distinct prompts in the images.csv of an evaluation folder, or '?' without one."""
    images = folder / "images.csv"
    if not images.is_file():
        return "?"
    return "{:,}".format(len({r["prompt"] for r in csv.DictReader(images.open())}))


def mask_rows(files):
    """One table of the all-blocks rows of each `asyncdiff masks` output (per category and choice of words)."""
    out = ["| prompts | words | AUC (all steps) | rule precision | rule recall | rule coverage | object share |",
           "|---|---|---:|---:|---:|---:|---:|"]
    for f in files:
        text = f.read_text()
        share = re.search(r"Objects cover ([0-9.]+) of the positions", text)
        for line in text.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 9 and cells[1] == "all":
                out.append("| %s | %s | %s | %s | %s | %s | %s |" % (f.stem, cells[0], cells[5], cells[6], cells[7],
                                                                    cells[8], share.group(1) if share else "?"))
    return "\n".join(out)


def content(name, files, results):
    if name == "kept":
        return kept_gain(files[0])
    if name == "masks":
        return mask_rows(files)
    parts = []
    for f in files:
        text = f.read_text().strip()
        if name == "quality":
            at = text.rfind("Autoencoder PSNR")
            text = text[at:] if at >= 0 else text
        text = text.replace(str(results.resolve()) + "/", "").replace(str(results) + "/", "")  # distillates' folders
        caption = CAPTIONS.get(str(f.relative_to(results)))
        if caption:
            text = "**" + caption % prompt_count(f.parent) + "**\n\n" + text
        parts.append(text)
    return "\n\n".join(parts)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    readme, results = Path(sys.argv[1]), Path(sys.argv[2])
    text = readme.read_text()
    for name, rel in BLOCKS.items():
        pattern = re.compile(r"(<!-- results:%s -->\n)(.*?)(<!-- /results:%s -->)" % (name, name), re.S)
        if not pattern.search(text):
            continue
        files = [results / r for r in rel]
        missing = [str(f) for f in files if not f.is_file()]
        if missing:
            print("results block %s left as it is: missing %s" % (name, ", ".join(missing)), file=sys.stderr)
            continue
        body = content(name, files, results)
        text = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(3), text)
        print("results block %s rewritten from %s" % (name, ", ".join(rel)))
    tmp = readme.with_name(readme.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, readme)


main()
