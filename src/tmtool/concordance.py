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


# Between two digit groups of one number: one space of any kind, a comma or a full stop.
_GROUP_GAP = frozenset(" ,.\u00a0\u2007\u2009\u202f")


def _numbers_joined(found: list[tuple[str, int, int]], text: str) -> list[tuple[str, int, int]]:
    """Tokens (folded token, start, end in ``text``) with each number written in thousands
    joined into one token of its digits: "1 000", "1,000", "1.000" and "1000" are one number
    to a translator looking for it, whichever way the memory or the query writes it. Decimals
    ("3,5") are left as they are: their parts are not thousands."""
    out: list[tuple[str, int, int]] = []
    joined = False  # whether out[-1] is a number already joined from groups
    for tok, start, end in found:
        if out and len(tok) == 3 and tok.isdecimal() and tok.isascii():
            prev, pstart, pend = out[-1]
            if (start - pend == 1 and text[pend] in _GROUP_GAP and prev.isdecimal()
                    and prev.isascii() and (joined or len(prev) <= 3)):
                out[-1] = (prev + tok, pstart, end)
                joined = True
                continue
        out.append((tok, start, end))
        joined = False
    return out


def _thousands(number: str) -> list[str]:
    """A number's digits as written in groups of three ("10000" -> ["10", "000"])."""
    head = len(number) % 3 or 3
    return [number[:head]] + [number[i:i + 3] for i in range(head, len(number), 3)]


def _parse_phrase(phrase: str) -> list[tuple[list[str], bool]]:
    """Groups of folded tokens that must occur consecutively; the flag marks a final ``*``.

    Plain text is one phrase; with double quotes, each quoted part is a phrase and each other
    word must occur on its own. A quote left open runs to the end (as a shell user types it).
    Numbers in thousands are one token (``_numbers_joined``).
    """
    parts: list[str] = []
    if '"' in phrase:
        parts = [p for p in re.findall(r'"([^"]*)(?:"|$)', phrase) if p.strip()]
        parts += re.sub(r'"[^"]*(?:"|$)', " ", phrase).split()
    else:
        parts = [phrase]
    groups = []
    for part in parts:
        folded = m.fast_fold(part)
        toks = [t for t, _, _ in _numbers_joined(m.token_spans(folded), folded)]
        if toks:
            groups.append((toks, part.rstrip().endswith("*")))
    return groups


def _spans(text: str, groups: list[tuple[list[str], bool]]) -> tuple[tuple[int, int], ...] | None:
    """Where every group occurs in ``text``; None when one of them does not."""
    words = _numbers_joined(m.word_spans(text), text)
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
    counted: list[tuple[int, str]] = []
    for toks, prefix in groups:
        for j, t in enumerate(toks):
            # Index terms are word + language + length bucket: a word is the prefix of its
            # terms (of one language, when given); a final '*' of the user's matches any word.
            if prefix and j == len(toks) - 1:
                found = _term(conn, t, "")
            elif len(t) > 3 and t.isdecimal() and t.isascii():
                # a number: the index has it whole ("1000") or by its groups ("1 000")
                found = _either(_term(conn, t, plang),
                                _all([_term(conn, g, plang) for g in _thousands(t)]))
            else:
                found = _term(conn, t, plang)
            if not found[0]:
                return None
            counted.append(found)
    counted.sort()
    # The rarest words decide; words much more common would only make the index read long
    # lists (the texts are checked word by word afterwards anyway).
    kept = [expr for df, expr in counted[:3] if df <= 4 * counted[0][0]]
    return " AND ".join(dict.fromkeys(kept))


def _term(conn: Any, word: str, plang: str | None) -> tuple[int, str]:
    """(how many variants hold terms starting so, index query for them) of a word of one
    language (``plang``), of any (None), or of any word it starts (``""``)."""
    start = word if plang == "" else word + (rows_.lang_part(plang) if plang
                                             else rows_.LANG_MARK)
    df = conn.execute("SELECT coalesce(sum(df), 0) FROM tm_terms WHERE term >= ? AND "
                      "term < ?", (start, start + "\U0010ffff")).fetchone()[0]
    return df, f"{quote(start)}*"


def _either(a: tuple[int, str], b: tuple[int, str]) -> tuple[int, str]:
    if not b[0]:
        return a
    if not a[0]:
        return b
    return a[0] + b[0], f"({a[1]} OR {b[1]})"


def _all(terms: list[tuple[int, str]]) -> tuple[int, str]:
    return min(df for df, _ in terms), "(" + " AND ".join(expr for _, expr in terms) + ")"


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
