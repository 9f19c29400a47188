"""Term lookup: a word or phrase, or every term inside a sentence, found through the indexes.

Matches are ranked by how they were found: the exact text, then the folded key (case, accents,
typography), then the inflection key (plural, feminine, elided articles; see ``inflect``), then
fuzzy candidates, which come from the word index (terms sharing content words with the query,
or words close to a misspelt one) and are scored with rapidfuzz. No lookup reads every entry.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import StoreError
from .inflect import (
    LEADING_ARTICLES,
    STEM_LANGS,
    STOP_WORDS,
    content_keys,
    key_from_words,
    ngrams,
    stem_lang,
    tokens,
    word_keys,
)
from .lang import checked, covers, primary
from .model import Term, TermEntry
from .normalize import fold, unify
from .store import readable
from .termbase import TERM_COLUMNS, connection_of, entries_by_ids, require, row_to_term

HOW_RANK = {"exact": 0, "folded": 1, "inflection": 2, "fuzzy": 3}
HOW_SCORE = {"exact": 100.0, "folded": 97.0, "inflection": 92.0}
FUZZY_MAX = 85.0  # a fuzzy hit never outranks an inflection one
FUZZY_CUTOFF = 60.0  # rapidfuzz similarity (0-100) below which a candidate is dropped
MAX_TERM_WORDS = 8  # longest term find_in_text looks for
_CANDIDATES = 200  # fuzzy candidates scored per lookup


@dataclass(frozen=True, slots=True)
class TermHit:
    """A termbase entry found by a lookup, with the term that matched and how.

    ``how`` is exact, folded, inflection or fuzzy; ``score`` is 0-100 (100 exact); ``span`` is
    the (start, end) character offsets of the match in the sentence given to ``find_in_text``.
    """

    entry: TermEntry
    term: Term
    how: str
    score: float
    span: tuple[int, int] | None = None

    def equivalents(self, lang: str | None = None) -> tuple[Term, ...]:
        """Terms of the entry in ``lang``, or in the other languages. ``fr-FR`` gives the
        fr-FR terms and those tagged only ``fr``, else (none) the other French ones."""
        if lang:
            p = primary(lang)
            same = tuple(t for t in self.entry.terms if primary(t.lang) == p)
            exact = tuple(t for t in same if covers(lang, t.lang))
            return exact or same
        p = primary(self.term.lang)
        return tuple(t for t in self.entry.terms if primary(t.lang) != p)


def open_readonly(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """A read-only connection to a store for lookups; starts faster than a full Store."""
    p = os.fspath(path)
    if not os.path.isfile(p):
        raise StoreError(f"{p}: no such store (create one with an import first)")
    try:
        conn = sqlite3.connect(f"{Path(p).resolve().as_uri()}?mode=ro", uri=True,
                               timeout=30.0, check_same_thread=False)
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{p}: not a tmtool store ({e})") from e
    try:
        conn = readable(conn, p)
        require(conn, p)
    except BaseException as e:
        conn.close()
        if isinstance(e, sqlite3.DatabaseError):
            raise StoreError(f"{p}: not a tmtool store ({e})") from e
        raise
    return conn


_ROW = f"SELECT id, concept_id, lemma_key, {TERM_COLUMNS} FROM terms"


@dataclass(slots=True)
class _Found:
    concept_id: int
    term: Term
    how: str
    score: float
    span: tuple[int, int] | None = None


def _query_keys(query: str, src: str | None) -> dict[str, str]:
    """Inflection key of the query per rule set (fr, en, generic), or for ``src`` only."""
    toks = tokens(query)
    if not toks:
        return {}
    langs = (stem_lang(src),) if src else STEM_LANGS
    first_article = toks[0].folded in LEADING_ARTICLES
    return {sl: key_from_words(word_keys(toks, sl), first_article) for sl in langs}


def lookup(store: Any, query: str, *, src: str | None = None, tgt: str | None = None,
           fuzzy: bool = True, limit: int = 10, min_score: float = 0.0) -> list[TermHit]:
    """Entries with a term matching ``query``, best first, one hit per entry.

    ``src`` restricts the matched term's language; ``tgt`` puts the entries that have a term
    in that language first (and, without ``src``, matches in the other languages), so lookups
    work in both directions; an entry without one comes after, with no equivalent. Fuzzy
    hits scoring below ``min_score`` are left out.
    """
    conn = connection_of(store)
    require(conn, getattr(store, "path", "store"))
    query = unify(query)
    if not query or limit <= 0:
        return []
    src = checked(src, "--src") if src else None  # fr_ca is fr-CA
    tgt_p = primary(tgt) if tgt else None

    def lang_ok(lang: str) -> bool:
        if src:  # fr-CA: fr-CA and bare fr terms, as every regional filter
            return covers(src, lang)
        return primary(lang) != tgt_p if tgt_p else True

    best: dict[int, _Found] = {}

    def offer(f: _Found) -> None:
        old = best.get(f.concept_id)
        if old is None or (HOW_RANK[f.how], -f.score, f.term.lang != src) < (
                HOW_RANK[old.how], -old.score, old.term.lang != src):
            best[f.concept_id] = f

    q_fold = fold(query)
    for _tid, cid, _lk, *rest in conn.execute(f"{_ROW} WHERE fold_key = ?", (q_fold,)):
        term = row_to_term(rest)
        if lang_ok(term.lang):
            how = "exact" if term.text == query else "folded"
            offer(_Found(cid, term, how, HOW_SCORE[how]))

    keys = _query_keys(query, src)
    distinct = sorted(set(keys.values()))
    if distinct:
        marks = ",".join("?" * len(distinct))
        for _tid, cid, lk, *rest in conn.execute(f"{_ROW} WHERE lemma_key IN ({marks})",
                                                 distinct):
            term = row_to_term(rest)
            if lang_ok(term.lang) and keys.get(stem_lang(term.lang)) == lk:
                offer(_Found(cid, term, "inflection", HOW_SCORE["inflection"]))

    if fuzzy and len(best) < limit and keys:
        for f in _fuzzy(conn, query, keys, lang_ok, exclude=set(best)):
            if f.score >= min_score:
                offer(f)

    have: set[int] | None = None
    if tgt_p and best:
        # An entry without a term in the target language is still shown, after the others:
        # "lapin" found with no English equivalent is an answer, not "no match".
        have = {cid for (cid,) in conn.execute(
            f"SELECT DISTINCT concept_id FROM terms WHERE lp = ? AND concept_id IN "
            f"({','.join('?' * len(best))})", (tgt_p, *best))}
    ranked = sorted(best.values(), key=lambda f: (have is not None and f.concept_id not in have,
                                                  HOW_RANK[f.how], -f.score, len(f.term.text),
                                                  f.concept_id))[:limit]
    return _hits(conn, ranked)


def _fuzzy(conn: sqlite3.Connection, query: str, keys: dict[str, str],
           lang_ok: Callable[[str], bool], exclude: set[int]) -> list[_Found]:
    """Candidates from the word index, scored by rapidfuzz on inflection keys.

    Candidates are the terms sharing the most content words with the query; a query word
    that no term has (a typo) is replaced by the closest indexed words with the same first
    letters. Only _CANDIDATES terms are ever scored.
    """
    from rapidfuzz import fuzz

    qwords = {sl: content_keys(query, sl) for sl in keys}
    words: set[str] = set()
    for w in {w for ws in qwords.values() for w in ws}:
        if conn.execute("SELECT 1 FROM term_words WHERE word = ? LIMIT 1", (w,)).fetchone():
            words.add(w)
        elif len(w) >= 4:
            words.update(_near_words(conn, w))
    if not words:
        return []
    marks = ",".join("?" * len(words))
    ids = [r[0] for r in conn.execute(
        f"SELECT term_id FROM term_words WHERE word IN ({marks}) GROUP BY term_id "
        f"ORDER BY count(*) DESC, term_id LIMIT ?", (*sorted(words), _CANDIDATES))]
    out: list[_Found] = []
    for k in range(0, len(ids), 500):
        chunk = ids[k:k + 500]
        for _tid, cid, lk, *rest in conn.execute(
                f"{_ROW} WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            if cid in exclude:
                continue
            term = row_to_term(rest)
            if not lang_ok(term.lang):
                continue
            sl = stem_lang(term.lang)
            qk = keys.get(sl) or next(iter(keys.values()))
            twords = [w for w in lk.split() if w not in STOP_WORDS]
            sim = max(fuzz.ratio(qk, lk), 0.9 * _word_similarity(qwords.get(sl) or [], twords))
            if sim >= FUZZY_CUTOFF:
                out.append(_Found(cid, term, "fuzzy", round(FUZZY_MAX * sim / 100.0, 1)))
    return out


def _near_words(conn: sqlite3.Connection, word: str, n: int = 3) -> list[str]:
    """Indexed words closest to ``word`` among those sharing its first three letters."""
    from rapidfuzz import fuzz, process

    prefix = word[:3]
    vocab = [r[0] for r in conn.execute(
        "SELECT DISTINCT word FROM term_words WHERE word >= ? AND word < ? LIMIT 5000",
        (prefix, prefix + "\uffff"))]
    best = process.extract(word, vocab, scorer=fuzz.ratio, limit=n, score_cutoff=FUZZY_CUTOFF)
    return [w for w, _score, _i in best]


def _word_similarity(qwords: list[str], twords: list[str]) -> float:
    """Mean best word-to-word similarity of the query's words; less when word counts differ.

    Finds "garanty" in "garanties de sécurité" and "sécurité" in it too, below whole-term
    matches.
    """
    from rapidfuzz import fuzz

    if not qwords or not twords:
        return 0.0
    sim = sum(max(fuzz.ratio(a, b) for b in twords) for a in qwords) / len(qwords)
    return sim if len(qwords) == len(twords) else 0.8 * sim


def _hits(conn: sqlite3.Connection, found: Iterable[_Found]) -> list[TermHit]:
    found = list(found)
    entries = entries_by_ids(conn, [f.concept_id for f in found])
    return [TermHit(entries[f.concept_id], f.term, f.how, f.score, f.span)
            for f in found if f.concept_id in entries]


def text_language(store: Any, text: str, min_prob: float = 0.99) -> str | None:
    """The termbase language ``text`` is clearly written in (primary subtag), or None.

    Without it, terms of every language are sought in a sentence: the French "allié"
    inflected as "allies" would be found in an English one, and offered the wrong way round.
    """
    from . import langid

    conn = connection_of(store)
    require(conn, getattr(store, "path", "store"))
    langs = [lp for (lp,) in conn.execute("SELECT DISTINCT lp FROM terms")
             if lp in langid.languages()]
    if len(langs) < 2:
        return None
    probs = langid.scores(text, sorted(langs))
    best = max(probs, key=lambda lp: probs[lp])
    return best if probs[best] >= min_prob else None


_WORDS = re.compile(r"\w+")


# Zipf frequency from which a capitalised word is the common word, not an acronym written
# as a name ("Us too" is not US, "Eu égard" not EU; "Nato", at 4, is NATO).
_COMMON_WORD = 5.0


def _acronyms_kept(term: str, surface: str, sentence: str, lang: str) -> bool:
    """Whether ``surface`` writes ``term``'s acronyms as acronyms, and no word of the term as
    one: in running text, "us" and the French "eu" are words, not US and EU, and "the US"
    is no hit for a term "us"; "Us", opening a sentence, is the word too. "l'Otan", "Nato"
    and "NGOs" are the acronyms OTAN, NATO and NGO; a sentence in capitals tells nothing."""
    from . import langid

    tw, sw = _WORDS.findall(term), _WORDS.findall(surface)
    if len(tw) != len(sw):
        return True
    shouting = sentence.isupper()
    for t, w in zip(tw, sw, strict=True):
        if len(t) > 1 and t.isupper() and w.islower():
            return False
        if (len(t) > 1 and t.isupper() and w.istitle()
                and (langid.word_frequency(w.lower(), lang) or 0.0) >= _COMMON_WORD):
            return False
        if not shouting and len(w) > 1 and w.isupper() and t.islower():
            return False
    return True


def _opens(sentence: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence of ``sentence``."""
    before = sentence[:start].rstrip(" \t\n\u00a0\"'«“‘(-–—")
    return not before or before[-1] in ".!?…:"


def find_in_text(store: Any, sentence: str, *, lang: str | None = None,
                 tgt: str | None = None, limit: int | None = None) -> list[TermHit]:
    """Every termbase term that occurs in ``sentence``, with its character span.

    The sentence is cut into words; every run of up to MAX_TERM_WORDS words gives an inflection
    key, and all keys are looked up in the index at once. Hits come in text order, longer
    first where two start at the same place. ``lang`` is the sentence's language; by default
    the one it clearly reads as (``text_language``), else terms of every language are
    sought. ``tgt`` keeps the hits with an equivalent in that language; ``limit`` keeps the
    first hits.
    """
    conn = connection_of(store)
    require(conn, getattr(store, "path", "store"))
    toks = tokens(sentence)
    if not toks:
        return []
    lang = checked(lang, "language") if lang else text_language(conn, sentence)
    langs = (stem_lang(lang),) if lang else STEM_LANGS
    # key -> [(rule set, first token, end token)]
    where: dict[str, list[tuple[str, int, int]]] = {}
    for sl in langs:
        for key, i, j in ngrams(toks, sl, MAX_TERM_WORDS):
            where.setdefault(key, []).append((sl, i, j))
    found: dict[tuple[int, int, int], _Found] = {}
    keys = list(where)
    for k in range(0, len(keys), 500):
        chunk = keys[k:k + 500]
        for _tid, cid, lk, *rest in conn.execute(
                f"{_ROW} WHERE lemma_key IN ({','.join('?' * len(chunk))})", chunk):
            term = row_to_term(rest)
            if lang and not covers(lang, term.lang):
                continue
            for sl, i, j in where[lk]:
                if sl != stem_lang(term.lang):
                    continue
                span = (toks[i].start, toks[j - 1].end)
                surface = sentence[span[0]:span[1]]
                if not _acronyms_kept(term.text, surface, sentence, term.lang):
                    continue
                if surface != term.text and _opens(sentence, span[0]) and (
                        surface[:1].lower() + surface[1:] == term.text):
                    surface = term.text  # capitalised only as the sentence's first word
                how = ("exact" if surface == term.text else
                       "folded" if fold(surface) == fold(term.text) else "inflection")
                f = _Found(cid, term, how, HOW_SCORE[how], span)
                old = found.get((cid, *span))
                if old is None or (HOW_RANK[how], term.lang != lang) < (
                        HOW_RANK[old.how], old.term.lang != lang):
                    found[(cid, *span)] = f
    ordered = sorted(found.values(), key=lambda f: (f.span[0], -f.span[1], HOW_RANK[f.how],
                                                    f.concept_id))
    hits = _hits(conn, ordered)
    if tgt:
        hits = [h for h in hits if h.equivalents(tgt)]
    return hits if limit is None else hits[:max(limit, 0)]


