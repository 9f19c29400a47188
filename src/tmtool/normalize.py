"""One text normaliser for matching, concordance and term lookup.

Folding rules live here only, so a phrase found by concordance is found by term lookup too.
Importing a memory folds every segment, so the functions take fast paths (ASCII text,
text already in NFC, a per-character table filled on first use) that give exactly the
result of the plain definitions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'",
                              "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
                              "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u00a0": " ",
                              "\u202f": " ", "\u2009": " "})
_APOSTROPHE_PAIRS = tuple((chr(k), v) for k, v in _APOSTROPHES.items())
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def _strip_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _CharTable(dict[int, str]):
    """Code point -> its folded form for ``str.translate``, computed once per character.

    Per character is exact: after NFC, decomposing and dropping combining marks works
    character by character (reordering only moves the marks dropped), and so does casefold.
    """

    def __init__(self, fn: Callable[[str], str]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, code: int) -> str:
        value = self[code] = self.fn(chr(code))
        return value


_STRIP = _CharTable(_strip_char)
_FOLD = _CharTable(lambda ch: _strip_char(ch.translate(_APOSTROPHES)).casefold())


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def strip_accents(text: str) -> str:
    """``é`` -> ``e``, ``œ`` -> ``oe``: what a user typing without accents means."""
    if text.isascii():
        return text
    # NFD of the text is NFD of each character, reordered only among the dropped marks.
    return text.translate(_STRIP)


def unify(text: str) -> str:
    """Typographic variants to one form: curly quotes, guillemets, dashes, odd spaces."""
    if text.isascii():
        return " ".join(text.split())
    # ``str.split`` and the regular expression ``\s`` know the same whitespace.
    text = _nfc(text)
    for char, repl in _APOSTROPHE_PAIRS:
        if char in text:
            text = text.replace(char, repl)
    return " ".join(text.split())


def fold(text: str) -> str:
    """Case-, accent- and typography-insensitive key for comparing text."""
    if text.isascii():
        return " ".join(text.split()).lower()
    # Whitespace first (the typographic spaces are whitespace too), then each character on
    # its own. Most text folds to ASCII (French accents): then replacing each distinct
    # character and lowering the ASCII rest is exact and much faster than a full translation.
    text = " ".join(_nfc(text).split())
    out = text
    for char in set(_NON_ASCII.findall(text)):
        repl = _FOLD[ord(char)]
        if not repl.isascii():
            return text.translate(_FOLD)
        out = out.replace(char, repl)
    return out.lower()
