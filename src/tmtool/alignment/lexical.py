"""Lexical evidence that a sentence and its translation share: the language-free part.

Each sentence becomes a set of integer *keys*; two sentences share evidence when they share a
key. Keys stand for numbers, punctuation that translators keep (? ! : ; quotes, brackets),
identical words (names, loan words), cognates (accent-folded prefixes of long words, which work
for French-English and, less often, French-German) and lexicon pairs (from a glossary or
bootstrapped from the text itself). Each key weighs what its rarity says: a shared name on both
sides is strong evidence, a shared comma is weak.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain
from operator import is_not

import numpy as np

from ..normalize import fold

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|[?!:;(\"«»“”…]")
_is_word = partial(is_not, None)  # a C-level "is not None" for filter()
_PUNCT = {"?": "?", "!": "!", ":": ":", ";": ";", "(": "(", '"': '"', "«": '"', "»": '"',
          "“": '"', "”": '"', "…": "…"}


@dataclass(slots=True)
class Features:
    """Per-sentence material for one side: character lengths, folded words and base keys."""

    lengths: list[int]
    words: list[list[str]]  # folded words, for the lexicon and the glossary
    keys: list[tuple[int, ...]]  # distinct keys; tuples take a quarter of a set's memory


class KeyTable:
    """Interns key strings to small ints shared by both sides."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.scale: dict[int, float] = {}  # weight factor of pair keys (glossary, lexicon)
        self.tokens: dict[int, _TokenCache] = {}  # per cognate prefix: token -> keys, word

    def __call__(self, key: str) -> int:
        k = self.ids.get(key)
        if k is None:
            k = self.ids[key] = len(self.ids)
        return k

    def __len__(self) -> int:
        return len(self.ids)


def sentence_features(sentences: Sequence[str], table: KeyTable, prefix: int) -> Features:
    """Tokenise and key every sentence: numbers, kept punctuation, words and cognates.

    Each distinct token is folded and keyed once (the cache lives in ``table``, so both sides
    share it); per sentence only C-level lookups and chaining remain.
    """
    cache = table.tokens.get(prefix)
    if cache is None:
        cache = table.tokens[prefix] = _TokenCache(table, prefix)
    key_of = cache.__getitem__
    word_of = cache.words.__getitem__
    findall = _TOKEN.findall
    lengths: list[int] = []
    words: list[list[str]] = []
    keys: list[tuple[int, ...]] = []
    for sent in sentences:
        toks = findall(sent)
        keys.append(tuple(set(chain.from_iterable(map(key_of, toks)))))  # fills cache.words
        words.append(list(filter(_is_word, map(word_of, toks))))
        lengths.append(max(len(" ".join(sent.split())), 1))
    return Features(lengths, words, keys)


class _TokenCache(dict[str, tuple[int, ...]]):
    """token -> its keys, computed on first lookup; ``words`` maps it to its folded word."""

    def __init__(self, table: KeyTable, prefix: int) -> None:
        super().__init__()
        self.table, self.prefix = table, prefix
        self.words: dict[str, str | None] = {}

    def __missing__(self, tok: str) -> tuple[int, ...]:
        w, ks = _token_keys(tok, self.table, self.prefix)
        self.words[tok] = w
        self[tok] = ks
        return ks


def _token_keys(tok: str, table: KeyTable, prefix: int) -> tuple[str | None, tuple[int, ...]]:
    """The folded word (None for numbers and punctuation) and the keys of one token."""
    c = tok[0]
    if c.isdigit():
        return None, (table("#" + (re.sub(r"\D", "", tok).lstrip("0") or "0")),)
    if c in _PUNCT:
        return None, (table("p" + _PUNCT[c]),)
    w = fold(tok)
    keys = []
    if len(w) >= 3 or c.isupper():
        keys.append(table("=" + w))
    if len(w) >= prefix + 1 or (len(w) >= prefix and c.isupper()):
        keys.append(table("~" + w[:prefix]))
    return w, tuple(keys)


def add_pair_keys(src: Features, tgt: Features, pairs: Iterable[tuple[str, str]],
                  table: KeyTable, tag: str,
                  scales: Sequence[float] | float = 1.0) -> int:
    """Give both sides a shared key wherever a (source, target) pair occurs.

    Pairs may be multi-word (glossary terms); they match folded word sequences. Returns the
    number of pairs that matched at least one sentence on each side.
    """
    index_s: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    index_t: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for n, (s, t) in enumerate(pairs):
        sw = tuple(_words(s))
        tw = tuple(_words(t))
        if not sw or not tw:
            continue
        k = table(f"{tag}{n}")
        factor = scales if isinstance(scales, float) else scales[n]
        if factor != 1.0:
            table.scale[k] = factor
        index_s.setdefault(sw[0], []).append((sw, k))
        index_t.setdefault(tw[0], []).append((tw, k))
    used_s = _mark(src, index_s)
    used_t = _mark(tgt, index_t)
    return len(used_s & used_t)


def _words(text: str) -> list[str]:
    return [fold(t) for t in _TOKEN.findall(text) if not t[0].isdigit() and t[0] not in _PUNCT]


def _mark(side: Features, index: dict[str, list[tuple[tuple[str, ...], int]]]) -> set[int]:
    used: set[int] = set()
    if not index:
        return used
    single = all(len(seq) == 1 for entries in index.values() for seq, _ in entries)
    known = index.keys().__contains__
    for row, ws in enumerate(side.words):
        added: list[int] = []
        if single:  # a learnt lexicon: C-level filtering, Python sees only the hits
            for w in filter(known, ws):
                added.extend(k for _, k in index[w])
        else:
            for p, w in enumerate(ws):
                for seq, k in index.get(w, ()):
                    if len(seq) == 1 or tuple(ws[p:p + len(seq)]) == seq:
                        added.append(k)
        if added:
            ks = set(side.keys[row])
            ks.update(added)
            side.keys[row] = tuple(ks)
            used.update(added)
    return used


def incidences(keys: Sequence[tuple[int, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """(sentence, key) of every key occurrence, in sentence then set order, without a
    Python loop per key: a pass's weights and evidence tables share these arrays."""
    flat = np.fromiter(chain.from_iterable(keys), dtype=np.int64, count=sum(map(len, keys)))
    rows = np.repeat(np.arange(len(keys), dtype=np.int64),
                     np.fromiter(map(len, keys), dtype=np.int64, count=len(keys)))
    return rows, flat


def key_weights(src_flat: np.ndarray, tgt_flat: np.ndarray, n_src: int, n_tgt: int,
                n_keys: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """IDF-like weight of each key, and its chance of appearing in a random sentence per side.

    A key weighs log(1 / p) where p is the chance that a random sentence carries it: a shared
    hapax name weighs much more than a shared question mark. Keys seen on one side only weigh
    0 (they never match).
    """
    df_s = np.bincount(src_flat, minlength=n_keys).astype(np.float64)
    df_t = np.bincount(tgt_flat, minlength=n_keys).astype(np.float64)
    n, m = max(n_src, 1), max(n_tgt, 1)
    both = (df_s > 0) & (df_t > 0)
    # pseudo-sentences keep weights and chances meaningful in a document of a few sentences
    weights = np.where(both, np.log((n + m + 50) / (df_s + df_t + 1)), 0.0)
    return weights, np.where(both, df_s / (n + 5), 0.0), np.where(both, df_t / (m + 5), 0.0)
