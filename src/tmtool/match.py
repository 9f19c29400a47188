"""CAT-style fuzzy match percentages between a query segment and a stored one.

How a score is made:

1. Both segments are folded (``normalize.fold``: case, accents, typography) and cut into word
   tokens: runs of letters, digits, non-spacing marks and private-use characters, exactly the
   tokens the memory's full-text index sees, so the index can find every candidate the score
   accepts. Punctuation and spaces are not tokens. A token holding a digit is a number and is
   replaced by one placeholder, so numbers are compared apart (step 3). A number written with
   separators ("1 000", "3,5") is one token, as CAT tools count it (the index keeps its
   digit groups apart: numbers are never what lookup asks the index for).
2. Word score = 100 x (1 - d / max(n, m)), where d is the word-level Levenshtein distance
   (insert, delete or replace one token costs 1) between the n and m token sequences.
3. Differences the tokens hide cost fixed points and are reported by name in
   ``Match.penalties``, as CAT tools do: ``case`` 1 (a word differs only in case), ``accents``
   (only in accents or ligatures: 1 when the accents differ on capitals, which French often
   writes without them, "Etat" for "État"; otherwise each such word costs what an edited word
   costs, as "tue" and "tué", "ou" and "où" are other words), ``numbers`` 2 (aligned numbers
   differ), ``punctuation`` 1
   (the punctuation marks, quotes included, differ), ``symbols`` 2 (a currency, percent,
   mathematical or degree sign differs, or a number's minus), ``tags`` 1 (the inline codes differ),
   ``spacing`` 1 (nothing else differs but the spaces).
4. Score = word score - penalties, rounded down to one decimal, never below 0. Only identical
   text with identical inline codes scores 100; exact but for case scores 99; differing numbers
   only scores 98.

Because penalties only lower a score, a candidate at ``min_score`` or above always has a word
score at or above it: the overlap and length bounds below (``length_bounds``,
``required_words``) hold for every match, which is what lets the memory filter candidates
through its index and still find all of them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any

import regex

from .normalize import fold, strip_accents

NUMBER = "#"  # the placeholder every number token becomes
PENALTIES: dict[str, float] = {
    "case": 1.0,
    "accents": 1.0,
    "numbers": 2.0,
    "punctuation": 1.0,
    "symbols": 2.0,
    "tags": 1.0,
    "spacing": 1.0,
}

# Token characters of SQLite's unicode61 tokenizer (letters, digits, Mn marks, private use):
# the index and the score must cut text at the same places.
_TOKEN = regex.compile(r"[\p{L}\p{N}\p{Mn}\p{Co}]+")
_ASCII_TOKEN = re.compile(r"[A-Za-z0-9]+")  # the same tokens, on ASCII text, faster
_PUNCT = regex.compile(r"[^\p{L}\p{N}\p{Mn}\p{Co}\s]")
# Currency, mathematical and percent signs, a degree after a number, and a minus before one:
# one that differs changes what a segment says ("-5 °C", "< 10", "50 €", "5 %"), unlike a
# comma, a quote, "n°" or an emoji (punctuation).
_SIGN = regex.compile(r"[\p{Sc}\p{Sm}%‰‱]|(?<=\p{N}\s?)°"
                      r"|(?<![\p{L}\p{N}\p{Mn}\p{Co}])[-‐‑–](?=\p{N})")
_MAY_SIGN = regex.compile(r"[\p{Sc}\p{Sm}%‰‱°\-‐‑–]")  # what _SIGN may find, found fast
# One minus, however typed: hyphen, Unicode minus, en dash
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2010": "-", "\u2011": "-"})
# An inline code of TMX markup with the native code it holds, or a <hi>/<sub> boundary (their
# text is the segment's); and any element, to leave the text between codes.
_CODE = re.compile(r"<(bpt|ept|ph|it|ut)\b[^>]*?(?:/>|>(.*?)</\1>)|<(/?)(hi|sub)\b[^>]*>", re.S)
_ELEMENT = re.compile(r"<[^>]*>")
# Decimal digits (\p{Nd}) as this Python knows them: ``re``'s \d, like ``str.isdecimal``. The
# ``regex`` module may know a newer Unicode (digits of scripts added since), and one rule must
# decide what a number is, in stored keys and queries alike.
_ANY_DIGIT = re.compile(r"\d")
# A number written with separators is one key, as CAT tools count it: thousands ("1 000",
# "10 000 000", with ordinary, no-break or thin spaces, which are white space) and decimals
# ("3,5", "1.000,50", "1,000.5"). Groups are found in the folded text, stored and asked alike:
# folding can make one (a mark dropped between digits, "lʼ1 000" becoming "l'1 000").
NUMBER_GROUP = re.compile(r"(?<!\w)(?:\d{1,3}(?:\s+\d{3})+(?:[.,]\d+)?(?!\d)"
                           r"|\d+(?:[.,]\d+)+)")
NUMBER_GROUP_HINT = re.compile(r"\d(?:[.,]|\s+)\d")  # in every number group: a fast first test
# The same test on index tokens joined by spaces (a group's digits are the ends of two tokens).
_SPACED_DIGITS = re.compile(r"\d \d")


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=65536)
def _word_tokens(folded_word: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(folded_word))


def fast_fold(text: str) -> str:
    """``normalize.fold(text)``, computed word by word with a cache (same result, much faster).

    Folding never joins or splits whitespace-separated words, so folding each word and joining
    them with one space gives what folding the whole text gives.
    """
    return " ".join(map(_fold_word, text.split()))


def tokens(folded: str) -> list[str]:
    """Word tokens of an already folded text (numbers kept as they are)."""
    out: list[str] = []
    for word in folded.split(" "):
        out.extend(_word_tokens(word))
    return out


def analyse(text: str) -> tuple[str, list[str]]:
    """``(fold(text), tokens)`` for indexing many segments: one fold and one scan per text.

    Tokens never span a space, so scanning the whole folded text gives each word's tokens.
    """
    folded = fold(text)
    return folded, (_ASCII_TOKEN if folded.isascii() else _TOKEN).findall(folded)


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) of each token of an unfolded text, offsets into ``text``."""
    out = []
    for t in _TOKEN.finditer(text):
        folded = _fold_word(t.group())
        if folded:
            out.append((folded, t.start(), t.end()))
    return out


def token_spans(folded: str) -> list[tuple[str, int, int]]:
    """(token, start, end) of each token of an already folded text: ``tokens`` with where."""
    return [(t.group(), t.start(), t.end()) for t in _TOKEN.finditer(folded)]


def number_digits(text: str) -> str:
    """The digits of ``text``'s number tokens, in order: two texts with the same keys whose
    number digits differ differ in a number, which costs the "numbers" penalty. (Every token
    holding a digit is a number token, and joining a number's groups keeps its digits; digits
    are counted inside tokens only, as tokens are what is compared.)"""
    if text.isascii():
        return "".join(_ANY_DIGIT.findall(text))
    out: list[str] = []
    for word in text.split():  # as fast_fold cuts it
        if word.isascii():  # folding keeps ASCII digits, and each is inside a token
            if not word.isalpha():
                out += _ANY_DIGIT.findall(word)
        else:
            out.append(_WORD_DIGITS[word])
    return "".join(out)


def _word_digits(word: str) -> str:
    """The digits of a non-ASCII word's tokens once folded (folding may make digits: "²")."""
    return "".join(_ANY_DIGIT.findall(" ".join(_word_tokens(_fold_word(word)))))


def is_number(token: str) -> bool:
    return not token.isalpha() and _ANY_DIGIT.search(token) is not None


def _joined_tokens(text: str) -> list[str]:
    """Word tokens of ``text`` (folded or not), each number written with separators joined
    into one (``1 000`` -> ``1000``, ``3,5`` -> ``3,5``)."""
    if NUMBER_GROUP_HINT.search(text) is None:  # most texts
        return _TOKEN.findall(text)
    groups = [(g.start(), g.end(), "".join(g.group().split()))
              for g in NUMBER_GROUP.finditer(text)]
    if not groups:
        return _TOKEN.findall(text)
    found = [(t.group(), t.start(), t.end()) for t in _TOKEN.finditer(text)]
    out: list[str] = []
    gi, i, n = 0, 0, len(found)
    while i < n:
        tok, start, _ = found[i]
        while gi < len(groups) and groups[gi][1] <= start:
            gi += 1
        if gi < len(groups) and groups[gi][0] == start:
            end, joined = groups[gi][1], groups[gi][2]
            j = i
            while j < n and found[j][2] <= end:
                j += 1
            if j - 1 > i and found[j - 1][2] == end:  # whole tokens, exactly the number
                out.append(joined)
                i = j
                continue
        out.append(tok)
        i += 1
    return out


def _joined_keys(folded: str) -> str:
    """Stored keys of a folded text holding a number written with separators."""
    return " ".join([NUMBER if is_number(t) else t for t in _joined_tokens(folded)])


@dataclass(frozen=True, slots=True)
class Prepared:
    """A segment cut up once for scoring: folded tokens, and keys with numbers as ``#``."""

    text: str
    markup: str | None
    tokens: tuple[str, ...]
    keys: tuple[str, ...]

    @property
    def numbers(self) -> int:
        return sum(1 for k in self.keys if k == NUMBER)


@lru_cache(maxsize=65536)
def _word_keys(folded_word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    toks = tuple(_TOKEN.findall(folded_word))
    return toks, tuple(NUMBER if is_number(t) else t for t in toks)


def prepare(text: str, markup: str | None = None) -> Prepared:
    """Cut ``text`` for scoring."""
    folded = fast_fold(text)
    if NUMBER_GROUP_HINT.search(folded):
        joined = _joined_tokens(folded)
        return Prepared(text, markup, tuple(joined),
                        tuple(NUMBER if is_number(t) else t for t in joined))
    toks: list[str] = []
    keys: list[str] = []
    for word in folded.split(" "):
        t, k = _word_keys(word)
        toks += t
        keys += k
    return Prepared(text, markup, tuple(toks), tuple(keys))


def length_bounds(n: int, min_score: float) -> tuple[int, int]:
    """Token counts a candidate may have to reach ``min_score`` against n query tokens."""
    theta = max(min_score, 1.0) / 100.0
    lo = math.ceil(theta * n - 1e-9)
    hi = math.floor(n / theta + 1e-9)
    return lo, hi


def required_words(query: Prepared, min_score: float) -> int:
    """How many of the query's non-number tokens a candidate must share to reach ``min_score``.

    A match at score s >= t has at least t x max(n, m) aligned equal tokens, of which at most
    the query's number count are number placeholders.
    """
    theta = max(min_score, 1.0) / 100.0
    return math.ceil(theta * len(query.keys) - 1e-9) - query.numbers


def keys(folded: str) -> tuple[str, ...]:
    """The keys of ``Prepared`` for an already folded text, computed alone (fast pre-check)."""
    if NUMBER_GROUP_HINT.search(folded):
        return tuple(_joined_keys(folded).split())
    if folded.isascii():
        # An ASCII token holding anything but letters holds a digit: it is a number.
        return tuple([t if t.isalpha() else NUMBER for t in _ASCII_TOKEN.findall(folded)])
    return tuple(chain.from_iterable(_word_keys(w)[1] for w in folded.split(" ")))


_WORD_CACHE_MAX = 60_000  # distinct words kept (a few MB); the cache restarts when full
_WORD_CACHE_LONGEST = 40  # characters; longer words are rarely met twice


class _WordCache(dict[str, str]):
    """Raw word -> ``compute(word)``, computed once; the cache restarts when full.

    A memory import analyses millions of segments made of far fewer distinct words: looking
    each word up costs a fraction of folding and scanning the text again. Not the lru caches
    of query preparation: they would grow to their full size (tens of MB) during an import.
    """

    def __init__(self, compute: Callable[[str], str]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, word: str) -> str:
        value = self.compute(word)
        if len(word) <= _WORD_CACHE_LONGEST:  # long "words": unspaced scripts, URLs
            if len(self) >= _WORD_CACHE_MAX:
                self.clear()
            self[word] = value
        return value


# A word's folded tokens joined by spaces ("" when it has none), and its keys (numbers
# replaced), looked up only for the words of segments holding a digit.
_TOKS = _WordCache(lambda word: " ".join(_TOKEN.findall(fold(word))))
_KEYS = _WordCache(lambda word: " ".join([NUMBER if is_number(t) else t
                                           for t in _TOKS[word].split()]))


_WORD_DIGITS = _WordCache(_word_digits)  # the segments a lookup bounds share most words


def stored_keys(text: str) -> tuple[str, str]:
    """(tokens, keys) of a raw text, each joined by single spaces: the index tokens
    ``" ".join(analyse(text)[1])`` and ``keys_text`` of the folded text, computed word by word
    (folding never joins or splits whitespace-separated words, and tokens never span a space)
    unless a number written with separators spans words."""
    if text.isascii():  # English and the like: one regex pass beats the word cache
        found = _ASCII_TOKEN.findall(text.lower())
        toks = " ".join(found)
        if _ANY_DIGIT.search(toks) is None:
            return toks, toks
        if _SPACED_DIGITS.search(toks):
            return toks, _joined_keys(fold(text))
        return toks, " ".join([t if t.isalpha() else NUMBER for t in found])
    words = text.split()
    toks = " ".join(filter(None, map(_TOKS.__getitem__, words)))
    if _ANY_DIGIT.search(toks) is None:  # most segments: no number to replace
        return toks, toks
    if _SPACED_DIGITS.search(toks):  # the folded text decides, as it does for queries
        return toks, _joined_keys(fold(text))
    return toks, " ".join(filter(None, map(_KEYS.__getitem__, words)))


def keys_text(folded: str) -> str:
    """The keys of a folded text as stored with a segment: joined by spaces, which no key
    holds, so that ``stored.split()`` gives them back at C speed for the pre-check."""
    return " ".join(keys(folded))


def word_score(query: Prepared, cand: Prepared, min_score: float = 0.0) -> float | None:
    """The word score (step 2), or None when it is below ``min_score`` (found cheaply)."""
    return key_score(query.keys, cand.keys, min_score)


@lru_cache(maxsize=1)
def _levenshtein() -> Any:
    """rapidfuzz's Levenshtein, imported on first use (lookups call this per candidate)."""
    from rapidfuzz.distance import Levenshtein

    return Levenshtein


def key_score(qkeys: Sequence[str], ckeys: Sequence[str], min_score: float = 0.0
              ) -> float | None:
    """``word_score`` on key sequences."""
    n, m = len(qkeys), len(ckeys)
    longest = max(n, m)
    if longest == 0:
        return 100.0
    theta = max(min_score, 0.0) / 100.0
    max_dist = longest - math.ceil(theta * longest - 1e-9)
    if abs(n - m) > max_dist:
        return None
    d = _levenshtein().distance(qkeys, ckeys, score_cutoff=max_dist)
    if d > max_dist:
        return None
    return 100.0 * (longest - d) / longest


def score(query: Prepared, cand: Prepared, min_score: float = 0.0
          ) -> tuple[float, tuple[str, ...]] | None:
    """(score, penalties) of ``cand`` against ``query``; None when below ``min_score``."""
    base = word_score(query, cand, min_score)
    if base is None:
        return None
    found, respelt = _penalties(query, cand)
    if not query.keys and not cand.keys and _marks(query.text) != _marks(cand.text):
        base = 0.0  # marks alone ("?", "…") that differ share nothing; « » and " " do
    value = base - sum(PENALTIES[p] for p in found)
    if respelt:  # words spelt otherwise by their accents weigh as edited words
        value -= max(0.0, 100.0 * respelt / max(len(query.keys), len(cand.keys))
                     - PENALTIES["accents"])
    value = max(0.0, math.floor(value * 10 + 1e-6) / 10)
    if value < min_score or value == 0:  # 0%: nothing in common, no match even at --min 0
        return None
    return value, found


def _marks(text: str) -> str:
    """A segment without words as folding sees it, spaces aside ("…" is "...")."""
    return "".join(fast_fold(text).replace("\u2026", "...").split())


def penalties(query: Prepared, cand: Prepared) -> tuple[str, ...]:
    """Names of the differences the word tokens do not show, in a fixed order."""
    return _penalties(query, cand)[0]


def _penalties(query: Prepared, cand: Prepared) -> tuple[tuple[str, ...], int]:
    """``penalties``, and how many aligned words differ by an accent on a small letter (other
    words: "tue" and "tué")."""
    found: set[str] = set()
    respelt = 0
    a, raw_q, punct_q, signs_q = _surface(query.text)
    b, raw_c, punct_c, signs_c = _surface(cand.text)
    aligned = len(raw_q) == len(query.keys) and len(raw_c) == len(cand.keys)
    for op in _levenshtein().opcodes(query.keys, cand.keys):
        if op.tag != "equal":
            continue
        for k in range(op.src_end - op.src_start):
            i, j = op.src_start + k, op.dest_start + k
            if query.keys[i] == NUMBER:
                if query.tokens[i] != cand.tokens[j]:
                    found.add("numbers")
            elif aligned and raw_q[i] != raw_c[j]:
                found.update(_word_difference(raw_q[i], raw_c[j]))
                respelt += _respelt(raw_q[i], raw_c[j])
    if punct_q != punct_c:
        found.add("punctuation")
    if signs_q != signs_c:
        found.add("symbols")
    if not _same_codes(query, cand):
        found.add("tags")
    if not found and query.keys == cand.keys and a != b:
        # Only the spaces differ, or a folding the tokens could not be lined up to show.
        if "".join(a.split()) == "".join(b.split()):
            found.add("spacing")
        elif "".join(a.translate(_MINUS).split()) == "".join(b.translate(_MINUS).split()):
            found.add("punctuation")  # a minus typed another way
        else:
            found.add("accents")
    return tuple(p for p in PENALTIES if p in found), respelt


@lru_cache(maxsize=256)  # a lookup compares one query with many candidates
def _surface(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """A segment as the penalties see it: NFC text, its word tokens (numbers joined), its
    punctuation marks, but for the separators inside numbers ("3,5"), and its symbols and
    signs (``_SIGN``)."""
    return _surface_of(text)


def _surface_of(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    nfc = _nfc(text)
    marks = NUMBER_GROUP.sub("0", nfc)
    punct = _PUNCT.findall(marks)
    signs = []
    if punct and _MAY_SIGN.search(marks):  # rare
        signs = [sign.translate(_MINUS) for sign in _SIGN.findall(marks)]
        if signs:
            punct = _PUNCT.findall(_SIGN.sub("", marks))
    return nfc, tuple(_joined_tokens(nfc)), tuple(punct), tuple(signs)


class SameKeys:
    """Bounds the score of stored segments with the very keys of ``query`` (word score 100)
    by the penalties they are certain to cost, found without scoring them: other numbers,
    other punctuation, other inline codes, other case or accents in a word. Each is a
    difference ``penalties`` reports under its own name, so their sum never exceeds it.

    Among thousands of segments differing only by a number, the one like the query is then
    known without scoring the others.
    """

    def __init__(self, query: Prepared) -> None:
        self.query = query
        self.digits = number_digits(query.text)
        _, self.words, self.punct, self.signs = _surface(query.text)
        self.tags = tag_signature(query.markup)
        self._shapes: dict[tuple[str, tuple[str, ...]], float] = {}

    def bound(self, text: str, markup: str | None) -> float:
        # All but the numbers penalty depend on the text with each digit made a 0 (number
        # tokens are not compared word by word, and a number keeps its groups): copies that
        # differ only by their numbers share that part, computed once.
        shape = (_ANY_DIGIT.sub("0", text), tag_signature(markup))
        certain = self._shapes.get(shape)
        if certain is None:
            certain = self._shapes[shape] = self._shape_penalties(*shape)
        if number_digits(text) != self.digits:
            certain += PENALTIES["numbers"]
        return 100.0 - certain

    def _shape_penalties(self, text: str, tags: tuple[tuple[str, int, str], ...]) -> float:
        q = self.query
        _, words, punct, signs = _surface_of(text)
        certain = 0.0
        if punct != self.punct:
            certain += PENALTIES["punctuation"]
        if signs != self.signs:
            certain += PENALTIES["symbols"]
        if tags != self.tags:
            certain += PENALTIES["tags"]
        if len(self.words) == len(q.keys) == len(words) and any(
                a != b for a, b, k in zip(self.words, words, q.keys, strict=True)
                if k != NUMBER):
            certain += min(PENALTIES["case"], PENALTIES["accents"])
        return certain


def _word_difference(a: str, b: str) -> set[str]:
    if a.casefold() == b.casefold():
        return {"case"}
    if strip_accents(a) == strip_accents(b):
        return {"accents"}
    if strip_accents(a).casefold() == strip_accents(b).casefold():
        return {"accents", "case"}
    return {"accents"}  # other foldings: ligatures, compatibility forms


def _respelt(a: str, b: str) -> bool:
    """Whether two words equal but for accents and case differ by an accent on a letter
    small in both ("a" and "à", "cote" and "côté"): another word, where a capital without its
    accent ("Etat", "ECOLE") is how French is often typeset."""
    da, db = _nfd(a.translate(_LIGATURES)), _nfd(b.translate(_LIGATURES))
    if strip_accents(a).casefold() != strip_accents(b).casefold() or da == db:
        return False
    marks_a, marks_b = _letter_marks(da), _letter_marks(db)
    if len(marks_a) != len(marks_b):
        return False  # a ligature or another folding: typography
    return any(ma != mb and la.islower() and lb.islower()
               for (la, ma), (lb, mb) in zip(marks_a, marks_b, strict=True))


_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def _letter_marks(nfd: str) -> list[tuple[str, str]]:
    """Each base character of a decomposed word with the marks that follow it."""
    import unicodedata

    out: list[tuple[str, str]] = []
    for ch in nfd:
        if out and unicodedata.combining(ch):
            out[-1] = (out[-1][0], out[-1][1] + ch)
        else:
            out.append((ch, ""))
    return out


def _nfd(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFD", text)


def tag_signature(markup: str | None) -> tuple[tuple[str, int, str], ...]:
    """The inline codes of a segment's markup in order (empty for plain text): each code's
    element, how many word tokens come before it, and the native code it holds ("<b>"). Bold
    on another word, or italics for bold, is another segment to a translator."""
    if not markup:
        return ()
    out = []
    words = 0
    last = 0
    for code in _CODE.finditer(markup):
        words += len(_TOKEN.findall(_unescape(_ELEMENT.sub("", markup[last:code.start()]))))
        name = code.group(1) or code.group(3) + code.group(4)
        out.append((name, words, _unescape(_ELEMENT.sub("", code.group(2) or ""))))
        last = code.end()
    return tuple(out)


def _same_codes(query: Prepared, cand: Prepared) -> bool:
    """Whether two segments have the same inline codes: the same codes at the same words
    when their words are the same, else the same codes in the same order (a word inserted
    before a code is the word's difference, not the code's)."""
    q, c = tag_signature(query.markup), tag_signature(cand.markup)
    if query.keys == cand.keys or len(q) != len(c):
        return q == c
    return [(n, t) for n, _, t in q] == [(n, t) for n, _, t in c]


def _unescape(text: str) -> str:
    import html

    return html.unescape(text) if "&" in text else text


def _nfc(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", text)


def similarity(query: str, candidate: str, *, query_markup: str | None = None,
               candidate_markup: str | None = None) -> tuple[float, tuple[str, ...]]:
    """Score two plain segments: ``(percentage, penalties)``. Convenience for callers and tests."""
    result = score(prepare(query, query_markup), prepare(candidate, candidate_markup))
    return result if result is not None else (0.0, ())
