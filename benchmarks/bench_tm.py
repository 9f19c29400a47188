"""Translation-memory benchmark: import rate and memory, lookup latency and recall, CLI time.

    python benchmarks/bench_tm.py [--units N] [--queries 1000] [--recall-queries 200]

Builds a memory of N French-English units from the real sentence pairs of
../shared/data/align (TransRead and OPUS Books gold links), varied with numbers, names,
chapter and date prefixes and sentence pairs joined, so units are distinct and realistic. It
is written as TMX to /tmp, then measured in one run:

- import rate (units/s) and peak memory (maxrss, in a subprocess), next to translate-toolkit's
  TMX reader parsing the same file (skipped when translate-toolkit is not installed);
- lookup latency (median, p95) over queries that are perturbed copies of stored sources
  (case, number, word, punctuation changes) and unseen sentences, top 5 at >= 70%;
- recall against an exhaustive scan: every unit scoring >= 80% must be returned, and the best
  match must be the exhaustive best;
- concordance latency (median, p95, max) over phrases of one to four words taken from stored
  sentences, common ("de", "in the") and rare alike, newest 50 hits;
- wall time of ``tmtool tm lookup`` on a 20,000-unit store.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
WORK = Path("/tmp/tmtool_bench_tm")

NAMES = ["Marie", "Jean", "Lucie", "Paul", "Sophie", "Hugo", "Claire", "Louis", "Emma", "Victor",
         "Camille", "Julien", "Chloé", "Antoine", "Léa", "Nicolas", "Manon", "Thomas", "Inès",
         "Mathieu", "Élise", "Bernard", "Agathe", "Gaspard", "Hélène", "Rémi", "Zoé", "Olivier"]
MONTHS = [("janvier", "January"), ("février", "February"), ("mars", "March"),
          ("avril", "April"), ("mai", "May"), ("juin", "June"), ("juillet", "July"),
          ("août", "August"), ("septembre", "September"), ("octobre", "October"),
          ("novembre", "November"), ("décembre", "December")]
_LINK = re.compile(r"\[([\d, ]*)\]:\[([\d, ]*)\]")
_NUM = re.compile(r"\d+")


def base_pairs() -> list[tuple[str, str]]:
    """French-English sentence pairs from the gold alignments (1-1, 1-2, 2-1 ... links)."""
    pairs: dict[tuple[str, str], None] = {}
    for folder in ("transread_enfr", "opusbooks_enfr"):
        for gold in sorted((SHARED / "data" / "align" / folder).glob("*.gold")):
            fr = gold.with_suffix(".fr").read_text(encoding="utf-8").splitlines()
            en = gold.with_suffix(".en").read_text(encoding="utf-8").splitlines()
            for line in gold.read_text(encoding="utf-8").splitlines():
                link = _LINK.match(line.strip())
                if not link or not link.group(1).strip() or not link.group(2).strip():
                    continue
                src = " ".join(fr[int(i)] for i in link.group(1).split(","))
                tgt = " ".join(en[int(i)] for i in link.group(2).split(","))
                src, tgt = " ".join(src.split()), " ".join(tgt.split())
                if 2 <= len(src.split()) <= 60 and tgt:
                    pairs[(src, tgt)] = None
    out = list(pairs)
    random.Random(1).shuffle(out)
    return out


class Generator:
    """Unit k of the memory, the same on every run: base pair k mod P, varied when k >= P."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        held = max(50, len(pairs) // 30)
        self.unseen = pairs[:held]  # never stored: queries without an exact match
        self.pairs = pairs[held:]

    def unit(self, k: int) -> tuple[str, str]:
        p = len(self.pairs)
        fr, en = self.pairs[k % p]
        if k < p:
            return fr, en
        rng = random.Random(k)
        kinds = rng.sample(["prefix", "numbers", "names", "join"], rng.choice([1, 1, 2]))
        for kind in kinds:
            fr, en = getattr(self, "_" + kind)(rng, fr, en, k)
        return fr, en

    def _prefix(self, rng: random.Random, fr: str, en: str, k: int) -> tuple[str, str]:
        n = rng.randint(1, 999)
        month = rng.choice(MONTHS)
        name = rng.choice(NAMES)
        choices = [(f"Chapitre {n}. ", f"Chapter {n}. "),
                   (f"Le {n % 28 + 1} {month[0]}, ", f"On {month[1]} {n % 28 + 1}, "),
                   (f"{name} : ", f"{name}: "), (f"Note {n} : ", f"Note {n}: "),
                   (f"Page {n}. ", f"Page {n}. ")]
        a, b = rng.choice(choices)
        return a + fr, b + en

    def _numbers(self, rng: random.Random, fr: str, en: str, k: int) -> tuple[str, str]:
        if _NUM.search(fr) and _NUM.search(en):
            n = str(rng.randint(2, 3000))
            return _NUM.sub(n, fr, 1), _NUM.sub(n, en, 1)
        n = rng.randint(2, 500)
        return f"{fr} ({n})", f"{en} ({n})"

    def _names(self, rng: random.Random, fr: str, en: str, k: int) -> tuple[str, str]:
        # in the order of the text: a set's order changes from run to run with string hashing
        shared = [w for w in dict.fromkeys(re.findall(r"\b[A-Z][a-zé]{3,}\b", fr))
                  if re.search(rf"\b{w}\b", en) and w not in fr.split()[:1]]
        if not shared:
            return self._prefix(rng, fr, en, k)
        old, new = rng.choice(shared), rng.choice(NAMES)
        return re.sub(rf"\b{old}\b", new, fr), re.sub(rf"\b{old}\b", new, en)

    def _join(self, rng: random.Random, fr: str, en: str, k: int) -> tuple[str, str]:
        fr2, en2 = self.pairs[(k * 7919 + 13) % len(self.pairs)]
        if len(fr.split()) + len(fr2.split()) > 70:
            return self._numbers(rng, fr, en, k)
        return f"{fr} {fr2}", f"{en} {en2}"

    def units(self, n: int) -> Iterator[object]:
        from tmtool.model import TranslationUnit, Variant

        for k in range(n):
            fr, en = self.unit(k)
            yield TranslationUnit((Variant("fr-FR", fr), Variant("en-GB", en)), tuid=str(k + 1),
                                  changedate=f"2024{k % 12 + 1:02d}{k % 28 + 1:02d}T120000Z")


def perturb(rng: random.Random, text: str, vocab: list[str]) -> str:
    words = text.split()
    kind = rng.choice(["case", "number", "replace", "drop", "insert", "swap", "punct", "same"])
    if kind == "case":
        return text.upper() if rng.random() < 0.2 else text[:1].swapcase() + text[1:]
    if kind == "number":
        return _NUM.sub(str(rng.randint(1, 9999)), text, 1) if _NUM.search(text) else \
            f"{text} {rng.randint(1, 99)}"
    if kind == "punct":
        return text.rstrip(".!?…;:") + rng.choice([" !", "…", " ?", ";"])
    if kind == "same" or len(words) < 3:
        return text
    i = rng.randrange(len(words))
    if kind == "replace":
        words[i] = rng.choice(vocab)
    elif kind == "drop":
        del words[i]
    elif kind == "insert":
        words.insert(i, rng.choice(vocab))
    else:
        j = min(i + 1, len(words) - 1)
        words[i], words[j] = words[j], words[i]
    return " ".join(words)


def make_queries(gen: Generator, n_units: int, count: int) -> list[str]:
    rng = random.Random(5)
    vocab = [w for fr, _ in gen.pairs[:2000] for w in fr.split() if w.isalpha()]
    queries = []
    for i in range(count):
        if i % 5 == 4:  # unseen sentences, sometimes close to nothing stored
            fr, _ = rng.choice(gen.unseen)
            queries.append(fr if rng.random() < 0.5 else perturb(rng, fr, vocab))
        else:
            fr, _ = gen.unit(rng.randrange(n_units))
            queries.append(perturb(rng, fr, vocab))
    return queries


def write_memory(gen: Generator, n: int) -> Path:
    from tmtool.formats.tmx import write_tmx

    path = WORK / f"memory_{n}.tmx"
    if not path.exists():
        t = time.perf_counter()
        write_tmx(path, gen.units(n), srclang="fr-FR")
        print(f"wrote {path} ({path.stat().st_size / 1e6:.0f} MB) in "
              f"{time.perf_counter() - t:.0f} s", file=sys.stderr)
    return path


_IMPORT = """
import json, os, resource, sys, threading, time
from tmtool.memory import import_tmx
from tmtool.store import Store

def pss_kb(pid):  # proportional set size: pages shared after the fork are counted once
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0

peak = [0]
done = threading.Event()
def sample():
    me = os.getpid()
    while not done.wait(0.1):
        try:
            kids = open(f"/proc/{me}/task/{me}/children").read().split()
        except OSError:
            kids = []
        peak[0] = max(peak[0], pss_kb(me) + sum(pss_kb(k) for k in kids))
threading.Thread(target=sample, daemon=True).start()
t = time.perf_counter()
with Store(sys.argv[2]) as store:
    report = import_tmx(store, sys.argv[1])
elapsed = time.perf_counter() - t
done.set()
usage = resource.getrusage(resource.RUSAGE_SELF)
reader = resource.getrusage(resource.RUSAGE_CHILDREN)  # the reading process, for large files
print(json.dumps({"seconds": elapsed, "read": report.read, "added": report.added,
                  "merged": report.merged, "cpu": usage.ru_utime + usage.ru_stime,
                  "maxrss_mb": usage.ru_maxrss / 1024,
                  "reader_cpu": reader.ru_utime + reader.ru_stime,
                  "reader_maxrss_mb": reader.ru_maxrss / 1024,
                  "total_pss_mb": peak[0] / 1024}))
"""

_TTK = """
import json, resource, sys, time
from translate.storage import tmx
t = time.perf_counter()
with open(sys.argv[1], "rb") as f:
    store = tmx.tmxfile(f)
count = sum(1 for u in store.units if u.source)
elapsed = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": elapsed, "units": count, "cpu": usage.ru_utime + usage.ru_stime,
                  "maxrss_mb": usage.ru_maxrss / 1024}))
"""


def run_json(code: str, *args: str) -> dict[str, float] | None:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        print(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed",
              file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def import_store(tmx: Path, db: Path) -> dict[str, float]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    result = run_json(_IMPORT, str(tmx), str(db))
    if result is None:
        raise SystemExit("import failed")
    return result


def measure_lookups(db: Path, queries: list[str]) -> list[float]:
    from tmtool.fuzzy import lookup
    from tmtool.store import Store

    times = []
    with Store(db, create=False) as store:
        lookup(store, queries[0])  # opens the schema once, like any caller would
        for q in queries:
            t = time.perf_counter()
            lookup(store, q, src="fr", tgt="en", min_score=70, limit=5)
            times.append((time.perf_counter() - t) * 1000)
    return times


def concordance_phrases(gen: Generator, count: int) -> list[str]:
    """Phrases a translator searches: one to four words taken from stored sentences, from
    the commonest ("de", "in the") to the rarest (a name and its verb)."""
    rng = random.Random(5)
    phrases: dict[str, None] = {}
    while len(phrases) < count:
        fr, en = rng.choice(gen.pairs)
        words = [w.strip(".,;:!?«»\"()") for w in rng.choice((fr, en)).split()]
        words = [w for w in words if any(c.isalnum() for c in w) and "*" not in w]
        if not words:
            continue
        n = rng.choice((1, 1, 2, 2, 3, 4))
        i = rng.randrange(max(1, len(words) - n + 1))
        phrases[" ".join(words[i:i + n])] = None
    return list(phrases)


def measure_concordance(db: Path, phrases: list[str]) -> list[float]:
    from tmtool.concordance import concordance
    from tmtool.store import Store

    times = []
    with Store(db, create=False) as store:
        concordance(store, phrases[0])
        for phrase in phrases:
            t = time.perf_counter()
            concordance(store, phrase, limit=50)
            times.append((time.perf_counter() - t) * 1000)
    return times


def print_concordance(db: Path, gen: Generator, count: int) -> None:
    times = sorted(measure_concordance(db, concordance_phrases(gen, count)))
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"concordance ({len(times)} phrases of 1-4 words from stored sentences, newest 50): "
          f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.0f} ms")


def measure_recall(db: Path, queries: list[str]) -> dict[str, float]:
    """Lookup against an exhaustive scan of every French side (>= 80%)."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from tmtool import match as m
    from tmtool.fuzzy import lookup
    from tmtool.store import Store

    with Store(db, create=False) as store:
        rows = store.conn.execute(
            "SELECT unit_id, text, markup FROM tm_variants WHERE plang = 'fr'").fetchall()
        ids: dict[str, int] = {}
        by_len: dict[int, list[int]] = {}
        keyed = []
        for i, (_, text, markup) in enumerate(rows):  # from the texts, not the stored keys
            keys = m.prepare(text, markup).keys
            keyed.append([ids.setdefault(k, len(ids)) for k in keys])
            by_len.setdefault(len(keys), []).append(i)
        expected_pairs = found_pairs = best_ok = best_total = 0
        for q in queries:
            prep = m.prepare(q)
            lo, hi = m.length_bounds(len(prep.keys), 80)
            pool = [i for n in range(lo, hi + 1) for i in by_len.get(n, ())]
            qk = [ids.get(k, -1 - j) for j, k in enumerate(prep.keys)]
            near = process.extract(qk, [keyed[i] for i in pool],
                                   scorer=Levenshtein.normalized_similarity,
                                   score_cutoff=0.8 - 1e-9, limit=None)
            exhaustive: dict[int, float] = {}
            for _, _, idx in near:
                uid, text, markup = rows[pool[idx]]
                res = m.score(prep, m.prepare(text, markup), 80)
                if res is not None:
                    exhaustive[uid] = max(exhaustive.get(uid, 0.0), res[0])
            got = {x.unit_id: x.score for x in lookup(store, q, min_score=80, limit=100_000)}
            expected_pairs += len(exhaustive)
            found_pairs += sum(1 for uid, s in exhaustive.items() if got.get(uid) == s)
            if exhaustive:
                best_total += 1
                top = lookup(store, q, min_score=70, limit=1)
                best_ok += bool(top) and top[0].score == max(exhaustive.values())
    return {"matches_ge80": expected_pairs, "recall_ge80": found_pairs / max(1, expected_pairs),
            "best_match_recall": best_ok / max(1, best_total), "queries": len(queries)}


def cli_time(gen: Generator, queries: list[str]) -> float | None:
    tmx = write_memory(gen, 20_000)
    db = WORK / "cli_20000.db"
    if not db.exists():
        import_store(tmx, db)
    exe = Path(sys.executable).with_name("tmtool")
    commands = [[str(exe)]] if exe.exists() else []
    commands.append([sys.executable, "-c", "from tmtool.cli import main; main()"])
    for cmd in commands:
        times = []
        for q in queries[:7]:
            t = time.perf_counter()
            proc = subprocess.run([*cmd, "tm", "lookup", "--db", str(db), "--format", "json",
                                   "--", q],
                                  capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - t)
            if proc.returncode != 0:
                print(f"{' '.join(cmd[:1])} tm lookup failed: {proc.stderr.strip()}",
                      file=sys.stderr)
                break
        else:
            return statistics.median(times)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--recall-queries", type=int, default=200)
    parser.add_argument("--phrases", type=int, default=200, help="concordance phrases")
    parser.add_argument("--concordance-only", action="store_true",
                        help="only time concordance, on the store an earlier run left")
    args = parser.parse_args()
    if not SHARED.is_dir():
        raise SystemExit("../shared is not present")
    WORK.mkdir(exist_ok=True)
    gen = Generator(base_pairs())
    db = WORK / f"memory_{args.units}.db"
    if args.concordance_only:
        if not db.exists():
            raise SystemExit(f"{db} is not there: run without --concordance-only first")
        print_concordance(db, gen, args.phrases)
        return
    tmx = write_memory(gen, args.units)

    ours = import_store(tmx, db)
    ttk = run_json(_TTK, str(tmx)) if _has_ttk() else None
    print(f"memory: {args.units:,} units generated from {len(gen.pairs):,} sentence pairs, "
          f"{tmx.stat().st_size / 1e6:.0f} MB TMX")
    print(f"import: {ours['read']:,.0f} read, {ours['added']:,.0f} added, "
          f"{ours['merged']:,.0f} merged in {ours['seconds']:.1f} s wall ({ours['cpu']:.1f} s "
          f"CPU storing + {ours['reader_cpu']:.1f} s CPU in the reading process) = "
          f"{ours['read'] / ours['seconds']:,.0f} units/s; peak memory of both processes "
          f"together {ours['total_pss_mb']:.0f} MB (proportional set size, sampled every "
          f"0.1 s; max RSS {ours['maxrss_mb']:.0f} MB storing, "
          f"{ours['reader_maxrss_mb']:.0f} MB reading, pages they share counted in both)")
    if ttk:
        print(f"translate-toolkit parse only: {ttk['seconds']:.1f} s wall ({ttk['cpu']:.1f} s "
              f"CPU, with its import) = {ttk['units'] / ttk['seconds']:,.0f} units/s, "
              f"peak {ttk['maxrss_mb']:.0f} MB; tmtool import / ttk parse = "
              f"{ours['seconds'] / ttk['seconds']:.2f}x wall, "
              f"{(ours['cpu'] + ours['reader_cpu']) / ttk['cpu']:.2f}x CPU")
    else:
        print("translate-toolkit: not installed, column skipped")

    queries = make_queries(gen, args.units, args.queries)
    times = measure_lookups(db, queries)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"lookup ({len(times)} queries, top 5 >= 70%): median {statistics.median(times):.2f} "
          f"ms, p95 {p95:.2f} ms, max {times[-1]:.1f} ms")
    recall = measure_recall(db, queries[: args.recall_queries])
    print(f"recall vs exhaustive scan ({recall['queries']} queries, "
          f"{recall['matches_ge80']} matches >= 80%): {100 * recall['recall_ge80']:.2f}% of "
          f"matches, best match {100 * recall['best_match_recall']:.2f}%")
    print_concordance(db, gen, args.phrases)
    cli = cli_time(gen, queries)
    if cli is not None:
        print(f"tmtool tm lookup on a 20,000-unit store: {cli * 1000:.0f} ms wall (median of 7)")


def _has_ttk() -> bool:
    try:
        import translate.storage.tmx  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
