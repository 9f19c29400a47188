"""Termhood: a model over corpus statistics, a cut-off, and the extraction entry point.

Each candidate is described by some 130 numbers that need no tagger: frequency and document
spread, specificity against general-language frequencies (``wordfreq``) of the candidate, of
each word and of the head, C-value nesting, capitalisation, the classes of the words around it
and around its head word in the whole corpus (a determiner before: a noun; a pronoun or modal
before, a determiner after: a verb), how productive its words are (in how many longer
candidates they recur), whether it is a fragment of one longer candidate, the summed counts of
its plural/singular variants, acronym definitions, word shapes and endings, and two facts
about the lines it is on (how specific their words are, how many are foreign).
A part-of-speech tagger was measured as extra features earlier (spaCy's French model: +2.4 F1
on one held-out domain, -2.1 on the other), so none is used.

The model (``weights.py``, ``trees.py``) is fitted on the ACTER domains; its estimate for an
unseen domain is measured leave-one-domain-out by benchmarks/bench_terms.py. The cut-off is the
model's (``keep_count``), so the number of terms follows the text instead of a user's guess.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import regex

from ..errors import UsageError
from ..lang import primary
from .acronyms import find_acronyms
from .candidates import Candidate, collect, join_words, tokenize
from .lexicon import LINKERS

SUFFIXES: dict[str, tuple[str, ...]] = {
    "en": ("ly", "ing", "ed", "s", "al", "ive", "able", "ion", "ity", "ment", "er"),
    "fr": ("ment", "er", "ait", "aient", "é", "ée", "és", "ées", "ant", "s", "ion", "ité", "if",
           "ive", "able", "eur", "ez", "ons", "ent"),
}
LANGS = ("en", "fr")
_OF = {"en": frozenset({"of"}), "fr": frozenset({"de", "du", "des", "d'"})}
_AND = {"en": frozenset({"and"}), "fr": frozenset({"et"})}
_ARTICLE = {"en": frozenset({"the"}), "fr": frozenset({"la", "le", "les", "l'"})}
_NON_LATIN = regex.compile(r"[^\p{Latin}\p{N}\p{P}\p{Zs}]")
MIN_SHARE = 0.05
SHARE_MIN_CANDIDATES = 5000
MAX_FLOOR = 100
SHORT_TEXT_TOKENS = 8000  # below this many tokens a text gets the short-text model


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
    # variants that differ by a plural ending share one entry: (frequency, documents)
    groups: dict[tuple[str, ...], tuple[int, set[int]]] = field(default_factory=dict)
    # acronyms defined in the text, "long form (SHORT)", both sides lower-cased
    short_forms: set[str] = field(default_factory=set)
    long_forms: set[str] = field(default_factory=set)
    profiles: dict[str, list[float]] = field(default_factory=dict)  # cache of _profile()


@lru_cache(maxsize=100_000)
def _endings(word: str, lang: str) -> tuple[bool, ...]:
    return tuple(word.endswith(s) for s in SUFFIXES[lang])


_NO_ENDINGS = {lang: (False,) * len(SUFFIXES[lang]) for lang in SUFFIXES}


@lru_cache(maxsize=100_000)
def singular(word: str, lang: str) -> str:
    """A crude singular, enough to let "rotor"/"rotors" or "cheval"/"chevaux" share counts."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if lang == "en":
        if word.endswith("ies") and len(word) > 4:
            return word[:-3] + "y"
        if word.endswith(("sses", "xes", "ches", "shes")):
            return word[:-2]
        if word.endswith("s") and not word.endswith(("ss", "us", "is")):
            return word[:-1]
        return word
    if word.endswith("aux"):
        return word[:-3] + "al"
    if word.endswith(("s", "x")) and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def group_key(words: Sequence[str], lang: str) -> tuple[str, ...]:
    return tuple(singular(w, lang) for w in words)


def read_corpus(texts: Iterable[str], lang: str) -> Corpus:
    """Collect the candidates of ``texts`` (one string per document) and count productivity."""
    docs = list(texts)
    cands, n_tokens = collect(docs, lang, general=lambda w: zipf(w, lang))
    corpus = Corpus(cands, n_tokens, len(docs), lang)
    link = LINKERS[lang]
    groups: dict[tuple[str, ...], tuple[int, set[int]]] = {}
    for c in cands.values():
        g = group_key(c.words, lang)
        freq, seen_in = groups.get(g, (0, set()))
        groups[g] = (freq + c.freq, seen_in | c.docs)
        if c.n >= 2:
            for w in set(c.words) - link:
                corpus.productive_any[w] += 1
                if c.freq >= 2:
                    corpus.productive[w] += 1
    corpus.groups = groups
    for doc in docs:
        for short, long in find_acronyms(doc):
            corpus.short_forms.add(short.lower())
            corpus.long_forms.add(join_words(t.lower for t in tokenize(long) if t.kind != "brk"))
    return corpus


def _shares(counts: Sequence[int]) -> list[float]:
    total = sum(counts)
    return [x / total for x in counts] if total else [0.0] * len(counts)


def phrase_zipf(zs: Sequence[float]) -> float:
    """General-language Zipf value of a phrase from its words' as ``wordfreq`` combines them
    (1/f = 1/f1 + 1/f2 + ...; unknown if any word is)."""
    if not zs or min(zs) <= 0:
        return 0.0
    return 9.0 - math.log10(sum(10.0 ** (9.0 - z) for z in zs))


def _profile(word: str, corpus: Corpus) -> list[float]:
    """Part-of-speech cues of one word from its neighbours in the whole corpus: shares of
    a determiner, preposition, verbal word, auxiliary or break before it, and of a determiner,
    preposition, verbal word or break after it."""
    p = corpus.profiles.get(word)
    if p is None:
        c = corpus.cands.get(word)
        if c is None:
            p = [0.0] * 9
        else:
            left, right = _shares(c.left), _shares(c.right)
            p = [left[0], left[1], left[2], left[3], left[4], right[0], right[1], right[2],
                 right[3]]
        corpus.profiles[word] = p
    return p


def fragment(c: Candidate, corpus: Corpus) -> list[float]:
    """Is ``c`` a fragment, nearly every occurrence inside one longer candidate ("supervisory
    committee" in "joint implementation supervisory committee")? Share inside the most
    frequent container, that share over 0.9, never next to another word, a single hapax."""
    inside = max((corpus.cands[x].freq for x in c.containers), default=0) / c.freq
    return [min(inside, 1.0), inside >= 0.9, c.nested == 0, c.n == 1 and c.freq == 1]


def features(c: Candidate, corpus: Corpus) -> list[float]:
    """The numbers the termhood model reads; the order is the order of the weights."""
    cands, n_tokens, n_docs, lang = corpus.cands, corpus.n_tokens, corpus.n_docs, corpus.lang
    link = LINKERS[lang]
    content = [w for w in c.words if w not in link] or list(c.words)
    zs = [zipf(w, lang) for w in content]
    zp = phrase_zipf([zipf(w, lang) for w in c.words]) if c.n > 1 else zs[0]
    domain_z = math.log10(c.freq / max(n_tokens, 1) * 1e9)
    part_f = [cands[w].freq if w in cands else c.freq for w in content]
    conts = [cands[x].freq for x in c.containers]
    cvalue = math.log2(c.n + 1) * (c.freq - (sum(conts) / len(conts) if conts else 0.0))
    top_form = c.forms.most_common(1)[0][0]
    first, last = c.words[0], c.words[-1]
    spec = [math.log10(cands[w].freq / max(n_tokens, 1) * 1e9) - z if w in cands else 0.0
            for w, z in zip(content, zs, strict=True)]
    gfreq, gdocs = corpus.groups[group_key(c.words, lang)]
    f = [math.log(c.freq), domain_z - zp, sum(spec) / len(spec), max(spec),
         c.specific / c.freq, math.log(gfreq),
         math.log1p(max(corpus.productive[w] for w in content))]
    f += [
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
    f += _endings(last, lang)
    f += _endings(first, lang) if c.n > 1 else _NO_ENDINGS[lang]
    prod = [math.log1p(corpus.productive[w]) for w in content]
    f += [min(prod), max(prod), prod[-1],
          min(math.log1p(corpus.productive_any[w]) for w in content),
          math.log1p(corpus.productive[c.key]) if c.n == 1 else 0.0]
    f += fragment(c, corpus)
    f += _shares(c.left) + _shares(c.right)
    head = content[-1] if lang == "en" else content[0]
    f += _profile(head, corpus)
    profiles = [_profile(w, corpus) for w in content]
    f += [max(p[3] + p[4] + p[5] for p in profiles), min(p[1] + p[2] for p in profiles)]
    hz = zipf(head, lang)
    f += [min(spec), max(spec), sum(spec) / len(spec), hz,
          math.log(cands[head].freq) if head in cands else 0.0,
          math.log1p(corpus.productive[head])]
    f += [math.log(gfreq), math.log(len(gdocs)), c.freq / gfreq, len(gdocs) / max(n_docs, 1)]
    f += [c.foreign / c.freq, c.foreign / c.freq > 0.5, bool(_NON_LATIN.search(c.key)),
          min(len(w) for w in content) == 1]
    inner = c.words[1:-1]
    f += _profile(content[0] if lang == "en" else content[-1], corpus)
    f += [c.specific / c.freq]
    f += [c.short_line / c.freq, c.key in corpus.short_forms, c.key in corpus.long_forms,
          any(w in _OF[lang] for w in inner), any(w in _AND[lang] for w in inner),
          any(w in _ARTICLE[lang] for w in inner),
          sum(w in link for w in inner) - any(w in _OF[lang] for w in inner),
          math.log(c.freq / max(part_f)) if c.n > 1 else 0.0]
    return f


def feature_matrix(corpus: Corpus) -> tuple[list[Candidate], Any]:
    """The candidates of ``corpus`` and their features as one numpy array (a row each)."""
    import numpy as np

    cands = list(corpus.cands.values())
    X = np.array([features(c, corpus) for c in cands], dtype=np.float64)
    return cands, X


def is_short(corpus: Corpus) -> bool:
    """Whether ``corpus`` is a short text (an article, a letter), for the short-text model."""
    return corpus.n_tokens < SHORT_TEXT_TOKENS


def score_candidates(texts: Iterable[str], lang: str) -> list[tuple[Candidate, float]]:
    """Every candidate with its termhood probability, best first (no cut-off).

    A short text gets the short-text model (see weights.py): in a few hundred words every
    count is small, and a model fitted only on whole corpora misses the terms met once or
    twice.
    """
    from .weights import model

    corpus = read_corpus(texts, check_lang(lang))
    cands, X = feature_matrix(corpus)
    probs = model(corpus.lang, short=is_short(corpus)).proba(X).tolist() if cands else []
    out = list(zip(cands, probs, strict=True))
    out.sort(key=lambda t: (-t[1], -t[0].freq, t[0].key))
    return out


def keep_count(probs: Sequence[float], rule: str, value: float) -> int:
    """How many of the best-first ``probs`` a cut-off rule keeps.

    "threshold": those at or above ``value``. "blend": the geometric mean of two estimates of
    the number of terms, the sum of the probabilities (the model's expected count: it follows
    the text) and a share ``value`` of the candidates (the share of terms in the fitting
    corpora: it does not depend on how well the probabilities transfer to a new domain).
    Measured leave-one-domain-out, the blend beats either estimate alone. The share was
    measured on corpora of 20,000 candidates or more; a short text has fewer junk n-grams per
    term, so below SHARE_MIN_CANDIDATES the expected count alone decides.
    """
    if rule == "threshold":
        return sum(p >= value for p in probs)
    if rule == "blend":
        expected = max(sum(probs), 0.0)
        if len(probs) < SHARE_MIN_CANDIDATES:
            return min(len(probs), round(expected))
        return min(len(probs), round(math.sqrt(expected * value * len(probs))))
    raise ValueError(f"unknown cut-off rule {rule!r}")


def default_keep(probs: Sequence[float], lang: str) -> int:
    """How many of the best-first ``probs`` ``extract_terms`` keeps when not told."""
    from .weights import CUTOFF

    rule, cut = CUTOFF[lang]
    # Probabilities run low on a short text (every count is small): there the cut-off keeps
    # at least the share of candidates it keeps on a corpus of normal size.
    return max(keep_count(probs, rule, cut), min(int(MIN_SHARE * len(probs)), MAX_FLOOR))


def extract_terms(texts: Iterable[str], lang: str, *, limit: int | None = None,
                  threshold: float | None = None) -> list[TermCandidate]:
    """Terms of ``texts`` (one string per document), best first.

    The model chooses the cut-off (weights.CUTOFF); ``threshold`` replaces it by a probability
    threshold (0 keeps every candidate) and ``limit`` caps the count after it.
    """
    lang = check_lang(lang)
    if limit is not None and limit < 0:
        raise UsageError("limit must be zero or more")
    scored = score_candidates(texts, lang)
    probs = [p for _, p in scored]
    if threshold is None:
        keep = default_keep(probs, lang)
    else:
        keep = keep_count(probs, "threshold", threshold)
    if limit is not None:
        keep = min(keep, limit)
    out: list[TermCandidate] = []
    for c, p in scored[:keep]:
        shown = c.written
        variants = tuple(f for f, _ in c.forms.most_common() if f != shown)
        out.append(TermCandidate(shown, round(p, 4), c.freq, len(c.docs), variants))
    return out
