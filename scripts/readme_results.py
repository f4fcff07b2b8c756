#!/usr/bin/env python3
"""Rewrites README.md's result blocks from the files scripts/results.sh makes.

    readme_results.py README.md RESULTS_DIR

A block is the text between a line `<!-- results:NAME -->` and a line `<!-- /results:NAME -->`; it is replaced by
what the table's run wrote (below). A block whose files are missing is left as it is and named on stderr. The
README is replaced atomically (a temporary file moved into place).
"""
import os
import re
import sys
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
}


def content(name, files):
    parts = []
    for f in files:
        text = f.read_text().strip()
        if name == "quality":
            at = text.rfind("Autoencoder PSNR")
            text = text[at:] if at >= 0 else text
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
        body = content(name, files)
        text = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(3), text)
        print("results block %s rewritten from %s" % (name, ", ".join(rel)))
    tmp = readme.with_name(readme.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, readme)


main()
