"""French-vs-English accuracy of tmtool.langid on the UD dev sentences in ../shared/data/seg.

    python benchmarks/langid_accuracy.py [--show-errors N]

Prints accuracy per set, overall, and on short sentences (<= 6 and <= 3 words). Lines without a
letter (``***``, ``5 / 100``) carry no evidence and are counted apart.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from tmtool.langid import detect

SEG = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "seg"
SETS = {"fr_gsd": "fr", "fr_sequoia": "fr", "en_ewt": "en", "en_gum": "en"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show-errors", type=int, default=0)
    args = parser.parse_args()
    tally: dict[str, list[int]] = {}
    errors: list[tuple[str, str]] = []
    began = time.perf_counter()

    def count(key: str, ok: bool) -> None:
        t = tally.setdefault(key, [0, 0])
        t[0] += ok
        t[1] += 1

    for name, lang in SETS.items():
        for sent in (SEG / name / "dev.sents").read_text(encoding="utf-8").splitlines():
            if not sent.strip():
                continue
            if not any(ch.isalpha() for ch in sent):
                count("no letters", detect(sent) == lang)
                continue
            ok = detect(sent) == lang
            n = len(sent.split())
            keys = [name, "all"] + ["<=6 words"] * (n <= 6) + ["<=3 words"] * (n <= 3)
            for key in keys:
                count(key, ok)
            if not ok:
                errors.append((name, sent))
    seconds = time.perf_counter() - began
    lines = tally["all"][1] + tally.get("no letters", [0, 0])[1]
    for key, (good, total) in tally.items():
        print(f"{key:12} {good:6}/{total:<6} {100 * good / total:6.2f}%")
    rate = lines / seconds
    print(f"{lines} lines in {seconds:.2f} s ({rate:,.0f} lines/s, profile loading included)")
    for name, sent in errors[: args.show_errors]:
        print(f"  {name}: {sent}")


if __name__ == "__main__":
    main()
