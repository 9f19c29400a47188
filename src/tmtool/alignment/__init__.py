"""Sentence alignment of a text and its translation, without models or downloads.

``align`` links the sentences of two documents with a banded dynamic programme over link
shapes (1-1, 1-0, 0-1, 1-2, 2-1, 2-2, 1-3, 3-1, ...), scoring each link by the Gale-Church
length model together with lexical evidence: numbers, punctuation, identical words and names,
cognates, glossary pairs and a lexicon learnt from the pair itself in a second pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..model import Link
from .lexicon import load_glossary
from .links import format_link, parse_links

__all__ = ["align", "align_with_support", "format_link", "lexical_support", "load_glossary",
           "parse_links", "settings"]


def align(src: Sequence[str], tgt: Sequence[str], *, src_lang: str = "fr", tgt_lang: str = "en",
          src_paras: Sequence[int] | None = None, tgt_paras: Sequence[int] | None = None,
          glossary: Iterable[tuple[str, str]] | None = None, **tuning: Any) -> list[Link]:
    """Monotone links covering every source and target sentence exactly once (see
    ``align_with_support`` for the arguments)."""
    return align_with_support(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang,
                              src_paras=src_paras, tgt_paras=tgt_paras, glossary=glossary,
                              **tuning)[0]


def align_with_support(src: Sequence[str], tgt: Sequence[str], *, src_lang: str = "fr",
                       tgt_lang: str = "en", src_paras: Sequence[int] | None = None,
                       tgt_paras: Sequence[int] | None = None,
                       glossary: Iterable[tuple[str, str]] | None = None, **tuning: Any
                       ) -> tuple[list[Link], tuple[int, int]]:
    """``align``'s links, with their ``lexical_support`` (computed on the way, at no cost).

    Links are monotone and cover every source and target sentence exactly once.

    ``src_paras``/``tgt_paras`` give each sentence's paragraph number; links that start a
    paragraph on both sides get a bonus (soft anchors, never a constraint). ``glossary`` pairs
    (source term, target term) add evidence wherever both occur. ``tuning`` overrides fields of
    ``Settings`` (UsageError on an unknown name). Languages are recorded for the caller; the
    method itself works for any pair written in a script with shared numbers and names.
    Each link's ``score`` is a confidence in [0, 1]; 1-0 and 0-1 links get a low one.
    """
    from ..lang import primary
    from .aligner import run
    from .lexicon import fixed_pairs
    from .params import make_settings

    return run(list(src), list(tgt), make_settings(**tuning), src_paras, tgt_paras, glossary,
               fixed_pairs(primary(src_lang), primary(tgt_lang)))


def lexical_support(src: Sequence[str], tgt: Sequence[str], links: Sequence[Link], *,
                    src_lang: str = "fr", tgt_lang: str = "en") -> tuple[int, int]:
    """(links sharing a number, a name, a cognate or a word written out that always
    translates the same, links with both sides).

    The length model links any two texts of similar rhythm with confidence; shared words are
    what translations have and unrelated texts lack. On the shared French-English books,
    71-91% of links share one; texts paired with the wrong translation, 17-50%.
    """
    from ..lang import primary
    from .aligner import support
    from .lexical import KeyTable, add_pair_keys, sentence_features
    from .lexicon import fixed_pairs
    from .params import make_settings

    prefix = make_settings().cognate_prefix
    table = KeyTable()
    fs, ft = sentence_features(src, table, prefix), sentence_features(tgt, table, prefix)
    add_pair_keys(fs, ft, fixed_pairs(primary(src_lang), primary(tgt_lang)), table, "f")
    return support(fs.keys, ft.keys, links)


def settings(**tuning: Any) -> dict[str, Any]:
    """The parameters ``align`` uses with these overrides, for a TMX header or a store."""
    from .params import make_settings

    return {"method": "tmtool-align", "version": 1, **make_settings(**tuning).as_dict()}
