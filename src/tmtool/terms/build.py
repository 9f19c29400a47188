"""From aligned French-English segments to glossary pairs and termbase entries.

Monolingual termhood alone is weak on a short document (every count is one or two), so the
builder lets the two languages vouch for each other: every French candidate is paired against
the English candidates of its segments, and a pair is kept when the pairing evidence and the
termhood of both sides (as ranks within their document) are strong together. Acronyms defined
in either text ("OTAN (Organisation du traité ...)") are paired through their expansions.
A pair whose only evidence is that its words share a segment or two is a guess between all the
words of those segments, so it is stored only when it clearly beats every unrelated rival.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model import Term, TermEntry
from .acronyms import find_acronyms
from .pairing import Bitext, EnglishTerms, TermPair, rank_equivalents, weakest_link
from .rank import score_candidates

MIN_PAIR = 0.55  # pairing confidence below this is a guess
MIN_COMBINED = 0.6
# A pair resting on co-occurrence alone (no word linked better than one shared segment of
# hapaxes gives, see pairing.weakest_link) is kept only when it clearly beats the best
# unrelated rival: in a short text every hapax of a segment co-occurs with every other.
ALONE = 0.5
MIN_MARGIN = 0.05
MIN_WEAKEST = 0.35  # below this some word of the pair is explained by nothing
RIVALS = 10
W_PAIR = 0.6  # combined = W_PAIR * pairing + (1 - W_PAIR) * mean termhood rank of both sides
MAX_PAIRED = 1500  # French candidates paired at most (time grows with each)


def _ranks(texts: Sequence[str], lang: str) -> dict[str, float]:
    """Each candidate (as written) with its termhood as a rank in [0, 1], 1 = best, best first."""
    scored = score_candidates(texts, lang)
    n = max(len(scored) - 1, 1)
    return {c.surface: 1.0 - i / n for i, (c, _) in enumerate(scored)}


def build_glossary(pairs: Sequence[tuple[str, str]], *, fr_texts: Sequence[str] | None = None,
                   en_texts: Sequence[str] | None = None,
                   progress: Callable[[int, int], None] | None = None) -> list[TermPair]:
    """Term pairs of an aligned French-English text, best first, one English term per French.

    ``fr_texts``/``en_texts`` are the whole documents (for termhood); by default the two sides
    of ``pairs`` joined. ``progress(done, total)`` is called while French terms are paired.
    """
    fr_docs = list(fr_texts) if fr_texts is not None else ["\n".join(p[0] for p in pairs)]
    en_docs = list(en_texts) if en_texts is not None else ["\n".join(p[1] for p in pairs)]
    fr_rank = _ranks(fr_docs, "fr")
    en_rank = _ranks(en_docs, "en")
    bt = Bitext(pairs)
    en_index = EnglishTerms.of(en_rank)
    out: dict[str, TermPair] = {}
    todo = list(fr_rank.items())[:MAX_PAIRED]  # best first: a long text's tail is noise
    total = len(todo)
    for done, (fr, fr_r) in enumerate(todo, 1):
        if progress and done % 50 == 0:
            progress(done, total)
        if _letters(fr) < 2:
            continue
        ranked = rank_equivalents(bt, fr, en_index, top=RIVALS)
        if not ranked:
            continue
        best = ranked[0]
        en_r = en_rank.get(best.en, 0.0)
        combined = W_PAIR * best.confidence + (1 - W_PAIR) * (fr_r + en_r) / 2
        if (best.confidence >= MIN_PAIR and combined >= MIN_COMBINED and _letters(best.en) >= 2
                and _supported(bt, best, ranked[1:])):
            out[fr.lower()] = TermPair(best.fr, best.en, round(combined, 4), best.count,
                                       best.context_fr, best.context_en)
    _add_acronyms(out, fr_docs, en_docs, bt)
    best_by_en: dict[str, TermPair] = {}  # one French term per English term: the best one
    for p in sorted(out.values(), key=lambda p: (-p.confidence, len(p.fr), p.fr.lower())):
        best_by_en.setdefault(p.en.lower(), p)
    return sorted(best_by_en.values(), key=lambda p: (-p.confidence, p.fr.lower()))


def _supported(bt: Bitext, best: TermPair, rivals: Sequence[TermPair]) -> bool:
    """Whether the pair rests on more than a coin toss between the words of one segment."""
    weakest = weakest_link(bt, best.fr, best.en)
    if weakest < MIN_WEAKEST:
        return False
    if weakest > ALONE:
        return True
    stems = {w[:4] for w in best.en.lower().split()}  # "country" is no rival of "countries"
    rival = next((r.confidence for r in rivals
                  if not stems & {w[:4] for w in r.en.lower().split()}), 0.0)
    return best.confidence - rival >= MIN_MARGIN


def _letters(term: str) -> int:
    return sum(ch.isalpha() for ch in term)


def _add_acronyms(out: dict[str, TermPair], fr_docs: Sequence[str], en_docs: Sequence[str],
                  bt: Bitext) -> None:
    """"OTAN" = "NATO" when their expansions were paired, and expansions paired when missing."""
    fr_acr = {s: long for d in fr_docs for s, long in find_acronyms(d)}
    en_acr = {long.lower(): s for d in en_docs for s, long in find_acronyms(d)}
    for short, long in fr_acr.items():
        p = out.get(long.lower())
        if p is None:
            ranked = rank_equivalents(bt, long, top=1)
            if not ranked or ranked[0].confidence < MIN_PAIR:
                continue
            p = ranked[0]
            out[long.lower()] = p
        en_short = en_acr.get(p.en.lower())
        if en_short and short.lower() not in out:
            out[short.lower()] = TermPair(short, en_short, p.confidence, p.count,
                                          p.context_fr, p.context_en)


def to_entries(pairs: Sequence[TermPair], *, source: str | None = None) -> list[TermEntry]:
    """Termbase concept entries, one per pair, with the pair's contexts and confidence."""
    return [
        TermEntry(
            terms=(Term(p.fr, "fr", context=p.context_fr or None, source=source),
                   Term(p.en, "en", context=p.context_en or None, source=source)),
            confidence=p.confidence,
            note=f"glossary build: {p.count} aligned segment(s)",
        )
        for p in pairs
    ]
