"""Analysis of a new document against the memory: how many of its words are already covered.

It is what a translator or project manager asks before quoting or planning a job, and what
CAT tools report ("Analyze Files" in Trados, "Statistics" in memoQ): the document's segments
and words by match band. The bands are their default ones: repetitions, 100%, 95-99%,
85-94%, 75-84%, 50-74% and no match.

- A repetition is a segment met earlier in the same document (same text, spacing aside):
  once translated, it is an exact match for the rest of the job. Only its first occurrence is
  looked up.
- A segment's band is the score of its best match (``fuzzy.lookup``, with a translation in
  the target language). Penalties count: a match differing only in numbers (98%) is a 95-99%
  match, as in CAT tools.
- Words are counted as CAT tools count them (``word_count``): what spaces separate, when it
  holds a letter or a digit, so "cessez-le-feu", "3,14", "www.otan.int" and "art. 5" written
  with a no-break space are one word each and a lone dash none; a number written with
  separators ("10 000", "1 000 000,50", whatever the spaces) is one word, as lookup takes it
  (``match``); a French elision counts apart
  ("l'accord" is two words, "aujourd'hui" one). Characters are the segment's, spaces
  excluded. Segments without a word ("***") are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .formats.tmx import tagged_text
from .fuzzy import check_languages, lookup
from .match import NUMBER_GROUP, NUMBER_GROUP_HINT
from .store import Store

REPETITIONS = "repetitions"
NO_MATCH = "no match"
# Band names and the lowest score of each, best first.
MATCH_BANDS: tuple[tuple[str, float], ...] = (
    ("100%", 100.0), ("95-99%", 95.0), ("85-94%", 85.0), ("75-84%", 75.0), ("50-74%", 50.0))
BANDS: tuple[str, ...] = (REPETITIONS, *(name for name, _ in MATCH_BANDS), NO_MATCH)


@dataclass(frozen=True, slots=True)
class SegmentResult:
    """One segment of the document: its band, and its best match when it was looked up."""

    text: str
    words: int
    characters: int
    band: str
    score: float | None = None  # of the best match; None for repetitions and no match
    source: str | None = None  # the stored segment matched
    target: str | None = None  # and its translation
    penalties: tuple[str, ...] = ()  # what cost the best match its points (match.PENALTIES)


@dataclass(frozen=True, slots=True)
class BandCount:
    band: str
    segments: int
    words: int
    characters: int


@dataclass(frozen=True, slots=True)
class Analysis:
    """Every segment's result, and the counts per band (all bands, in ``BANDS`` order)."""

    segments: tuple[SegmentResult, ...]
    bands: tuple[BandCount, ...]

    @property
    def total(self) -> BandCount:
        return BandCount("total", sum(b.segments for b in self.bands),
                         sum(b.words for b in self.bands), sum(b.characters for b in self.bands))

    def as_dict(self, details: bool = False) -> dict[str, object]:
        total = self.total
        out: dict[str, object] = {
            "bands": [{"band": b.band, "segments": b.segments, "words": b.words,
                       "characters": b.characters, "percent_words": percent(b.words, total.words)}
                      for b in self.bands],
            "total": {"segments": total.segments, "words": total.words,
                      "characters": total.characters}}
        if details:
            out["segments"] = [{"text": s.text, "band": s.band, "score": s.score,
                                "penalties": list(s.penalties), "words": s.words,
                                "characters": s.characters, "source": s.source,
                                "target": s.target} for s in self.segments]
        return out


_HAS_WORD = re.compile(r"[^\W_]")
# Spaces between words: not the no-break ones, which hold "10 000" or "art. 5" together.
_BREAKS = re.compile(r"[^\S\u00a0\u2007\u202f]+")
# Elided articles and pronouns: "l'", "d'", "qu'", "jusqu'"... before a word.
_ELISION = re.compile(r"^\W*(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['\u2019](?=[^\W\d_])",
                      re.IGNORECASE)


def word_count(text: str) -> int:
    """Words of ``text`` as CAT tools count them (see the module docstring)."""
    if NUMBER_GROUP_HINT.search(text):
        text = NUMBER_GROUP.sub("0", text)  # one number, one word
    count = 0
    for chunk in _BREAKS.split(text):
        if _HAS_WORD.search(chunk):
            count += 2 if _ELISION.match(chunk) else 1
    return count


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def band_of(score: float | None) -> str:
    """The match band of a best-match score (None: no match at 50% or above)."""
    if score is not None:
        for name, lowest in MATCH_BANDS:
            if score >= lowest:
                return name
    return NO_MATCH


def analyse_segments(store: Store, segments: Iterable[str], *, src: str = "fr",
                     tgt: str = "en", progress: Callable[[int], None] | None = None,
                     tags: bool = True) -> Analysis:
    """Analyse a document already cut into segments (see the module docstring).

    Tags as CAT tools show them ("<b>", "</b>", "<x1/>") are inline codes, neither words nor
    characters (``formats.tmx.tagged_text``), unless ``tags`` is False."""
    check_languages(src, tgt)
    results: list[SegmentResult] = []
    seen: set[str] = set()
    lowest = MATCH_BANDS[-1][1]
    for count, shown in enumerate(segments, 1):
        text, markup = tagged_text(shown) if tags else (shown, None)
        words = word_count(text)
        if words:
            characters = sum(len(w) for w in text.split())
            key = " ".join(shown.split())
            if key in seen:
                results.append(SegmentResult(text, words, characters, REPETITIONS))
            else:
                seen.add(key)
                best = lookup(store, text, src=src, tgt=tgt, min_score=lowest, limit=1,
                              markup=markup, tags=False)  # read above
                if best:
                    results.append(SegmentResult(text, words, characters, band_of(best[0].score),
                                                 best[0].score, best[0].source, best[0].target,
                                                 best[0].penalties))
                else:
                    results.append(SegmentResult(text, words, characters, NO_MATCH))
        if progress is not None:
            progress(count)
    counts = {band: [0, 0, 0] for band in BANDS}
    for r in results:
        c = counts[r.band]
        c[0] += 1
        c[1] += r.words
        c[2] += r.characters
    return Analysis(tuple(results), tuple(BandCount(b, *counts[b]) for b in BANDS))


def analyse_text(store: Store, text: str, *, src: str = "fr", tgt: str = "en",
                 segmented: bool = False, progress: Callable[[int], None] | None = None,
                 tags: bool = True) -> Analysis:
    """Analyse a document's text, cut into segments as ``tmtool align`` cuts it: by the
    sentence rules of ``src``, or one segment per line when ``segmented`` (``tags``: see
    ``analyse_segments``)."""
    from .bitext import segment_document
    from .segment import one_line

    segments = [one_line(s.text) for s in segment_document(text, src, segmented=segmented)]
    return analyse_segments(store, segments, src=src, tgt=tgt, progress=progress, tags=tags)
