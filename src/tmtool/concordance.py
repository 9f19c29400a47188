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
from .normalize import fold
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
    # the unit's other variants, (language, text): a third language, another region
    others: tuple[tuple[str, str], ...] = ()


# Signs that say what a number is: searched for when the phrase has one ("5 %" is not "5").
_SIGNS = re.compile(r"[%\u2030\u20ac$\u00a3\u00a7\u00b0]")

Tokens = list[tuple[str, int, int]]  # (folded token, start, end in the text)


def _digits(tok: str) -> bool:
    return tok.isdecimal() and tok.isascii()


def _mark(text: str, end: int, start: int) -> str:
    """What stands between two tokens: "," or "." alone, " " for spaces of any kind (as
    folding and the match keys see them), else ""."""
    gap = text[end:start]
    if gap in (",", "."):
        return gap
    return " " if gap and gap.isspace() else ""


def _numbers_joined(found: Tokens, text: str, decimals: bool = True) -> Tokens:
    """``found`` with each number made one token, as a translator reads it: thousands joined
    ("1 000", "1,000", "1.000" and "1000" are 1000) and, with ``decimals``, a decimal's two
    parts joined by a comma ("3,5" and "3.5" are 3,5; "3,500" reads as thousands). A longer
    chain ("10.05.2024", "2.3.1") is a date or a version: its parts stay apart."""
    out: Tokens = []
    joined = False  # whether out[-1] was joined from groups of thousands
    for tok, start, end in found:
        if out and len(tok) == 3 and _digits(tok):
            prev, pstart, pend = out[-1]
            if _digits(prev) and (joined or len(prev) <= 3) and _mark(text, pend, start):
                out[-1] = (prev + tok, pstart, end)
                joined = True
                continue
        out.append((tok, start, end))
        joined = False
    if not decimals:
        return out
    chained = [i > 0 and _digits(out[i - 1][0]) and _digits(out[i][0])
               and _mark(text, out[i - 1][2], out[i][1]) in (",", ".")
               for i in range(len(out))]  # token i follows a number after "," or "."
    result: Tokens = []
    i = 0
    while i < len(out):
        if (i + 1 < len(out) and chained[i + 1] and not chained[i]
                and not (i + 2 < len(out) and chained[i + 2])):
            (a, s, _), (b, _, e) = out[i], out[i + 1]
            result.append((f"{a},{b}", s, e))
            i += 2
        else:
            result.append(out[i])
            i += 1
    return result


def _with_signs(tokens: Tokens, text: str) -> Tokens:
    """``tokens`` with the signs of ``text`` (%, €, °...) among them, in order."""
    signs = [(x.group(), x.start(), x.end()) for x in _SIGNS.finditer(text)]
    return sorted(tokens + signs, key=lambda t: t[1]) if signs else tokens


def _thousands(number: str) -> list[str]:
    """A number's digits as written in groups of three ("10000" -> ["10", "000"])."""
    head = len(number) % 3 or 3
    return [number[:head]] + [number[i:i + 3] for i in range(head, len(number), 3)]


# Each group: its ways of being written as tokens (the first with decimals joined, then with
# their parts apart: "05.2024" is found in "10.05.2024"). A token ending with "*" matches any
# word it starts ("*" alone: any word); folded tokens never hold "*" otherwise.
Groups = list[list[list[str]]]
_ANY = "*"


_DIGITS = re.compile(r"\d*")


def _matches(word: str, tok: str) -> bool:
    """Whether a folded word of a text is the folded token of a phrase. A whole number
    followed by ``*`` starts numbers at a group of three: "1 000*" finds "1 000 000" and
    "1 000,50", not "10 000"."""
    if not tok.endswith(_ANY):
        return word == tok
    stem = tok[:-1]
    if not word.startswith(stem):
        return False
    if stem.isdecimal():  # a whole number (decimals are no groups: "3,5*" finds "3,55")
        return len(_DIGITS.match(word, len(stem)).group()) % 3 == 0  # type: ignore[union-attr]
    return True


def _parse_phrase(phrase: str) -> tuple[Groups, bool]:
    """Groups of folded tokens that must occur consecutively (a word followed by ``*``
    marked so); and whether signs (%, €...) are among them.

    Plain text is one phrase; with double quotes, each quoted part is a phrase and each other
    word must occur on its own. A quote left open runs to the end (as a shell user types it).
    A number is one token (``_numbers_joined``).
    """
    parts: list[str] = []
    if '"' in phrase:
        parts = [p for p in re.findall(r'"([^"]*)(?:"|$)', phrase) if p.strip()]
        parts += re.sub(r'"[^"]*(?:"|$)', " ", phrase).split()
    else:
        parts = [phrase]
    groups = []
    signs = _SIGNS.search(phrase) is not None
    for part in parts:
        folded = m.fast_fold(part)
        spans = m.token_spans(folded)
        ways: list[list[str]] = []
        # a "*" after a space or an elision ("l'*", "garanties * sécurité"): any word there
        alone = [(_ANY, i, i + 1) for i, ch in enumerate(folded)
                 if ch == _ANY and not folded[i - 1:i].isalnum()]
        for decimals in (True, False):
            found = _numbers_joined(spans, folded, decimals)
            found = _with_signs(found, folded) if signs else found
            toks = [t + _ANY if t != _ANY and folded[end:end + 1] == _ANY else t
                    for t, _, end in sorted(found + alone, key=lambda x: x[1])]
            if toks not in ways:
                ways.append(toks)
        if any(t != _ANY and not _SIGNS.fullmatch(t) for t in ways[0]):  # a sign alone
            groups.append(ways)  # finds nothing
    return groups, signs


def _spans(text: str, groups: Groups, signs: bool = False
           ) -> tuple[tuple[int, int], ...] | None:
    """Where every group occurs in ``text``; None when one of them does not."""
    words = _numbers_joined(m.word_spans(text), text)
    if signs:
        words = _with_signs(words, text)
    found: list[tuple[int, int]] = []
    for ways in groups:
        hit = False
        for toks in ways:
            k = len(toks)
            for i in range(len(words) - k + 1):
                if all(_matches(words[i + j][0], toks[j]) for j in range(k)):
                    found.append((words[i][1], words[i + k - 1][2]))
                    hit = True
        if not hit:
            return None
    return tuple(sorted(set(found)))


def _concordance_expr(conn: Any, groups: Groups, plang: str | None
                      ) -> tuple[str, int] | None:
    """An index query for the rarest words of ``groups`` (the texts it returns are checked
    word by word afterwards), with how many variants hold the rarest; None when one of the
    words occurs nowhere."""
    counted: list[tuple[int, str]] = []
    for ways in groups:
        for t in ways[0]:  # the index query for it finds the other ways too
            # Index terms are word + language + length bucket: a word is the prefix of its
            # terms (of one language, when given); a '*' of the user's matches any word.
            if _SIGNS.fullmatch(t) or t == _ANY:
                continue  # not indexed (a sign; any word): the texts are checked for it
            if t.endswith(_ANY):
                # a number's first digit: "1 000*" is "1" and "000..." in the index
                found = _term(conn, t[0] if t[:1].isdecimal() else t[:-1], "")
            elif t[:1].isdecimal():
                found = _number(conn, t, plang)
            else:
                found = _term(conn, t, plang)
            if not found[0]:
                return None
            counted.append(found)
    counted.sort()
    # The rarest words decide; words much more common would only make the index read long
    # lists (the texts are checked word by word afterwards anyway).
    kept = [expr for df, expr in counted[:3] if df <= 4 * counted[0][0]]
    return " AND ".join(dict.fromkeys(kept)), counted[0][0]


def _number(conn: Any, number: str, plang: str | None) -> tuple[int, str]:
    """The index query for a number token: its parts as the index holds them ("3,5" is "3"
    and "5"; "1000" is "1000", or "1" and "000")."""
    if "," in number:
        whole, decimals = number.split(",", 1)
        return _all([_number(conn, whole, plang), _term(conn, decimals, plang)])
    if len(number) > 3 and _digits(number):
        return _either(_term(conn, number, plang),
                       _all([_term(conn, g, plang) for g in _thousands(number)]))
    return _term(conn, number, plang)


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

    The words of ``phrase`` must occur together in that order; a word ending with ``*``
    matches any word it starts (``*`` after a space, any word); ``"quoted parts"`` with other
    words require each part and word.
    ``lang`` limits the search to one language (``fr``: every French variant; ``fr-CA``: fr-CA
    and variants tagged only ``fr``); every language otherwise.
    """
    if limit < 1:
        raise UsageError(f"limit {limit} must be at least 1")
    if re.search(r"\*\w", phrase):
        raise UsageError(f"{phrase!r}: a * ends a word (garant* finds garantie and "
                         f"garanties)")
    groups, signs = _parse_phrase(phrase)
    if not groups:
        raise UsageError(f"nothing to search for in {phrase!r}: give at least one word")
    ensure_schema(store)
    conn = store.conn
    plang = primary(lang) if lang else None
    found = _concordance_expr(conn, groups, plang)
    if found is None:
        return []
    expr, rarest = found
    check = _Check(groups, signs)
    # Newest translation first (by the unit's latest date; undated units last), then the
    # latest stored. Words most segments hold are found soonest by reading the newest units
    # until enough hold the phrase; others, by sorting what the index hands over.
    stored = conn.execute("SELECT coalesce(max(id), 0) FROM tm_variants").fetchone()[0]
    if rarest * rarest >= _SCAN_COST * limit * stored:
        hits = _newest_units(conn, check, lang, limit, rarest / _SCAN_COST)
        if hits is not None:
            return hits
    return _indexed(conn, expr, check, lang, limit)


# Reading and checking one segment of the newest units costs about this many times what the
# index path costs for one segment the index hands over (they are all sorted by date). The
# newest units are read when they should give ``limit`` hits for less, if the phrase is as
# common as its rarest word; as soon as the hits met say they would cost more (a phrase rarer
# than its words: "il y a"), the index does it.
_SCAN_COST = 4.0
_SAMPLE = 2000  # segments checked before their hits are taken to tell how common the phrase is


def _indexed(conn: Any, expr: str, check: _Check, lang: str | None, limit: int
             ) -> list[ConcordanceHit]:
    """The hits among the variants the index hands over, sorted newest first."""
    hits: list[ConcordanceHit] = []
    seen: set[int] = set()
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
            hit = _hit(conn, check, uid, vlang, vplang, text, origin, changed, markup)
            if hit is None:
                continue
            seen.add(uid)
            hits.append(hit)
            if len(hits) >= limit:
                break
    cursor.close()
    return hits


def _newest_units(conn: Any, check: _Check, lang: str | None, limit: int, budget: float
                  ) -> list[ConcordanceHit] | None:
    """The hits among the newest units, read in the order the index path sorts them (units
    by date, undated last, then latest stored; a unit's variants latest first, as their ids
    follow their unit's); None as soon as ``limit`` hits would take more than ``budget``
    segments checked, by the share of hits among those checked so far."""
    hits: list[ConcordanceHit] = []
    checked = 0
    # changed DESC puts undated units (NULL) last, as the index path does
    units = conn.execute("SELECT id, origin, changed FROM tm_units "
                         "ORDER BY changed DESC, id DESC")
    while len(hits) < limit:
        batch = units.fetchmany(256)
        if not batch:
            break
        variants: dict[int, list[tuple[Any, ...]]] = {}
        for row in conn.execute(
                f"SELECT unit_id, lang, plang, text, markup FROM tm_variants WHERE unit_id IN "
                f"({','.join('?' * len(batch))}) ORDER BY id DESC", [u[0] for u in batch]):
            variants.setdefault(row[0], []).append(row)
        for uid, origin, changed in batch:
            for _, vlang, vplang, text, markup in variants.get(uid, ()):
                if lang and not covers(lang, vlang):
                    continue
                checked += 1
                hit = _hit(conn, check, uid, vlang, vplang, text, origin, changed, markup)
                if hit is not None:
                    hits.append(hit)
                    break
            if len(hits) >= limit:
                break
        found = len(hits)
        if found < limit and (checked > budget or checked >= _SAMPLE and (
                limit * checked > budget * found)):
            units.close()  # at this rate, limit hits need more than the budget
            return None
    units.close()
    return hits


def _pattern(tok: str) -> str:
    """A word of the in-order prefilter: as written, or any word it starts."""
    return re.escape(tok[:-1]) + r"[^\W_]*" if tok.endswith(_ANY) else re.escape(tok)


class _Check:
    """Whether a text holds the phrase, and where (``_spans``), with a fast first test on
    the folded text: it must hold each word of the phrase (numbers aside, which are written
    in many ways), and the words of a group in their order with only marks or spaces between
    them ("coup il se"), as the folded word tokens the full test compares are parts of it."""

    def __init__(self, groups: Groups, signs: bool) -> None:
        self.groups, self.signs = groups, signs
        words = {t.removesuffix(_ANY) for ways in groups for t in ways[0]}
        self.needles = sorted((w for w in words if w.isalpha()), key=len,
                              reverse=True)  # the longest fails soonest
        self.patterns = [re.compile(r"(?:\W|_)+".join(map(_pattern, ways[0])))
                         for ways in groups
                         if len(ways) == 1 and len(ways[0]) > 1
                         and all(t.removesuffix(_ANY).isalpha() for t in ways[0])]

    def spans(self, text: str) -> tuple[tuple[int, int], ...] | None:
        if self.needles:
            folded = fold(text)  # one pass: faster than word by word on texts seen once
            if not all(n in folded for n in self.needles):
                return None
            if not all(p.search(folded) for p in self.patterns):
                return None
        return _spans(text, self.groups, self.signs)


def _hit(conn: Any, check: _Check, uid: int, vlang: str, vplang: str, text: str,
         origin: str | None, changed: str | None, markup: str | None) -> ConcordanceHit | None:
    """The unit as a hit with ``text`` as its source, when ``text`` holds the phrase."""
    spans = check.spans(text)
    if spans is None:
        return None
    groups, signs = check.groups, check.signs
    rest = conn.execute("SELECT lang, text, markup, plang FROM tm_variants WHERE "
                        "unit_id = ? AND lang != ? ORDER BY id", (uid, vlang)).fetchall()
    other = next((r for r in rest if r[3] != vplang), None)
    tspans = (_spans(other[1], groups, signs) or ()) if other else ()
    return ConcordanceHit(uid, vlang, text, other[0] if other else None,
                          other[1] if other else None, spans, tspans, origin, changed, markup,
                          other[2] if other else None,
                          tuple((r[0], r[1]) for r in rest if r is not other))
