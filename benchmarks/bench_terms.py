"""Term extraction and pairing against ACTER and the EuroVoc pairs in ../shared.

    python benchmarks/bench_terms.py            # extraction P/R/F1 per domain, pairing accuracy
    python benchmarks/bench_terms.py --train    # refit src/tmtool/terms/weights.py on TUNE_DOMAIN

The termhood weights and cut-off are fitted on TUNE_DOMAIN only (both languages); the other two
domains are held out. Figures to compare with are in ../shared/README.md.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = ROOT.parent / "shared"
ACTER = SHARED / "data" / "terms" / "acter"
TUNE_DOMAIN = "corp"
DOMAINS = ("corp", "equi", "wind")
README_F1 = {  # frequency x specificity baseline / spaCy POS patterns (../shared/README.md)
    ("en", "corp"): (27.1, 28.5), ("en", "equi"): (39.3, 44.7), ("en", "wind"): (30.7, 27.6),
    ("fr", "corp"): (25.0, 25.8), ("fr", "equi"): (29.9, 32.0), ("fr", "wind"): (21.1, 23.4),
}


def norm(s: str) -> str:
    return " ".join(s.lower().split())


def load(lang: str, domain: str) -> tuple[list[str], set[str]]:
    d = ACTER / lang / domain
    texts = [p.read_text(encoding="utf-8") for p in sorted((d / "texts").iterdir())]
    gold_file = next(d.glob("*_terms_nes.tsv"))
    gold = {norm(line.split("\t")[0]) for line in gold_file.read_text(encoding="utf-8").splitlines()
            if line.strip()}
    return texts, gold


def prf(system: set[str], gold: set[str]) -> tuple[float, float, float]:
    tp = len(system & gold)
    p = tp / len(system) if system else 0.0
    r = tp / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def fit_logistic(X: Any, y: Any, l2: float) -> tuple[Any, Any, Any]:
    """L2-regularised logistic regression by Newton steps on standardised features:
    (feature means, feature scales, weights with the bias last)."""
    import numpy as np

    mu, sd = X.mean(0), X.std(0) + 1e-9
    Xs = np.hstack([(X - mu) / sd, np.ones((len(X), 1))])
    w = np.zeros(Xs.shape[1])
    for _ in range(30):
        p = 1 / (1 + np.exp(-Xs @ w))
        g = Xs.T @ (p - y) / len(y) + l2 * w
        H = (Xs * (p * (1 - p))[:, None]).T @ Xs / len(y) + l2 * np.eye(len(w))
        w -= np.linalg.solve(H, g)
    return mu, sd, w


def predict(X: Any, mu: Any, sd: Any, w: Any) -> Any:
    """Probabilities of a fitted model for raw features X."""
    import numpy as np

    return 1 / (1 + np.exp(-np.hstack([(X - mu) / sd, np.ones((len(X), 1))]) @ w))


def best_threshold(keys: list[str], p: Any, gold: set[str]) -> tuple[float, float]:
    """(F1, probability cut-off) of the cut-off that scores best on this data."""
    import numpy as np

    return max((prf({keys[i] for i in np.where(p >= t)[0]}, gold)[2], float(t))
               for t in np.arange(0.05, 0.8, 0.0125))


def train(l2: float = 1e-3) -> None:
    """Fit one logistic model per language on TUNE_DOMAIN (Newton steps, numpy) and write it.

    The cut-off is the threshold with the best F1 on TUNE_DOMAIN. (Gradient-boosted trees were
    tried too: no better on the held-out domains overall, fifty times the data, slower.)
    """
    import numpy as np

    from tmtool.terms.rank import features, read_corpus

    lines = ['"""Termhood model weights, written by benchmarks/bench_terms.py --train.', "",
             f"Logistic regression (L2 {l2}) fitted on the ACTER '{TUNE_DOMAIN}' domain only;",
             "weights follow the order of rank.features() and apply to raw feature values.",
             '"""', "", "MODELS: dict[str, dict] = {"]
    for lang in ("en", "fr"):
        texts, gold = load(lang, TUNE_DOMAIN)
        corpus = read_corpus(texts, lang)
        keys = list(corpus.cands)
        X = np.array([features(corpus.cands[k], corpus) for k in keys])
        mu, sd, w = fit_logistic(X, np.array([k in gold for k in keys], dtype=float), l2)
        f1, threshold = best_threshold(keys, predict(X, mu, sd, w), gold)
        weights = w[:-1] / sd
        bias = float(w[-1] - (w[:-1] * mu / sd).sum())
        lines += [f'    "{lang}": {{', f'        "bias": {bias:.6f},',
                  f'        "threshold": {threshold:.4f},', '        "weights": [']
        for i in range(0, len(weights), 6):
            lines.append("            " + ", ".join(f"{v:.6f}" for v in weights[i:i + 6]) + ",")
        lines += ["        ],", "    },"]
        print(f"{lang} {TUNE_DOMAIN}: fitted on {len(keys)} candidates, "
              f"F1 {100 * f1:.1f} at threshold {threshold:.4f}")
    lines.append("}")
    out = ROOT / "src" / "tmtool" / "terms" / "weights.py"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


def pos_check(lang: str = "fr") -> None:
    """Does a tagger pay? Adds spaCy part-of-speech shares of the first and last words to the
    features, refits on TUNE_DOMAIN and scores the held-out domains (needs spaCy and its small
    model for ``lang``; measured once, not a dependency)."""
    from collections import Counter, defaultdict

    import numpy as np
    import spacy

    from tmtool.terms.lexicon import LINKERS
    from tmtool.terms.rank import features, read_corpus

    nlp = spacy.load(f"{lang}_core_news_sm" if lang == "fr" else "en_core_web_sm",
                     disable=["parser", "ner", "lemmatizer"])

    def share(lex: dict[str, Counter[str]], w: str, tags: tuple[str, ...]) -> float:
        cnt = lex.get(w)
        return sum(cnt[t] for t in tags) / sum(cnt.values()) if cnt else 0.5

    def matrix(domain: str, with_pos: bool) -> tuple[list[str], np.ndarray, set[str]]:
        texts, gold = load(lang, domain)
        corpus = read_corpus(texts, lang)
        cands = corpus.cands
        keys = list(cands)
        X = [features(cands[k], corpus) for k in keys]
        if with_pos:
            lex: dict[str, Counter[str]] = defaultdict(Counter)
            paras = [p for t in texts for p in t.split("\n") if p.strip()]
            for doc in nlp.pipe(paras, batch_size=64):
                for tok in doc:
                    lex[tok.text.lower()][tok.pos_] += 1
            for row, k in zip(X, keys, strict=True):
                ws = [w for w in cands[k].words if w not in LINKERS[lang]] or list(cands[k].words)
                row += [share(lex, ws[-1], ("NOUN", "PROPN")), share(lex, ws[0], ("NOUN", "PROPN")),
                        max(share(lex, w, ("VERB", "AUX")) for w in ws),
                        share(lex, ws[-1], ("ADJ",)), share(lex, ws[0], ("ADJ",))]
        return keys, np.array(X), gold

    for with_pos in (False, True):
        keys, X, gold = matrix(TUNE_DOMAIN, with_pos)
        mu, sd, w = fit_logistic(X, np.array([k in gold for k in keys], dtype=float), 1e-3)
        f1, t = best_threshold(keys, predict(X, mu, sd, w), gold)
        row = [f"{TUNE_DOMAIN} {100 * f1:.1f}"]
        for domain in DOMAINS:
            if domain == TUNE_DOMAIN:
                continue
            k2, X2, g2 = matrix(domain, with_pos)
            p2 = predict(X2, mu, sd, w)
            row.append(f"{domain} {100 * prf({k2[i] for i in np.where(p2 >= t)[0]}, g2)[2]:.1f}")
        print(f"{lang} {'with spaCy POS' if with_pos else 'no tagger':15}", "  ".join(row))


def bench_extraction() -> None:
    from tmtool.terms import extract_terms

    print(f"Term extraction, ACTER with named entities (tuned on '{TUNE_DOMAIN}' only)")
    print(f"{'lang':4} {'domain':7} {'P':>5} {'R':>5} {'F1':>5}  {'terms':>5} {'gold':>5} "
          f"{'sec':>5}  baseline freq x spec / spaCy POS")
    for lang in ("en", "fr"):
        for domain in DOMAINS:
            texts, gold = load(lang, domain)
            t0 = time.perf_counter()
            terms = extract_terms(texts, lang)
            dt = time.perf_counter() - t0
            p, r, f = prf({norm(t.term) for t in terms}, gold)
            tag = "tuning" if domain == TUNE_DOMAIN else "held-out"
            b1, b2 = README_F1[lang, domain]
            print(f"{lang:4} {domain:7} {100 * p:5.1f} {100 * r:5.1f} {100 * f:5.1f}  "
                  f"{len(terms):5d} {len(gold):5d} {dt:5.1f}  {b1} / {b2}  ({tag})")


def bench_pairing() -> None:
    from tmtool.terms.pairing import Bitext, rank_equivalents

    parallel = SHARED / "data" / "terms" / "parallel" / "corp_en_fr.tsv"
    gold_file = SHARED / "data" / "terms" / "pairs" / "eurovoc_acter_corp_dev.tsv"
    with parallel.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    pairs = Bitext((r["fr"], r["en"]) for r in rows)
    with gold_file.open(encoding="utf-8") as f:
        gold = [(r["fr"], r["en"]) for r in csv.DictReader(f, delimiter="\t")]
    t0 = time.perf_counter()
    top1 = found = 0
    misses = []
    for fr, en in gold:
        ranked = rank_equivalents(pairs, fr)
        names = [norm(c.en) for c in ranked]
        top1 += bool(names) and names[0] == norm(en)
        found += norm(en) in names
        if not names or names[0] != norm(en):
            misses.append((fr, en, names[:3]))
    dt = time.perf_counter() - t0
    n = len(gold)
    print(f"\nTerm pairing, EuroVoc pairs ({n} French terms, {len(pairs.pairs)} aligned segments)")
    print(f"right English term ranked first: {100 * top1 / n:.1f}%  "
          f"(README: Dice 50%, + length/spelling 66%)")
    print(f"right term among candidates:     {100 * found / n:.1f}%  (README: 96%)   {dt:.1f}s")
    if "-v" in sys.argv:
        for m in misses:
            print("  miss:", m)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", action="store_true", help="refit the termhood weights")
    ap.add_argument("--no-pairing", action="store_true")
    ap.add_argument("--no-extraction", action="store_true")
    ap.add_argument("-v", action="store_true", help="list pairing misses")
    ap.add_argument("--pos-check", metavar="LANG", help="measure spaCy POS features (fr)")
    a = ap.parse_args()
    if not SHARED.is_dir():
        sys.exit("../shared is not present")
    if a.pos_check:
        pos_check(a.pos_check)
        sys.exit(0)
    if a.train:
        train()
    if not a.no_extraction:
        bench_extraction()
    if not a.no_pairing:
        bench_pairing()
