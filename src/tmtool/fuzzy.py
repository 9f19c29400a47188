"""Fuzzy lookup in the memory: the stored segments most like a sentence, with CAT scores.

Lookup never scans the memory: a match at s% shares at least s% of the longer segment's
tokens with the query, so it must have a length within bounds (``match.length_bounds``) and
contain j of the query's rarest w - need + j tokens (prefix filtering; j = 1, 2 or 3, whichever
the document frequencies make cheapest). The index is asked for exactly that, reading only
the terms of the language and of the length buckets that can match (``tmrows``); each
candidate is then scored exactly (``match.score``). The bound holds for every score, so lookup
finds every match an exhaustive scan would.

The higher the threshold, the fewer the candidates: a lookup first searches at 90% and 80%,
and goes down to the caller's minimum only when those give fewer matches than asked for.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import combinations

from . import match as m
from . import tmrows as rows_
from .errors import UsageError
from .lang import normalize, primary
from .memory import ensure_schema
from .model import Match
from .store import Store


def quote(token: str) -> str:
    """A term as an FTS5 string."""
    return '"' + token.replace('"', '""') + '"'



# Thresholds tried before the caller's minimum: a match at 90% or more is what most lookups
# find, and its search reads far fewer candidates. Measured on the 1,000,000-unit benchmark
# memory (top 5 at >= 70%): 57% of lookups have five matches at >= 90% (median 2.3 ms against
# 13 ms at 70%), 74% at >= 80%.
_TIERS = (90.0, 80.0)


def lookup(store: Store, text: str, *, src: str = "fr", tgt: str = "en",
           min_score: float = 70, limit: int = 5, markup: str | None = None,
           tags: bool = True) -> list[Match]:
    """The best ``limit`` units whose ``src`` side scores at least ``min_score`` against
    ``text``, best first, each with its ``tgt`` side (exact tag preferred, else the same
    primary language). Finds every match an exhaustive scan would.

    ``text`` is read as a translator types it: tags as CAT tools show them (``<b>``,
    ``<x1/>``) are inline codes, compared with the stored ones (``formats.tmx.tagged_text``),
    unless ``tags`` is False. ``markup`` gives the text's inline codes instead, as TMX
    ``<seg>`` content whose plain text is ``text``.

    The search runs at 90%, then 80%, then ``min_score``, and stops at the first that gives
    ``limit`` matches: each search finds every match at its threshold, and a unit below it
    cannot outrank ``limit`` units above it, so the answer is the one ``min_score`` gives.
    """
    if not text.strip():
        raise UsageError("nothing to look up: the sentence is empty")
    if not 0 <= min_score <= 100:
        raise UsageError(f"minimum score {min_score} is not between 0 and 100")
    if limit < 1:
        raise UsageError(f"limit {limit} must be at least 1")
    check_languages(src, tgt)
    src_tag, tgt_tag = normalize(src).lower(), normalize(tgt).lower()
    ensure_schema(store)
    if markup is None and tags:
        from .formats.tmx import tagged_text

        text, markup = tagged_text(text)
    query = m.prepare(text, markup)
    psrc, ptgt = primary(src), primary(tgt)
    for floor in (*(t for t in _TIERS if t > min_score), min_score):
        found = _lookup(store, query, psrc, ptgt, src_tag, tgt_tag, floor, limit)
        if len(found) >= limit:
            break
    return found


def check_languages(src: str, tgt: str) -> None:
    """Refuse a lookup from a language into itself (``en-US`` into ``en-GB`` is fine)."""
    if normalize(src).lower() == normalize(tgt).lower():
        raise UsageError(f"the source and target languages are both {src}: a translation "
                         f"needs two")


def _lookup(store: Store, query: m.Prepared, psrc: str, ptgt: str, src_tag: str, tgt_tag: str,
            min_score: float, limit: int) -> list[Match]:
    """``lookup`` at one threshold."""
    # Each candidate gets a bound on its score from the stored keys alone (the word score;
    # penalties only lower it); then, best bound first, whole rows and final scores, until
    # no remaining bound can beat the current top ``limit``.
    passed = _bounds(store, query, psrc, min_score)
    best_of: dict[int, tuple[float, bool, bool, str, int, Match]] = {}  # unit -> best entry
    top: dict[int, float] = {}  # the ``limit`` units with the best scores so far

    def score(chunk: list[int]) -> None:
        nonlocal top
        hits = []
        for vid, uid, lang, vtext, vmarkup, plang in store.conn.execute(
                f"SELECT id, unit_id, lang, text, markup, plang FROM tm_variants "
                f"WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            if plang != psrc:
                continue
            if psrc == ptgt and lang.lower() != src_tag:  # en-US -> en-GB: the source is
                continue                                  # en-US, never the other way
            result = m.score(query, m.prepare(vtext, vmarkup), min_score)
            if result is not None:
                hits.append((result[0], result[1], uid, vid, lang, vtext, vmarkup))
        targets = _targets(store, [h[2] for h in hits], ptgt, tgt_tag)
        for score_, pens, uid, vid, lang, vtext, vmarkup in hits:
            target = next((t for t in targets.get(uid, ()) if t[0] != vid), None)
            if target is None:
                continue
            _, ttext, exact_tgt, origin, changed, tlang, tmarkup = target
            entry = (score_, exact_tgt, lang.lower() == src_tag, changed or "", uid,
                     Match(score_, vtext, ttext, uid, pens, origin, lang, tlang, vmarkup,
                           tmarkup))
            # A unit with two variants in the source language counts once, by its best.
            if uid not in best_of or entry[:5] > best_of[uid][:5]:
                best_of[uid] = entry
                top[uid] = score_
        if len(top) > limit:  # a unit outside the top cannot enter it without a new score
            top = dict(heapq.nlargest(limit, top.items(), key=lambda t: best_of[t[0]][:5]))

    step = max(2 * limit, 32)
    i = 0
    while i < len(passed):
        if len(top) >= limit:
            floor = min(top.values())
            if passed[i][0] < floor:
                break
            if passed[i][0] == floor:  # the rest can at best tie with the last of the top
                j = i
                while j < len(passed) and passed[j][0] == floor:
                    j += 1
                _ties(store, [vid for _, vid in passed[i:j]], floor, src_tag, tgt_tag,
                      lambda: min(best_of[u][:5] for u in top), score, step)
                break
        score([vid for _, vid in passed[i:i + step]])
        i += step
    ranked = sorted(best_of.values(), key=lambda r: r[:5], reverse=True)
    # Best score first; among equals, the exact target tag (a translation for the locale
    # asked for), then the exact source tag, then the newest unit.
    return [r[5] for r in ranked[:limit]]


def _bounds(store: Store, query: m.Prepared, plang: str, min_score: float
            ) -> list[tuple[float, int]]:
    """(bound on the score, id) of each candidate that may reach ``min_score``, best first.

    The bound is the word score (to a tenth, rounded down as scores are); for a candidate
    with the query's very keys, 100 less the penalties it is certain to cost
    (``match.SameKeys``). Among many segments that differ only by a number ("Erreur 1234 :
    ..."), the one with the query's numbers is then scored first, and the others only as far
    as ties require.
    """
    passed: list[tuple[float, int]] = []
    same: list[int] = []  # candidates with the query's keys, holding numbers
    qkeys = " ".join(query.keys)
    numbers = m.NUMBER in query.keys
    for vid, keys in _candidates(store, query, plang, min_score):
        if numbers and keys == qkeys:
            same.append(vid)
            continue
        base = m.key_score(query.keys, keys.split(), min_score)
        if base is not None:  # rounded down as final scores are: ties show as ties
            passed.append((math.floor(base * 10 + 1e-6) / 10, vid))
    if same:
        bounds = m.SameKeys(query)
        for i in range(0, len(same), 500):
            chunk = same[i:i + 500]
            for vid, text, markup in store.conn.execute(
                    f"SELECT id, text, markup FROM tm_variants WHERE id IN "
                    f"({','.join('?' * len(chunk))})", chunk):
                bound = bounds.bound(text, markup)
                if bound >= min_score:
                    passed.append((bound, vid))
    passed.sort(reverse=True)
    return passed


def _ties(store: Store, vids: list[int], floor: float, src_tag: str, tgt_tag: str,
          last: Callable[[], tuple[float, bool, bool, str, int]],
          score: Callable[[list[int]], None], step: int) -> None:
    """Score, of candidates that can at best tie with the last of the top (``floor``), those
    that would win the tie: by the exact target tag, then the exact source tag, then the
    newest unit, as ranking does.

    Each gets the best entry it could have (its score ``floor``, its own source tag, an exact
    target tag if its unit has a variant so tagged, its unit's date); they are scored best
    first until the last of the top (``last()``) beats the next one's.
    """
    conn = store.conn
    bounds = []
    for i in range(0, len(vids), 500):
        chunk = vids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT v.id, v.unit_id, v.lang, u.changed FROM tm_variants v JOIN tm_units u "
            f"ON u.id = v.unit_id WHERE v.id IN ({marks})", chunk).fetchall()
        units = list({r[1] for r in rows})
        exact = {r[0] for r in conn.execute(
            f"SELECT DISTINCT unit_id FROM tm_variants WHERE unit_id IN "
            f"({','.join('?' * len(units))}) AND lower(lang) = ?", [*units, tgt_tag])}
        for vid, uid, lang, changed in rows:
            bounds.append(((floor, uid in exact, lang.lower() == src_tag, changed or "", uid),
                           vid))
    bounds.sort(reverse=True)
    for i in range(0, len(bounds), step):
        if last() > bounds[i][0]:
            return
        score([vid for _, vid in bounds[i:i + step]])


_Target = tuple[int, str, bool, str | None, str | None, str, str | None]


def _targets(store: Store, unit_ids: list[int], ptgt: str, tgt_tag: str
             ) -> dict[int, list[_Target]]:
    """Each unit's variants in the target language: (id, text, exact tag, origin, changed,
    tag, markup), the exact tag first."""
    out: dict[int, list[_Target]] = {}
    ids = list(dict.fromkeys(unit_ids))
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for vid, uid, lang, text, origin, changed, markup in store.conn.execute(
                f"SELECT v.id, v.unit_id, v.lang, v.text, u.origin, u.changed, v.markup "
                f"FROM tm_variants v "
                f"JOIN tm_units u ON u.id = v.unit_id WHERE +v.plang = ? AND v.unit_id IN "
                f"({','.join('?' * len(chunk))})", [ptgt, *chunk]):
            out.setdefault(uid, []).append((vid, text, lang.lower() == tgt_tag, origin, changed,
                                            lang, markup))
    for rows in out.values():
        rows.sort(key=lambda r: (not r[2], r[0]))  # exact tag first, then in stored order
    return out


def _candidates(store: Store, query: m.Prepared, plang: str, min_score: float
                ) -> Iterator[tuple[int, str]]:
    """(id, stored keys) of the variants that may score ``min_score`` (see the module
    docstring); the caller checks their language and scores them."""
    conn = store.conn
    lo, hi = m.length_bounds(len(query.keys), min_score)
    if m.required_words(query, min_score) <= 0:  # mostly numbers: only the length bound helps
        yield from conn.execute("SELECT v.id, v.keys FROM tm_variants v WHERE v.plang = ? "
                                "AND v.ntok BETWEEN ? AND ?", (plang, lo, hi))
        return
    buckets = rows_.buckets(lo, hi)
    suffixes = [rows_.suffix(plang, b) for b in buckets]
    words = list(dict.fromkeys(k for k in query.keys if k != m.NUMBER))
    wanted = [w + sfx for w in words for sfx in suffixes]
    wanted += [rows_.count_term(plang, b) for b in buckets]
    df: dict[str, int] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i:i + 500]
        df.update(conn.execute(f"SELECT term, df FROM tm_terms WHERE term IN "
                               f"({','.join('?' * len(chunk))})", chunk).fetchall())
    total = sum(df.get(rows_.count_term(plang, b), 0) for b in buckets)
    terms = {w: [w + sfx for sfx in suffixes if w + sfx in df] for w in words}
    expr = _token_expr(query, min_score, df, terms, total)
    if expr is None:
        return
    for vid, keys, ntok in conn.execute(
            "SELECT v.id, v.keys, v.ntok FROM tm_index JOIN tm_variants v "
            "ON v.id = tm_index.rowid WHERE tm_index MATCH ?", (expr,)):
        if lo <= ntok <= hi:  # buckets are coarser than the bounds
            yield vid, keys


# Rough costs in microseconds, for choosing the index expression (measured on a 1,000,000-unit
# memory): reading and scoring one candidate; reading one posting inside the index (each term
# of a conjunction reads its whole posting list); opening one term.
_COST_SCORE = 15.0
_COST_POSTING = 0.035
_COST_TERM = 2.0


def _token_expr(query: m.Prepared, min_score: float, df: dict[str, int],
                terms: dict[str, list[str]], total: int) -> str | None:
    """An FTS5 expression every match satisfies, cheap to evaluate; None when none can match.

    ``terms`` maps each query word to its index terms in the lengths that can match, ``df``
    gives each term's document frequency and ``total`` the number of variants in those
    lengths. A match shares at least ``need`` of the query's w word tokens, so it contains at
    least j of any w - need + j of them: one of the rarest w - need + 1 (j = 1), two of the
    rarest w - need + 2 (j = 2), ... Larger j asks the index for fewer candidates through more
    conjunctions; the j with the lowest estimated cost (candidates to score, assuming words
    occur independently, plus index work) is used.
    """
    words = [k for k in query.keys if k != m.NUMBER]
    need = m.required_words(query, min_score)
    wdf = {w: sum(df[t] for t in ts) for w, ts in terms.items()}
    order = sorted(words, key=lambda w: wdf.get(w, 0))  # token positions, rarest first
    rank = {w: i for i, w in reversed(list(enumerate(order)))}
    best: tuple[float, list[list[str]]] | None = None
    for j in range(1, min(need, 3) + 1):
        pool = order[:len(words) - need + j]
        counts = Counter(pool)
        if j > 1 and math.comb(len(counts), j) > 300:
            break  # j = 1 always stands: a long query's words, each once, are few enough
        groups = _word_sets(counts, j)
        groups = {g for g in groups if all(wdf.get(t, 0) for t in g)}
        if not groups:
            return None  # no stored text holds j of these tokens: nothing can match
        minimal = list(groups)
        if any(len(g) < j for g in groups):  # a token repeated in the query: drop supersets
            minimal = [g for g in groups if not any(
                frozenset(sub) in groups for k in range(1, len(g)) for sub in combinations(g, k))]
        ordered = [sorted(g, key=lambda t: (rank[t], t)) for g in minimal]
        estimate = sum(math.prod(wdf[t] for t in g) / max(total, 1) ** (len(g) - 1)
                       for g in minimal)
        cost = _COST_SCORE * estimate + _index_cost(ordered, wdf, terms)
        if best is None or cost < best[0]:
            best = (cost, ordered)
    if best is None:
        return None
    return _factored(best[1], terms)


def _word_sets(counts: Counter[str], j: int) -> set[frozenset[str]]:
    """The sets of words that j of the token positions ``counts`` counts (word -> positions)
    can hold: ``{frozenset(c) for c in combinations(positions, j)}``, built from the distinct
    words (a set of k <= j words is one when its words have j positions between them), so
    that a long query repeating its words costs no more than its vocabulary."""
    words = list(counts)
    return {frozenset(c) for k in range(1, j + 1) for c in combinations(words, k)
            if sum(counts[w] for w in c) >= j}


def _by_first(groups: list[list[str]]) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for g in sorted(groups):
        out.setdefault(g[0], []).append(g[1:])
    return out


def _index_cost(groups: list[list[str]], wdf: dict[str, int], terms: dict[str, list[str]]
                ) -> float:
    """Index work of ``_factored(groups)``: each prefix's words are read once."""
    cost = 0.0
    for first, rests in _by_first(groups).items():
        cost += _COST_POSTING * wdf[first] + _COST_TERM * len(terms[first])
        if all(rests):
            cost += _index_cost(rests, wdf, terms)
    return cost


def _factored(groups: list[list[str]], terms: dict[str, list[str]]) -> str:
    """``(a AND b) OR (a AND c)`` written as ``a AND (b OR c)``: each posting list is read
    once per prefix instead of once per group, which the index evaluates much faster. Each
    word stands for the disjunction of its index terms."""
    parts = []
    for first, rests in _by_first(groups).items():
        word = " OR ".join(quote(t) for t in terms[first])
        if all(rests):
            parts.append(f"(({word}) AND ({_factored(rests, terms)}))")
        else:  # the word alone suffices
            parts.append(f"({word})")
    return " OR ".join(parts)
