"""Translation pairs as alignment evidence: a user glossary, or a lexicon learnt from the text.

The learnt lexicon is the second half of a two-pass alignment: the confident 1-1 links of the
first pass are a small parallel corpus, and words that keep turning up together in it (Dice
coefficient over those links, each word paired with its best partner) are taken as translations.
"""

from __future__ import annotations

import csv
import os
import re
from collections import Counter
from collections.abc import Sequence
from itertools import chain, product

from ..errors import FormatError
from ..textio import read_text

# Words whose translation never varies and that neither cognates nor identical spellings
# catch: numbers written out, days, months. "quatre heures" / "four hours" is then evidence
# as "4" / "4" is. Left out: words with another common sense (un/one are articles and
# pronouns, neuf is also "new", mai is "may").
_FR_EN_FIXED = """
deux two|trois three|quatre four|cinq five|sept seven|huit eight|dix ten|onze eleven
douze twelve|treize thirteen|quatorze fourteen|quinze fifteen|seize sixteen|vingt twenty
trente thirty|quarante forty|cinquante fifty|soixante sixty|cent hundred|cents hundreds
mille thousand|milliers thousands|milliard billion|milliards billions
lundi monday|mardi tuesday|mercredi wednesday|jeudi thursday|vendredi friday
samedi saturday|dimanche sunday|janvier january|février february|avril april|juin june
juillet july|août august|septembre september|octobre october|novembre november
décembre december
"""
_FIXED = {("fr", "en"): [tuple(p.split()) for p in _FR_EN_FIXED.replace("\n", "|").split("|")
                          if p.strip()]}


def fixed_pairs(src_lang: str, tgt_lang: str) -> list[tuple[str, str]]:
    """Closed-class translation pairs of a language pair, oriented source to target; none
    for a pair without a list (the aligner then works without them)."""
    if (src_lang, tgt_lang) in _FIXED:
        return list(_FIXED[(src_lang, tgt_lang)])
    return [(b, a) for a, b in _FIXED.get((tgt_lang, src_lang), [])]


def load_glossary(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """Read (source term, target term) pairs from a two-column TSV or CSV file.

    The delimiter is a tab when the first data line has one, else a comma (quoted CSV fields
    are understood). Blank lines and lines starting with ``#`` are skipped; a first line whose
    cells look like column names (source/target, or language codes) is taken as a header.
    Raises InputError when unreadable and FormatError (with the line) when a line has fewer
    than two cells or an empty term.
    """
    text = read_text(path)
    lines = [(n, line) for n, line in enumerate(text.split("\n"), 1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return []
    delim = "\t" if "\t" in lines[0][1] else ","
    pairs: list[tuple[str, str]] = []
    for pos, (n, line) in enumerate(lines):
        cells = next(csv.reader([line], delimiter=delim))
        if len(cells) < 2:
            raise FormatError(str(path), "expected two columns (source term, target term)", n)
        s, t = cells[0].strip(), cells[1].strip()
        if pos == 0 and _is_header(s, t):
            continue
        if not s or not t:
            raise FormatError(str(path), "empty term", n)
        pairs.append((s, t))
    return pairs


_HEADER_WORDS = {"source", "target", "src", "tgt", "term", "source term", "target term",
                 "french", "english", "german", "français", "anglais", "allemand"}
_LANG_TAG = re.compile(r"(fr|en|de|es|it|nl|pt|ca|da|sv|no|nb|fi|pl|cs|ro|el|ru|uk|ar|zh|ja)"
                       r"(?:[-_][a-z]{2}|[-_]\d{3})?")


def _is_header(s: str, t: str) -> bool:
    """Column names ("source", "target") or two different language tags ("fr-FR", "en")."""
    s, t = s.casefold(), t.casefold()
    if s in _HEADER_WORDS and t in _HEADER_WORDS:
        return True
    return bool(_LANG_TAG.fullmatch(s) and _LANG_TAG.fullmatch(t)) and s[:2] != t[:2]


def learn_lexicon(src_words: Sequence[list[str]], tgt_words: Sequence[list[str]],
                  links: Sequence[tuple[int, int]], *, min_dice: float,
                  prefix: int) -> list[tuple[float, str, str]]:
    """(Dice, source word, target word) for word pairs that keep occurring in the same links.

    Words that are identical or share the cognate prefix are left out: the base evidence
    already covers them. Very frequent words (over 5% of the links) carry little evidence and
    cost time, so they are skipped too.
    """
    if len(links) < 20:
        return []
    sets = [(set(src_words[i]), set(tgt_words[j])) for i, j in links]
    # one C-level count over all links (same order, so the same counters as link by link)
    cs: Counter[str] = Counter(chain.from_iterable(s for s, _ in sets))
    ct: Counter[str] = Counter(chain.from_iterable(t for _, t in sets))
    cap = max(5, int(0.05 * len(links)))
    keep_s = {w for w, c in cs.items() if 2 <= c <= cap and len(w) >= 2}
    keep_t = {w for w, c in ct.items() if 2 <= c <= cap and len(w) >= 2}
    in_s, in_t = keep_s.__contains__, keep_t.__contains__
    joint: Counter[tuple[str, str]] = Counter(chain.from_iterable(
        product(filter(in_s, s), filter(in_t, t)) for s, t in sets))
    best_s: dict[str, tuple[float, str]] = {}
    best_t: dict[str, tuple[float, str]] = {}
    for (a, b), c in joint.items():
        if c < 2:
            continue
        d = 2.0 * c / (cs[a] + ct[b])
        if d < min_dice or a == b or a[:prefix] == b[:prefix]:
            continue
        # ties broken by the words themselves, not by set order, so runs are reproducible
        if (d, b) > best_s.get(a, (0.0, "")):
            best_s[a] = (d, b)
        if (d, a) > best_t.get(b, (0.0, "")):
            best_t[b] = (d, a)
    pairs = {(d, a, b) for a, (d, b) in best_s.items()}
    pairs |= {(d, a, b) for b, (d, a) in best_t.items()}
    return sorted(pairs, key=lambda p: (p[1], p[2]))
