"""Sentence-alignment accuracy, speed and memory on the shared gold sets.

Run from the project root: ``python benchmarks/bench_align.py`` (``--quick`` skips the
20,000-sentence memory run). Prints strict / lax link F1 per set next to hunalign and
Gale-Church (figures from ../shared/README.md), sentences per second, and the peak memory of
aligning a 20,000-sentence pair built by concatenating the shared French-English books.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ALIGN = SHARED / "data" / "align"

# strict / lax link F1 from ../shared/README.md
BASELINES = {
    "transread_enfr": {"hunalign": (0.785, 0.910), "gale-church": (0.796, 0.911)},
    "textberg_dev": {"hunalign": (0.659, 0.877), "gale-church": (0.620, 0.843)},
    "opusbooks_enfr": {"hunalign": (0.975, 0.989), "gale-church": (0.866, 0.951)},
}
SETS = [("transread_enfr", "fr", "en"), ("textberg_dev", "fr", "de"),
        ("opusbooks_enfr", "fr", "en")]


def _scorer():  # the shared scoring script, so figures match what others measure
    path = SHARED / "tools" / "score_links.py"
    spec = importlib.util.spec_from_file_location("score_links", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def accuracy() -> None:
    from tmtool.alignment import align

    sl = _scorer()
    # (shape, confidence band) -> [right, links]: how far a confidence can be trusted
    calibration: dict[tuple[str, str], list[int]] = {}
    for name, sl_lang, tl_lang in SETS:
        docs = sorted((ALIGN / name).glob("*.gold"))
        total: dict[str, int] = {}
        n_sent = 0
        seconds = 0.0
        rows = []
        for gold_path in docs:
            src = _lines(gold_path.with_suffix(f".{sl_lang}"))
            tgt = _lines(gold_path.with_suffix(f".{tl_lang}"))
            t0 = time.process_time()  # CPU time: the machine may be shared
            links = align(src, tgt, src_lang=sl_lang, tgt_lang=tl_lang)
            seconds += time.process_time() - t0
            n_sent += len(src) + len(tgt)
            gold = sl.read_links(gold_path)
            _calibrate(calibration, gold, links)
            c = sl.counts(gold, [(x.src, x.tgt) for x in links])
            for k, v in c.items():
                total[k] = total.get(k, 0) + v
            r = sl.summarize(c)
            rows.append((gold_path.stem, r["f1_strict"], r["f1_lax"]))
        r = sl.summarize(total)
        base = "  ".join(f"{k} {s:.3f} / {lx:.3f}" for k, (s, lx) in BASELINES[name].items())
        print(f"{name:16s} strict {r['f1_strict']:.3f}  lax {r['f1_lax']:.3f}   "
              f"({base})   {n_sent / seconds:,.0f} sentences/s of CPU")
        if len(rows) > 1:
            for stem, s, lx in rows:
                print(f"    {stem:30s} strict {s:.3f}  lax {lx:.3f}")
    print("links right (exactly as in the gold), by shape and confidence, all sets:")
    for shape in ("1-1", "merge", "one-sided"):
        cells = []
        for band in (">= 0.8", "0.5-0.8", "< 0.5"):
            right, n = calibration.get((shape, band), (0, 0))
            cells.append(f"{band} {right / n:6.1%} of {n:5d}" if n else f"{band}    -")
        print(f"    {shape:10s} " + "   ".join(cells))


def _calibrate(cells: dict[tuple[str, str], list[int]], gold: list, links: list) -> None:
    """Count the links of each shape and confidence band, and those the gold holds."""
    wanted = {(tuple(s), tuple(t)) for s, t in gold}
    for x in links:
        shape = ("one-sided" if not (x.src and x.tgt)
                 else "1-1" if len(x.src) == len(x.tgt) == 1 else "merge")
        band = ">= 0.8" if x.score >= 0.8 else "0.5-0.8" if x.score >= 0.5 else "< 0.5"
        cell = cells.setdefault((shape, band), [0, 0])
        cell[0] += (tuple(x.src), tuple(x.tgt)) in wanted
        cell[1] += 1


def _big_pair(target: int) -> tuple[list[str], list[str]]:
    """About ``target`` source sentences: the French-English books, repeated as needed."""
    books = [g for name in ("transread_enfr", "opusbooks_enfr")
             for g in sorted((ALIGN / name).glob("*.gold"))]
    src: list[str] = []
    tgt: list[str] = []
    while len(src) < target:
        for g in books:
            src += _lines(g.with_suffix(".fr"))
            tgt += _lines(g.with_suffix(".en"))
            if len(src) >= target:
                break
    return src[:target], tgt[: int(len(tgt) * target / len(src))] if len(src) > target else tgt


def _measure(target: int, trace: bool) -> dict[str, float]:
    """In this (fresh) process: time, or peak memory, of one big alignment.

    tracemalloc slows numpy-heavy code a lot, so time and memory come from separate runs.
    """
    import resource
    import tracemalloc

    from tmtool.alignment import align

    src, tgt = _big_pair(target)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    c0 = time.process_time()
    links = align(src, tgt)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"src": len(src), "tgt": len(tgt), "links": len(links), "wall": wall, "cpu": cpu,
            "traced_mb": peak / 2**20, "max_rss_mb": rss, "rss_before_mb": base_rss}


def _run(target: int, trace: bool) -> dict[str, float]:
    args = [sys.executable, __file__, "--measure", str(target)] + (["--trace"] if trace else [])
    return json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)


def _speed_line(target: int) -> None:
    m = _run(target, trace=False)
    mem = _run(target, trace=True)
    m["traced_mb"] = mem["traced_mb"]
    n = m["src"] + m["tgt"]
    print(f"{m['src']:,} + {m['tgt']:,} sentences: {m['wall']:.1f} s wall, {m['cpu']:.1f} s CPU "
          f"({n / m['cpu']:,.0f} sentences/s, {m['src'] / m['cpu']:,.0f} source sentences/s "
          f"of CPU); peak memory {m['traced_mb']:.0f} MB traced (tracemalloc), "
          f"{m['max_rss_mb']:.0f} MB max RSS of the whole process "
          f"({m['rss_before_mb']:.0f} MB before aligning)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="skip the 20,000-sentence run")
    ap.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.measure:
        print(json.dumps(_measure(a.measure, a.trace)))
        return
    if not ALIGN.is_dir():
        sys.exit("../shared/data/align is not present")
    accuracy()
    if not a.quick:
        _speed_line(20_000)


if __name__ == "__main__":
    main()
