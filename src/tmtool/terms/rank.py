"""Termhood: a small logistic model over corpus statistics, and the extraction entry point.

Each candidate is described by a few dozen numbers that need no tagger: frequency and document
spread, specificity against general-language frequencies (``wordfreq``), C-value nesting,
capitalisation, how often a determiner precedes it (a noun-phrase signal), how productive its
words are (in how many longer candidates they recur), whether it is a fragment of one longer
candidate, word shapes and endings. A part-of-speech tagger was measured as extra features
(spaCy's French model; benchmarks/bench_terms.py --pos-check fr): +2.4 F1 on one held-out
domain, -2.1 on the other, so none is used.
The weights (``weights.py``) were fitted on one ACTER domain per language and are used
unchanged elsewhere; the cut-off is a probability threshold fitted with them, so the number
of terms follows the text instead of a user's guess. (Keeping the expected number of terms,
the sum of the probabilities, was measured too: 0.2-0.6 F1 lower on the fitting domain, +1.4
and +3.0 on one held-out domain, -0.6 and -0.4 on the other.)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import UsageError
from ..lang import primary
from .candidates import Candidate, collect
from .lexicon import LINKERS

SUFFIXES: dict[str, tuple[str, ...]] = {
    "en": ("ly", "ing", "ed", "s", "al", "ive", "able", "ion", "ity", "ment", "er"),
    "fr": ("ment", "er", "ait", "aient", "é", "ée", "és", "ées", "ant", "s", "ion", "ité", "if",
           "ive", "able", "eur", "ez", "ons", "ent"),
}
LANGS = ("en", "fr")
MIN_SHARE = 0.05
MAX_FLOOR = 100


@dataclass(frozen=True, slots=True)
class TermCandidate:
    """An extracted term: its usual written form, termhood in [0, 1] and corpus counts."""

    term: str
    score: float
    frequency: int
    documents: int = 1
    variants: tuple[str, ...] = ()


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str) -> float:
    """General-language frequency on the Zipf scale (0 = unknown, 7+ = "the")."""
    try:
        from wordfreq import zipf_frequency
    except ImportError as e:  # a declared dependency; say so plainly if it is missing
        raise UsageError("term extraction needs the wordfreq package (pip install wordfreq)") from e
    return float(zipf_frequency(word, lang))


def check_lang(lang: str) -> str:
    p = primary(lang)
    if p not in LANGS:
        raise UsageError(f"term extraction supports French and English, not {lang!r}")
    return p


@dataclass(slots=True)
class Corpus:
    """Candidates of a set of documents with the corpus-wide counts features need."""

    cands: dict[str, Candidate]
    n_tokens: int
    n_docs: int
    lang: str
    # productivity: in how many multi-word candidates (seen twice or more / at all) a word is
    # found; the words that terms are built from ("power", "garantie") are productive
    productive: Counter[str] = field(default_factory=Counter)
    productive_any: Counter[str] = field(default_factory=Counter)


def read_corpus(texts: Iterable[str], lang: str) -> Corpus:
    """Collect the candidates of ``texts`` (one string per document) and count productivity."""
    docs = list(texts)
    cands, n_tokens = collect(docs, lang)
    corpus = Corpus(cands, n_tokens, len(docs), lang)
    link = LINKERS[lang]
    for c in cands.values():
        if c.n >= 2:
            for w in set(c.words) - link:
                corpus.productive_any[w] += 1
                if c.freq >= 2:
                    corpus.productive[w] += 1
    return corpus


def features(c: Candidate, corpus: Corpus) -> list[float]:
    """The numbers the termhood model reads; the order is the order of the weights."""
    cands, n_tokens, n_docs, lang = corpus.cands, corpus.n_tokens, corpus.n_docs, corpus.lang
    link = LINKERS[lang]
    content = [w for w in c.words if w not in link] or list(c.words)
    zs = [zipf(w, lang) for w in content]
    zp = zipf(c.key, lang) if c.n > 1 else zs[0]
    domain_z = math.log10(c.freq / max(n_tokens, 1) * 1e9)
    part_f = [cands[w].freq if w in cands else c.freq for w in content]
    conts = [cands[x].freq for x in c.containers]
    cvalue = math.log2(c.n + 1) * (c.freq - (sum(conts) / len(conts) if conts else 0.0))
    top_form = c.forms.most_common(1)[0][0]
    first, last = c.words[0], c.words[-1]
    f = [
        math.log(c.freq), c.freq == 1, c.freq == 2,
        c.n == 1, c.n == 2, c.n == 3, c.n >= 4,
        min(zs), max(zs), sum(zs) / len(zs), zp, domain_z - zp, min(zs) == 0,
        c.capitalised / c.non_initial if c.non_initial else 0.5, c.non_initial == 0,
        any(w.isupper() and len(w) > 1 for w in top_form.split()),
        any(ch.isdigit() for ch in c.key),
        c.after_determiner / c.freq, c.nested / c.freq,
        math.copysign(math.log1p(abs(cvalue)), cvalue),
        bool(c.containers), math.log1p(len(c.containers)),
        any(w in link for w in c.words),
        len(c.docs) / max(n_docs, 1), math.log(len(c.docs)),
        "-" in c.key,
        sum(len(w) for w in content) / len(content),
        min(len(w) for w in content) <= 2,
        math.log(c.freq / min(part_f)) if c.n > 1 else 0.0,
    ]
    f += [last.endswith(s) for s in SUFFIXES[lang]]
    f += [c.n > 1 and first.endswith(s) for s in SUFFIXES[lang]]
    prod = [math.log1p(corpus.productive[w]) for w in content]
    f += [min(prod), max(prod), prod[-1],
          min(math.log1p(corpus.productive_any[w]) for w in content),
          math.log1p(corpus.productive[c.key]) if c.n == 1 else 0.0]
    # a fragment: nearly every occurrence lies inside one longer candidate
    # ("supervisory committee" in "joint implementation supervisory committee")
    inside = max((cands[x].freq for x in c.containers), default=0) / c.freq
    f += [min(inside, 1.0), inside >= 0.9, c.nested == 0, c.n == 1 and c.freq == 1]
    return [float(x) for x in f]


def _model(lang: str) -> tuple[Sequence[float], float, float]:
    from . import weights

    m = weights.MODELS[lang]
    return m["weights"], m["bias"], m["threshold"]


def score_candidates(texts: Iterable[str], lang: str) -> list[tuple[Candidate, float]]:
    """Every candidate with its termhood probability, best first (no cut-off)."""
    corpus = read_corpus(texts, check_lang(lang))
    w, b, _ = _model(corpus.lang)
    out = []
    for c in corpus.cands.values():
        x = features(c, corpus)
        z = b + sum(wi * xi for wi, xi in zip(w, x, strict=True))
        out.append((c, 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))))
    out.sort(key=lambda t: (-t[1], -t[0].freq, t[0].key))
    return out


def extract_terms(texts: Iterable[str], lang: str, *, limit: int | None = None,
                  threshold: float | None = None) -> list[TermCandidate]:
    """Terms of ``texts`` (one string per document), best first.

    The cut-off is the model's own threshold; ``threshold`` overrides it (0 keeps every
    candidate) and ``limit`` caps the count after it.
    """
    lang = check_lang(lang)
    if limit is not None and limit < 0:
        raise UsageError("limit must be zero or more")
    scored = score_candidates(texts, lang)
    cut = _model(lang)[2] if threshold is None else threshold
    # Probabilities run low on a short text (every count is small): there the cut-off keeps
    # at least the share of candidates that the threshold keeps on a corpus of normal size.
    floor = min(int(MIN_SHARE * len(scored)), MAX_FLOOR) if threshold is None else 0
    out: list[TermCandidate] = []
    for rank, (c, p) in enumerate(scored):
        if (p < cut and rank >= floor) or (limit is not None and len(out) >= limit):
            break
        variants = tuple(f for f, _ in c.forms.most_common() if f != c.surface)
        out.append(TermCandidate(c.surface, round(p, 4), c.freq, len(c.docs), variants))
    return out
