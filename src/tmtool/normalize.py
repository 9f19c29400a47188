"""One text normaliser for matching, concordance and term lookup.

Folding rules live here only, so a phrase found by concordance is found by term lookup too.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'",
                              "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
                              "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u00a0": " ",
                              "\u202f": " ", "\u2009": " "})
_SPACES = re.compile(r"\s+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def strip_accents(text: str) -> str:
    """``é`` -> ``e``, ``œ`` -> ``oe``: what a user typing without accents means."""
    text = text.translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def unify(text: str) -> str:
    """Typographic variants to one form: curly quotes, guillemets, dashes, odd spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).translate(_APOSTROPHES)).strip()


def fold(text: str) -> str:
    """Case-, accent- and typography-insensitive key for comparing text."""
    return strip_accents(unify(text)).casefold()
