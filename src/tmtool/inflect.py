"""Light French/English inflection reduction for term lookup.

Not a lemmatiser: each word is cut down to a key that its plural and feminine forms share
(``garanties`` and ``garantie`` -> ``garanti``; ``nationaux`` -> ``national``; ``européennes``
-> ``europeen``; ``policies`` -> ``policy``). Keys only need to agree with each other, so a
rule that produces a non-word is fine as long as it is applied to the stored term and to the
query alike. Elided articles (``l'OTAN``, ``d'intérêt``) are dropped as words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .normalize import fold

# Word characters, with combining accents kept inside the word (decomposed input).
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
_APOS = "'\u2019\u02bc`\u00b4"

ELIDED = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu",
                    "puisqu", "quoiqu", "presqu"})
# Dropped at the start of a key: "la garantie" is looked up as "garantie".
LEADING_ARTICLES = frozenset({"le", "la", "les", "un", "une", "des", "du", "the", "a", "an"})
# Function words: never used alone as fuzzy-lookup keys (too many terms share them).
STOP_WORDS = frozenset({
    "a", "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "en", "et", "la", "le",
    "les", "ou", "par", "pour", "sans", "sous", "sur", "un", "une", "an", "and", "as", "at",
    "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with", "without",
})
# French contracted articles inside a term: "garanties des Etats" ~ "garantie de l'Etat".
_FR_FUNCTION = {"des": "de", "du": "de", "aux": "a", "au": "a", "les": "le", "la": "le"}

STEM_LANGS = ("fr", "en", "")  # "" is the generic rule for other languages


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the original text: folded form and character offsets into that text."""

    folded: str
    start: int
    end: int


def stem_lang(lang: str | None) -> str:
    """Which rule set serves a language tag: ``fr``, ``en`` or the generic one (``""``)."""
    if not lang:
        return ""
    p = lang.strip().replace("_", "-").split("-")[0].lower()
    return p if p in ("fr", "en") else ""


def tokens(text: str) -> list[Token]:
    """Words of ``text`` with their offsets, folded, elided articles and English 's left out."""
    out: list[Token] = []
    n = len(text)
    for m in _WORD.finditer(text):
        word = m.group()
        word = word.lower() if word.isascii() else fold(word)
        end = m.end()
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[end] if end < n else ""
        nxt = text[end + 1] if end + 1 < n else ""
        if after and after in _APOS and word in ELIDED and nxt.isalpha():
            continue  # l'OTAN, d'intérêt, qu'il
        if word == "s" and before and before in _APOS:
            continue  # the company's
        out.append(Token(word, m.start(), end))
    return out


def _stem_en(w: str) -> str:
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


_FR_FEMININE = (("trice", "teu"), ("euse", "eu"), ("eur", "eu"), ("enne", "en"),
                ("onne", "on"), ("elle", "el"), ("ette", "et"), ("iere", "ier"), ("ive", "if"))


def _stem_fr(w: str) -> str:
    if w in _FR_FUNCTION:
        return _FR_FUNCTION[w]
    if len(w) <= 3 or not w.isalpha():
        return w
    # plural
    if w.endswith("eaux"):
        w = w[:-1]
    elif w.endswith("aux") and len(w) > 4:
        w = w[:-3] + "al"
    elif w.endswith(("eux", "oux")):
        w = w[:-1]
    elif w.endswith(("s", "x")) and not w.endswith("ss"):
        w = w[:-1]
    # feminine and masculine to one form
    for suffix, repl in _FR_FEMININE:
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            w = w[: -len(suffix)] + repl
            break
    while w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def _stem_generic(w: str) -> str:
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss") and w.isalpha():
        return w[:-1]
    return w


_STEMMERS = {"fr": _stem_fr, "en": _stem_en, "": _stem_generic}


def stem(word: str, lang: str | None) -> str:
    """The inflection key of one folded word in ``lang``."""
    return _STEMMERS[stem_lang(lang)](word)


def word_keys(toks: list[Token], lang: str | None) -> list[str]:
    """Inflection keys of a token list."""
    fn = _STEMMERS[stem_lang(lang)]
    return [fn(t.folded) for t in toks]


def key_from_words(words: list[str], first_is_article: bool) -> str:
    """Join word keys into a term key, leaving out a leading article."""
    if first_is_article and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def lemma_key(text: str, lang: str | None) -> str:
    """Inflection-tolerant key of a term: ``les garanties de sécurité`` -> ``garanti de securit``.
    """
    toks = tokens(text)
    if not toks:
        return fold(text)
    words = word_keys(toks, lang)
    return key_from_words(words, toks[0].folded in LEADING_ARTICLES)


def content_keys(text: str, lang: str | None) -> list[str]:
    """Distinct word keys of a term without function words: the fuzzy-lookup index entries."""
    return term_keys(text, lang)[1]


def term_keys(text: str, lang: str | None) -> tuple[str, list[str]]:
    """``lemma_key`` and ``content_keys`` of a term at once (one tokenisation)."""
    toks = tokens(text)
    if not toks:
        return fold(text), []
    words = word_keys(toks, lang)
    seen: dict[str, None] = {}
    for t, k in zip(toks, words, strict=True):
        if t.folded not in STOP_WORDS and k not in STOP_WORDS and len(k) > 1:
            seen.setdefault(k, None)
    return key_from_words(words, toks[0].folded in LEADING_ARTICLES), list(seen)


def ngrams(toks: list[Token], lang: str | None, max_n: int) -> Iterator[tuple[str, int, int]]:
    """(key, first token, last token + 1) of every n-gram up to ``max_n`` words, for text scans.

    N-grams starting with an article are skipped: the same key starts one word later.
    """
    words = word_keys(toks, lang)
    for i in range(len(toks)):
        if toks[i].folded in LEADING_ARTICLES or toks[i].folded in ELIDED:
            continue
        for j in range(i + 1, min(len(toks), i + max_n) + 1):
            yield " ".join(words[i:j]), i, j
