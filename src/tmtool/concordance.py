"""Concordance: the stored units containing a phrase, with where it occurs, for highlighting."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import match as m
from . import tmrows as rows_
from .errors import UsageError
from .fuzzy import quote
from .lang import covers, primary
from .memory import ensure_schema
from .store import Store


@dataclass(frozen=True, slots=True)
class ConcordanceHit:
    """A unit containing the searched phrase: the side it was found in is the ``source``.

    Spans are (start, end) character offsets of each occurrence, for highlighting; the target
    side gets spans too when the phrase also occurs there (names, numbers).
    """

    unit_id: int
    source_lang: str
    source: str
    target_lang: str | None
    target: str | None
    source_spans: tuple[tuple[int, int], ...]
    target_spans: tuple[tuple[int, int], ...] = ()
    origin: str | None = None
    changed: str | None = field(default=None, compare=False)
    # the sides with their inline codes, as TMX <seg> content (None: plain text)
    source_markup: str | None = None
    target_markup: str | None = None


def _parse_phrase(phrase: str) -> list[tuple[list[str], bool]]:
    """Groups of folded tokens that must occur consecutively; the flag marks a final ``*``.

    Plain text is one phrase; with double quotes, each quoted part is a phrase and each other
    word must occur on its own. A quote left open runs to the end (as a shell user types it).
    """
    parts: list[str] = []
    if '"' in phrase:
        parts = [p for p in re.findall(r'"([^"]*)(?:"|$)', phrase) if p.strip()]
        parts += re.sub(r'"[^"]*(?:"|$)', " ", phrase).split()
    else:
        parts = [phrase]
    groups = []
    for part in parts:
        toks = m.tokens(m.fast_fold(part))
        if toks:
            groups.append((toks, part.rstrip().endswith("*")))
    return groups


def _spans(text: str, groups: list[tuple[list[str], bool]]) -> tuple[tuple[int, int], ...] | None:
    """Where every group occurs in ``text``; None when one of them does not."""
    words = m.word_spans(text)
    found: list[tuple[int, int]] = []
    for toks, prefix in groups:
        k = len(toks)
        hit = False
        for i in range(len(words) - k + 1):
            if all(words[i + j][0] == toks[j] for j in range(k - 1)) and (
                    words[i + k - 1][0].startswith(toks[-1]) if prefix
                    else words[i + k - 1][0] == toks[-1]):
                found.append((words[i][1], words[i + k - 1][2]))
                hit = True
        if not hit:
            return None
    return tuple(sorted(set(found)))


def _concordance_expr(conn: Any, groups: list[tuple[list[str], bool]], plang: str | None
                      ) -> str | None:
    """An index query for the rarest words of ``groups`` (the texts it returns are checked
    word by word afterwards); None when one of the words occurs nowhere."""
    counted = []
    for toks, prefix in groups:
        for j, t in enumerate(toks):
            # Index terms are word + language + length bucket: a word is the prefix of its
            # terms (of one language, when given); a final '*' of the user's matches any word.
            if prefix and j == len(toks) - 1:
                start = t
            else:
                start = t + (rows_.lang_part(plang) if plang else rows_.LANG_MARK)
            df = conn.execute("SELECT coalesce(sum(df), 0) FROM tm_terms WHERE term >= ? AND "
                              "term < ?", (start, start + "\U0010ffff")).fetchone()[0]
            if not df:
                return None
            counted.append((df, start))
    counted.sort()
    # The rarest words decide; words much more common would only make the index read long
    # lists (the texts are checked word by word anyway).
    kept = [start for df, start in counted[:3] if df <= 4 * counted[0][0]]
    return " AND ".join(f"{quote(start)}*" for start in dict.fromkeys(kept))


def concordance(store: Store, phrase: str, *, lang: str | None = None,
                limit: int = 50) -> list[ConcordanceHit]:
    """Units containing ``phrase`` (accent-, case- and typography-insensitive), newest first:
    by the unit's latest change or creation date, undated units last, then latest stored.

    The words of ``phrase`` must occur together in that order; a final ``*`` matches any word
    starting with the last one; ``"quoted parts"`` with other words require each part and word.
    ``lang`` limits the search to one language (``fr``: every French variant; ``fr-CA``: fr-CA
    and variants tagged only ``fr``); every language otherwise.
    """
    if limit < 1:
        raise UsageError(f"limit {limit} must be at least 1")
    groups = _parse_phrase(phrase)
    if not groups:
        raise UsageError(f"nothing to search for in {phrase!r}: give at least one word")
    ensure_schema(store)
    conn = store.conn
    plang = primary(lang) if lang else None
    expr = _concordance_expr(conn, groups, plang)
    if expr is None:
        return []
    hits: list[ConcordanceHit] = []
    seen: set[int] = set()
    # Newest translation first (by the unit's latest date; undated units last), then the
    # latest stored: the index hands over candidates, sorted before their texts are checked.
    cursor = conn.execute(
        "SELECT v.unit_id, v.lang, v.plang, v.text, u.origin, u.changed, v.markup FROM tm_index "
        "JOIN tm_variants v ON v.id = tm_index.rowid JOIN tm_units u ON u.id = v.unit_id "
        "WHERE tm_index MATCH ? ORDER BY u.changed IS NULL, u.changed DESC, v.id DESC",
        (expr,))
    while len(hits) < limit:
        rows = cursor.fetchmany(200)
        if not rows:
            break
        for uid, vlang, vplang, text, origin, changed, markup in rows:
            if uid in seen or (lang and not covers(lang, vlang)):
                continue
            spans = _spans(text, groups)
            if spans is None:
                continue
            seen.add(uid)
            other = conn.execute("SELECT lang, text, markup FROM tm_variants WHERE unit_id = ? AND "
                                 "plang != ? ORDER BY id LIMIT 1", (uid, vplang)).fetchone()
            tspans = (_spans(other[1], groups) or ()) if other else ()
            hits.append(ConcordanceHit(uid, vlang, text, other[0] if other else None,
                                       other[1] if other else None, spans, tspans, origin,
                                       changed, markup, other[2] if other else None))
            if len(hits) >= limit:
                break
    cursor.close()
    return hits
