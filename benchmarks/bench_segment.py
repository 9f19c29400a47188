"""Sentence segmentation accuracy and speed on the Universal Dependencies dev splits.

For each split in ../shared/data/seg, prints the sentence F1 (CoNLL 2018 'Sentences', computed
by the shared scorer ../shared/tools/score_seg.py), the boundary F1, and sentences per second
for the whole pipeline (str to Segment objects, single process, best of several runs, by CPU
time so that other work on a shared machine does not blur it; wall-clock time beside it), next
to the best off-the-shelf splitter's F1 from the table in ../shared/README.md.

    python benchmarks/bench_segment.py [--repeat 7] [--errors N]
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import time
from pathlib import Path
from types import ModuleType

from tmtool.segment import segmenter, split_text

SHARED = Path(__file__).resolve().parents[2] / "shared"
SPLITS = ("fr_gsd", "fr_sequoia", "en_ewt", "en_gum")


def load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_seg", SHARED / "tools" / "score_seg.py")
    if spec is None or spec.loader is None:
        raise SystemExit("cannot load ../shared/tools/score_seg.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def best_published() -> dict[str, tuple[float, str]]:
    """Best off-the-shelf sentence F1 per split, read from the table in ../shared/README.md."""
    best: dict[str, tuple[float, str]] = {}
    header: list[str] = []
    for line in (SHARED / "README.md").read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = []
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if "fr_gsd" in cells:
            header = cells
            continue
        if not header or set(cells[0]) <= set("-: "):
            continue
        for name, cell in zip(header, cells, strict=False):
            if name not in SPLITS:
                continue
            for value in re.findall(r"\d+\.\d+", cell):
                if float(value) > best.get(name, (0.0, ""))[0]:
                    best[name] = (float(value), cells[0])
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7, help="timing runs per split (best kept)")
    ap.add_argument("--errors", type=int, default=0, help="print N boundary errors per split")
    args = ap.parse_args()
    if not (SHARED / "data" / "seg").is_dir():
        print("skipped: ../shared/data/seg is not present")
        return 0
    scorer = load_scorer()
    published = best_published()
    print(
        f"{'split':11s} {'sent F1':>7s} {'bound F1':>8s} {'sent/s':>9s} {'(wall)':>9s}   "
        "best off-the-shelf F1"
    )
    for name in SPLITS:
        folder = SHARED / "data" / "seg" / name
        text = (folder / "dev.txt").read_text(encoding="utf-8")
        gold = scorer.read_sents(folder / "dev.sents")
        lang = name[:2]
        segmenter(lang)  # word lists are loaded once per process, not per text
        best_cpu = best_wall = float("inf")
        for _ in range(args.repeat):
            c0, w0 = time.process_time(), time.perf_counter()
            segments = split_text(text, lang)
            best_cpu = min(best_cpu, time.process_time() - c0)
            best_wall = min(best_wall, time.perf_counter() - w0)
        system = [" ".join(s.text.split()) for s in segments]
        res = scorer.score(text, gold, system)
        f1 = res["sentence"]["f1"] * 100
        bf1 = res["boundary"]["f1"] * 100
        ref, who = published.get(name, (float("nan"), "?"))
        mark = "above" if f1 > ref else "BELOW"
        print(
            f"{name:11s} {f1:7.2f} {bf1:8.2f} {len(segments) / best_cpu:9,.0f} "
            f"{len(segments) / best_wall:9,.0f}   {ref:.1f} ({who}): {mark}"
        )
        for i, (kind, _, left, right) in enumerate(scorer.error_contexts(res)):
            if i >= args.errors:
                break
            print(f"    {kind}\t{left[-45:]}||{right[:35]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
