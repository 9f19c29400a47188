"""Language identification for short texts: headlines, list items, name-heavy lines.

Each language has a profile built from general word frequencies (see
``scripts/build_langid_profiles.py``): the Zipf frequency of its commonest words and the
probabilities of character 1- to 3-grams. A text scores, per language, the frequency of each of
its words (function words such as ``avec``/``with`` weigh most) plus, for every word, the mean
log-probability of each letter given the two before it, which carries accents and spelling habits
for words the lists do not know. Words the lists know in no candidate language count only through
their letters, so names (``Rutte``) weigh little; capitalised words inside a sentence count half,
since they are mostly names; and no single word may tip the balance by more than a fixed amount,
so a quoted English term does not outvote the French sentence around it. A few typographic habits
(« », a space before ``:;?!``, ``'s``) add small votes of their own.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex

from .errors import TmtoolWarning, UsageError
from .lang import primary

_DATA = "langid_profiles.json.gz"
_WORD = regex.compile(r"\p{L}+")
# Zipf value (log10 per billion words) given to a word a language's list does not hold: a little
# below the rarest listed word of that language, so an unlisted word is "rare", not "impossible".
_FLOOR_MARGIN = 0.3
# Weight of the character n-gram score against the word score.
_GRAM_WEIGHT = 1.0
# Most a single word can favour one language over another, in log10 units: a few English function
# words ("of the") must not outweigh the French words around them in a mixed line.
_WORD_CAP = 2.0
# log10 penalty for each step of backing off to a shorter letter context.
_BACKOFF = 0.5
# Weight of capitalised words that do not start the text (mostly names).
_NAME_WEIGHT = 0.5
# Punctuation after which a capital opens a sentence, a quotation or a list item.
_OPENERS = frozenset(".!?:;«\"“•·*()[]–—")
# Typographic habits, as (pattern, language, log10 vote).
_TYPO = (
    (regex.compile(r"[«»]"), "fr", 1.0),
    (regex.compile(r"\w[ \u00a0\u202f][:;?!]"), "fr", 0.5),
    (regex.compile(r"\w['’]s\b"), "en", 0.5),
)


@dataclass(frozen=True, slots=True)
class _Profile:
    words: dict[str, float]
    floor: float
    grams: dict[str, float]
    gram_floor: float


@lru_cache(maxsize=1)
def _profiles() -> dict[str, _Profile]:
    raw = resources.files("tmtool").joinpath("data", _DATA).read_bytes()
    data = json.loads(gzip.decompress(raw).decode("utf-8"))
    out: dict[str, _Profile] = {}
    for lang, prof in data["languages"].items():
        words = {w: int(z) / 100 for z, group in prof["words"].items() for w in group.split()}
        grams = {g: v / 100 for g, v in prof["grams"].items()}
        out[lang] = _Profile(
            words=words,
            floor=min(words.values()) - _FLOOR_MARGIN,
            grams=grams,
            gram_floor=min(grams.values()) - 1.0,
        )
    return out


def languages() -> tuple[str, ...]:
    """Languages tmtool has a profile for."""
    return tuple(sorted(_profiles()))


def word_frequency(word: str, lang: str) -> float | None:
    """A lower-case word's Zipf frequency in ``lang`` (6 is one word in a thousand), 0.0 for
    a word its list lacks, None for a language without a profile."""
    prof = _profiles().get(primary(lang))
    return None if prof is None else prof.words.get(word, 0.0)


def resolve(candidates: Sequence[str]) -> list[str]:
    """Primary subtags of ``candidates``, duplicates dropped; UsageError for an empty list or a
    language without a profile."""
    if not candidates:
        raise UsageError("language identification needs at least one candidate language")
    known = _profiles()
    codes: list[str] = []
    for cand in candidates:
        code = primary(cand)
        if code not in known:
            raise UsageError(
                f"no language profile for {cand!r} (known: {', '.join(sorted(known))})"
            )
        if code not in codes:
            codes.append(code)
    return codes


def _tokens(text: str) -> list[tuple[str, float]]:
    """Lower-cased words with their weights: capitalised words count half unless they open the
    text or follow sentence or list punctuation, where a capital says nothing about names."""
    out: list[tuple[str, float]] = []
    prev_end = 0
    for i, m in enumerate(_WORD.finditer(text)):
        word = m.group()
        gap = text[prev_end : m.start()]
        opening = i == 0 or any(c in _OPENERS for c in gap) or ("-" in gap and "\n" in gap)
        weight = _NAME_WEIGHT if word[0].isupper() and not opening else 1.0
        out.append((word.lower(), weight))
        prev_end = m.end()
    return out


@lru_cache(maxsize=65536)
def _word_score(word: str, code: str, known: bool) -> float:
    """A word's log10 score in one language (cached: text repeats its words)."""
    prof = _profiles()[code]
    score = _GRAM_WEIGHT * _gram_score(word, prof)
    if known:
        score += prof.words.get(word, prof.floor)
    return score


def _gram_score(word: str, prof: _Profile) -> float:
    """Mean log10 probability of each letter given the two before it (word edges as spaces),
    backing off to one letter of context, then none, for contexts the profile lacks."""
    grams = prof.grams
    padded = f" {word} "
    total = grams.get(padded[:2], prof.gram_floor)
    for i in range(len(padded) - 2):
        tri = padded[i : i + 3]
        if tri in grams and tri[:2] in grams:
            total += grams[tri] - grams[tri[:2]]
        elif tri[1:] in grams and tri[1] in grams:
            total += grams[tri[1:]] - grams[tri[1]] - _BACKOFF
        else:
            total += grams.get(tri[2], 0.0) - 2 * _BACKOFF
    return total / (len(padded) - 1)


def log_scores(text: str, candidates: Sequence[str] = ("fr", "en")) -> dict[str, float]:
    """Unnormalised log10 scores per candidate language; higher means more likely."""
    codes = resolve(candidates)
    profiles = _profiles()
    scores = dict.fromkeys(codes, 0.0)
    for word, weight in _tokens(text):
        known = any(word in profiles[c].words for c in codes)
        per = {code: _word_score(word, code, known) for code in codes}
        best = max(per.values())
        for code, s in per.items():
            scores[code] += weight * max(s - best, -_WORD_CAP)
    for pattern, code, vote in _TYPO:
        if code in scores and pattern.search(text):
            scores[code] += vote
    return scores


def scores(text: str, candidates: Sequence[str] = ("fr", "en")) -> dict[str, float]:
    """Probability of each candidate language (summing to 1), keyed by primary subtag.

    Text without letters or typographic cues gives every candidate the same probability.
    """
    logs = log_scores(text, candidates)
    top = max(logs.values())
    exp = {c: math.pow(10.0, max(v - top, -300.0)) for c, v in logs.items()}
    total = sum(exp.values())
    return {c: v / total for c, v in exp.items()}


def detect(text: str, candidates: Sequence[str] = ("fr", "en")) -> str:
    """The most likely of ``candidates`` for ``text`` (primary subtag, e.g. ``fr``).

    Ties, including text with no letters at all, go to the first candidate.
    """
    logs = log_scores(text, candidates)
    best = max(logs.values())
    return next(c for c, v in logs.items() if v == best)


def reads_as_another(text: str, lang: str) -> str | None:
    """The language ``text`` reads as when it is clearly not ``lang`` (its opening, among
    every language with a profile), else None: a French file given as the English one, or the
    two files of a pair swapped, would otherwise be aligned and stored under the wrong tags.
    Texts too short to tell, and languages without a profile, give None."""
    code = primary(lang)
    known = languages()
    sample = text[:5000]
    if code not in known or sum(ch.isalpha() for ch in sample) < 200:
        return None
    # Line by line, weighed by letters: a file is another language's when most of it reads
    # so, not when one long paragraph was left untranslated (the aligner names those pairs).
    weight: dict[str, int] = {}
    for line in sample.splitlines():
        letters = sum(ch.isalpha() for ch in line)
        if letters >= 20:
            found = detect(line, known)
            weight[found] = weight.get(found, 0) + letters
    if sum(weight.values()) < 200:  # short lines (a list, verse): the sample as a whole
        found = detect(sample, known)
        return found if found != code else None
    found = max(weight, key=weight.__getitem__)
    return found if found != code and weight[found] >= 0.6 * sum(weight.values()) else None


def warn_if_other_language(name: str | os.PathLike[str], text: str, lang: str) -> None:
    """A TmtoolWarning when the document ``name`` (its file), given as ``lang``, reads as
    another language (``reads_as_another``): the two files of a pair swapped, say."""
    other = reads_as_another(text, lang)
    if other is not None:
        warnings.warn(TmtoolWarning(f"{os.fspath(name)} reads as {other}, not {lang}: check "
                                    "the files and their languages (swapped?)"), stacklevel=2)
