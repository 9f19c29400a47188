"""The translation memory: units in the SQLite store, fuzzy lookup, concordance, TMX in and out.

Tables (component ``tm``): ``tm_units`` (one row per unit, metadata as JSON), ``tm_variants``
(one row per language side: text, TMX markup, folded text, token count) and ``tm_index``, a
contentless FTS5 index (rowids only) whose terms are the folded words of each variant suffixed
with its primary language and length bucket (``garanties`` in a 9-word French segment is
``garanties<fr><8>``), so a posting list holds segments of one language and about one length.
``tm_terms`` keeps each term's document frequency, and the number of variants per language
and bucket.

Lookup never scans the memory: a match at s% shares at least s% of the longer segment's
tokens with the query, so it must have a length within bounds (``match.length_bounds``) and
contain j of the query's rarest w - need + j tokens (prefix filtering; j = 1, 2 or 3, whichever
the document frequencies make cheapest). The index is asked for exactly that, reading only
the buckets of the lengths that can match; each candidate is then scored exactly
(``match.score``). The bound holds for every score, so lookup finds every match an exhaustive
scan would.

Import runs one transaction per file: a file that fails midway leaves the store as it was.
Units with the same languages and texts are merged: the newest version's content and
metadata win, the earliest creation date and the sum of usage counts are kept, props and notes
are united, and ``seen`` counts how often the unit was imported.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import match as m
from .errors import UsageError
from .lang import normalize, primary
from .model import Match, TranslationUnit, Variant
from .store import Store

if TYPE_CHECKING:
    import sqlite_utils

COMPONENT = "tm"
_BATCH = 2000
_DEFERRED_INDEXES = ("tm_variants_plang", "tm_variants_lang", "tm_units_origin")
_DF_FLUSH = 200_000  # distinct terms kept in memory before their counts go to the store


def _v1(db: sqlite_utils.Database) -> None:
    """Version 1 of the memory's tables."""
    for sql in (
        """CREATE TABLE tm_units (
            id INTEGER PRIMARY KEY, dupkey INTEGER NOT NULL, origin TEXT, tuid TEXT,
            srclang TEXT, creationdate TEXT, creationid TEXT, changedate TEXT, changeid TEXT,
            usagecount INTEGER, seen INTEGER NOT NULL DEFAULT 1, changed TEXT,
            props TEXT, notes TEXT)""",
        "CREATE INDEX tm_units_dupkey ON tm_units(dupkey)",
        "CREATE INDEX tm_units_origin ON tm_units(origin)",
        """CREATE TABLE tm_variants (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES tm_units(id) ON DELETE CASCADE,
            lang TEXT NOT NULL, plang TEXT NOT NULL, text TEXT NOT NULL, markup TEXT,
            folded TEXT NOT NULL, ntok INTEGER NOT NULL, creationdate TEXT, creationid TEXT,
            changedate TEXT, changeid TEXT, props TEXT, notes TEXT)""",
        "CREATE INDEX tm_variants_unit ON tm_variants(unit_id)",
        "CREATE INDEX tm_variants_plang ON tm_variants(plang, ntok)",
        "CREATE INDEX tm_variants_lang ON tm_variants(lang)",
        """CREATE VIRTUAL TABLE tm_index USING fts5(body, content='', detail=none,
            tokenize='unicode61 remove_diacritics 2')""",
        "CREATE TABLE tm_terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID",
    ):
        db.conn.execute(sql)


def _v2(db: sqlite_utils.Database) -> None:
    """Version 2: index tokens carry their variant's language and length bucket.

    Posting lists then hold only segments of one language and of about one length, so a
    lookup reads the postings of the lengths that can match instead of all of them.
    """
    conn = db.conn
    conn.execute("DROP TABLE tm_index")
    conn.execute("DROP TABLE tm_terms")
    _create_index(conn)
    df: Counter[str] = Counter()
    rows = conn.execute("SELECT id, folded, plang, ntok FROM tm_variants ORDER BY id")
    while batch := rows.fetchmany(_BATCH):
        index_rows = []
        for vid, folded, plang, ntok in batch:
            body, terms = _index_body(m.tokens(folded), plang, ntok)
            df.update(terms)
            index_rows.append((vid, body))
        conn.executemany("INSERT INTO tm_index(rowid, body) VALUES (?, ?)", index_rows)
    _add_df(conn, df)
    conn.execute("INSERT INTO tm_index(tm_index) VALUES ('optimize')")


def _create_index(conn: Any) -> None:
    conn.execute("""CREATE VIRTUAL TABLE tm_index USING fts5(body, content='', detail=none,
        columnsize=0, tokenize='unicode61 remove_diacritics 2')""")
    conn.execute("CREATE TABLE tm_terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) "
                 "WITHOUT ROWID")


def _add_df(conn: Any, df: Counter[str]) -> None:
    conn.executemany("INSERT INTO tm_terms(term, df) VALUES (?, ?) "
                     "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df", df.items())


MIGRATIONS = [_v1, _v2]
SCHEMA_VERSION = len(MIGRATIONS)

_ready_stores: weakref.WeakSet[Store] = weakref.WeakSet()


def ensure_schema(store: Store) -> None:
    """Create or upgrade the memory's tables; refuses a store from a newer tmtool."""
    if store not in _ready_stores:
        store.migrate(COMPONENT, MIGRATIONS)
        _ready_stores.add(store)


# ---------------------------------------------------------------------------------------------
# import


@dataclass(frozen=True, slots=True)
class Skip:
    """A unit left out of an import, with why and where (line in the file, when known)."""

    reason: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What one import did: every unit read is added, merged or skipped (with a reason)."""

    origin: str | None
    read: int
    added: int
    merged: int
    skipped: tuple[Skip, ...] = ()

    def summary(self) -> str:
        return (f"{self.read} units read, {self.added} added, {self.merged} merged with "
                f"existing units, {len(self.skipped)} skipped")

    def as_dict(self) -> dict[str, Any]:
        return {"origin": self.origin, "read": self.read, "added": self.added,
                "merged": self.merged, "skipped": len(self.skipped),
                "skips": [{"reason": s.reason, "line": s.line} for s in self.skipped]}


def add_units(store: Store, units: Iterable[TranslationUnit], origin: str | None = None, *,
              progress: Callable[[int], None] | None = None) -> ImportReport:
    """Add ``units`` in one transaction, merging duplicates; ``origin`` overrides theirs."""
    return _Importer(store, origin, progress).run(units, [])


def import_tmx(store: Store, path: str | os.PathLike[str], *, origin: str | None = None,
               progress: Callable[[int], None] | None = None) -> ImportReport:
    """Import a TMX file in one transaction (all of it, or nothing when it proves malformed).

    ``origin`` names where the units came from (default: the file name). Units the reader
    skips are reported with its reason and line. Raises InputError or FormatError.
    """
    from .formats.tmx import read_tmx

    skips: list[Skip] = []
    units = read_tmx(path, on_skip=lambda reason, line: skips.append(Skip(reason, line)))
    importer = _Importer(store, origin or Path(path).name, progress)
    return importer.run(units, skips)


def _dupkey(variants: Sequence[Variant]) -> int:
    # Stored keys must stay as they are: the same bytes are hashed, in one update.
    data = "".join(f"{lang}\x00{text}\x01" for lang, text in sorted(
        (v.lang, v.text) for v in variants)).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


def _same_texts(a: TranslationUnit, b: TranslationUnit) -> bool:
    return sorted((v.lang, v.text) for v in a.variants) == sorted(
        (v.lang, v.text) for v in b.variants)


_NON_DIGIT = re.compile(r"\D")


def _digits(date: str) -> str:
    if len(date) == 16 and date[8] == "T" and date[15] == "Z":  # the usual TMX form
        digits = date[:8] + date[9:15]
        if digits.isdecimal():  # what ``\d`` matches
            return digits
    return _NON_DIGIT.sub("", date)[:14]


def _date_key(*dates: str | None) -> str:
    """Digits of the latest TMX/ISO date given (``20240131T120000Z`` -> ``20240131120000``)."""
    return max([_digits(d) for d in dates if d], default="")


def _changed(unit: TranslationUnit) -> str | None:
    dates = [unit.changedate, unit.creationdate]
    for v in unit.variants:
        dates += [v.changedate, v.creationdate]
    return _date_key(*dates) or None


def _union(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(a + b))


def _earliest(a: str | None, b: str | None) -> str | None:
    if a and b:
        return a if _date_key(a) <= _date_key(b) else b
    return a or b


def merge_units(old: TranslationUnit, new: TranslationUnit) -> TranslationUnit:
    """One unit from two with the same texts: the newest wins, nothing else is lost."""
    new_wins = (_changed(new) or "") >= (_changed(old) or "")
    latest, other = (new, old) if new_wins else (old, new)
    by_key = {(v.lang, v.text): v for v in other.variants}
    variants = []
    for v in latest.variants:
        o = by_key.get((v.lang, v.text))
        if o is not None:
            v = replace(v, markup=v.markup if v.markup is not None else o.markup,
                        props=_union(v.props, o.props), notes=_union(v.notes, o.notes),
                        creationdate=_earliest(v.creationdate, o.creationdate),
                        creationid=v.creationid or o.creationid,
                        changedate=v.changedate or o.changedate, changeid=v.changeid or o.changeid)
        variants.append(v)
    usage = None
    if old.usagecount is not None or new.usagecount is not None:
        usage = (old.usagecount or 0) + (new.usagecount or 0)
    return replace(
        latest, variants=tuple(variants), tuid=latest.tuid or other.tuid,
        srclang=latest.srclang or other.srclang, props=_union(latest.props, other.props),
        notes=_union(latest.notes, other.notes),
        creationdate=_earliest(latest.creationdate, other.creationdate),
        creationid=latest.creationid or other.creationid,
        changedate=latest.changedate or other.changedate,
        changeid=latest.changeid or other.changeid, usagecount=usage,
        origin=latest.origin or other.origin)


def _json(items: tuple[Any, ...]) -> str | None:
    return json.dumps([list(i) if isinstance(i, tuple) else i for i in items],
                      ensure_ascii=False) if items else None


def _unjson_props(text: str | None) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in json.loads(text)) if text else ()


def _unjson_notes(text: str | None) -> tuple[str, ...]:
    return tuple(json.loads(text)) if text else ()


_LOG_STEP = math.log(1.2)


def _bucket(ntok: int) -> int:
    """Length bucket of a segment: exact up to 6 tokens, then steps of 20%."""
    return ntok if ntok <= 6 else 7 + int(math.log(ntok / 7) / _LOG_STEP + 1e-9)


def _buckets(lo: int, hi: int) -> list[int]:
    return list(range(_bucket(lo), _bucket(max(lo, hi)) + 1))


# Private-use characters are token characters for unicode61 and never come from folding
# ordinary text, so a suffixed token cannot be mistaken for a word.
_LANG_MARK, _BUCKET_MARK = "\ue002", "\ue003"


@lru_cache(maxsize=256)
def _lang_part(plang: str) -> str:
    return f"{_LANG_MARK}{re.sub(r'[^a-z0-9]', '', plang)}{_BUCKET_MARK}"


@lru_cache(maxsize=4096)
def _suffix(plang: str, bucket: int) -> str:
    return f"{_lang_part(plang)}{bucket}"


@lru_cache(maxsize=4096)
def _count_term(plang: str, bucket: int) -> str:
    """The tm_terms row counting the variants of one language and bucket (never indexed)."""
    return f"\ue000{_suffix(plang, bucket)}"


def _index_body(toks: list[str], plang: str, ntok: int) -> tuple[str, list[str]]:
    """The text the index gets for one variant, and the terms whose counts it raises."""
    b = _bucket(ntok)
    suffix = _suffix(plang, b)
    distinct = [t + suffix for t in set(toks)]
    distinct.append(_count_term(plang, b))
    return " ".join([t + suffix for t in toks]), distinct


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


_Analysed = tuple[str, list[str], str]  # folded text, tokens, primary language of a variant
_Prepared = tuple[TranslationUnit, int, list[_Analysed]]


class _Importer:
    """Streams units into the store in batches inside one transaction."""

    def __init__(self, store: Store, origin: str | None,
                 progress: Callable[[int], None] | None) -> None:
        self.store = store
        self.origin = origin
        self.progress = progress
        self.df: Counter[str] = Counter()
        self.read = self.added = self.merged = self.own_skips = 0
        self.langs: dict[str, tuple[str, str]] = {}  # tag as given -> (normalised, primary)

    def run(self, units: Iterable[TranslationUnit], skips: list[Skip]) -> ImportReport:
        ensure_schema(self.store)
        conn = self.store.conn
        conn.execute("PRAGMA cache_size = -32768")
        with self.store.transaction():
            self.next_unit = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM tm_units"
                                          ).fetchone()[0]
            self.next_var = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM tm_variants"
                                         ).fetchone()[0]
            deferred: list[str] = []
            if self.next_var == 1:
                # Filling an empty memory: indexes the import never reads are built once at
                # the end (sorting is cheaper than inserting row by row), in this transaction.
                rows = conn.execute(
                    f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN "
                    f"({','.join('?' * len(_DEFERRED_INDEXES))})", _DEFERRED_INDEXES).fetchall()
                for name, sql in rows:
                    conn.execute(f"DROP INDEX {name}")
                    deferred.append(sql)
            batch: list[_Prepared] = []
            for unit in units:
                self.read += 1
                if not any(v.text.strip() for v in unit.variants):
                    skips.append(Skip(f"unit {unit.tuid!r} has no text" if unit.tuid
                                      else "unit has no text"))
                    self.own_skips += 1
                    continue
                batch.append(self._prepare(unit))
                if len(batch) >= _BATCH:
                    self._flush(batch)
                    batch = []
                    if self.progress:
                        self.progress(self.read + len(skips) - self.own_skips)
            self._flush(batch)
            self._flush_df()
            for sql in deferred:
                conn.execute(sql)
            if self.added > (self.next_unit - self.added) // 4:
                # A large import: merge the index into one segment, which lookups read faster.
                conn.execute("INSERT INTO tm_index(tm_index) VALUES ('optimize')")
        # Units the reader skipped never reached us: count them as read too.
        read = self.read + len(skips) - self.own_skips
        if self.progress:
            self.progress(read)
        return ImportReport(self.origin, read, self.added, self.merged, tuple(skips))

    def _lang(self, tag: str) -> tuple[str, str]:
        known = self.langs.get(tag)
        if known is None:
            norm = normalize(tag)
            known = self.langs[tag] = (norm, primary(norm))
        return known

    def _prepare(self, unit: TranslationUnit) -> _Prepared:
        """The unit with normalised language tags, its duplicate key and analysed texts."""
        langs = [self._lang(v.lang) for v in unit.variants]
        if any(a[0] != v.lang for a, v in zip(langs, unit.variants, strict=True)):
            unit = replace(unit, variants=tuple(
                v if a[0] == v.lang else replace(v, lang=a[0])
                for a, v in zip(langs, unit.variants, strict=True)))
        analysed = []
        for v, (_, plang) in zip(unit.variants, langs, strict=True):
            folded, toks = m.analyse(v.text)
            analysed.append((folded, toks, plang))
        return unit, _dupkey(unit.variants), analysed

    def _flush(self, batch: list[_Prepared]) -> None:
        if not batch:
            return
        conn = self.store.conn
        existing: dict[int, list[int]] = {}
        distinct = list({key for _, key, _ in batch})
        for i in range(0, len(distinct), 500):
            chunk = distinct[i:i + 500]
            for uid, key in conn.execute(
                    f"SELECT id, dupkey FROM tm_units WHERE dupkey IN "
                    f"({','.join('?' * len(chunk))})", chunk):
                existing.setdefault(key, []).append(uid)
        pending: dict[int, list[int]] = {}  # dupkey -> positions in `fresh`
        fresh: list[_Prepared] = []
        seen: list[int] = []
        for item in batch:
            unit, key, _ = item
            if key in existing and self._merge_stored(existing[key], unit):
                self.merged += 1
                continue
            for pos in pending.get(key, ()):
                if _same_texts(fresh[pos][0], unit):
                    old = fresh[pos]
                    fresh[pos] = (merge_units(old[0], unit), old[1], old[2])
                    seen[pos] += 1
                    self.merged += 1
                    break
            else:
                pending.setdefault(key, []).append(len(fresh))
                fresh.append(item)
                seen.append(1)
        self._insert(fresh, seen)

    def _insert(self, items: list[_Prepared], seen: list[int]) -> None:
        unit_rows, var_rows, index_rows = [], [], []
        count_terms = self.df.update
        for (unit, key, analysed), count in zip(items, seen, strict=True):
            uid = self.next_unit
            self.next_unit += 1
            unit_rows.append((uid, key, self.origin or unit.origin, unit.tuid, unit.srclang,
                              unit.creationdate, unit.creationid, unit.changedate, unit.changeid,
                              unit.usagecount, count, _changed(unit), _json(unit.props),
                              _json(unit.notes)))
            for v, (folded, toks, plang) in zip(unit.variants, analysed, strict=True):
                vid = self.next_var
                self.next_var += 1
                body, terms = _index_body(toks, plang, len(toks))
                count_terms(terms)
                var_rows.append((vid, uid, v.lang, plang, v.text, v.markup, folded, len(toks),
                                 v.creationdate, v.creationid, v.changedate, v.changeid,
                                 _json(v.props), _json(v.notes)))
                index_rows.append((vid, body))
        conn = self.store.conn
        conn.executemany("INSERT INTO tm_units VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", unit_rows)
        conn.executemany("INSERT INTO tm_variants VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", var_rows)
        conn.executemany("INSERT INTO tm_index(rowid, body) VALUES (?, ?)", index_rows)
        self.added += len(unit_rows)
        if len(self.df) > _DF_FLUSH:
            self._flush_df()

    def _flush_df(self) -> None:
        _add_df(self.store.conn, self.df)
        self.df.clear()

    def _merge_stored(self, ids: list[int], unit: TranslationUnit) -> bool:
        """Merge ``unit`` into the stored unit with the same texts, if there is one."""
        for uid in ids:
            stored, seen = _load_unit(self.store, uid)
            if not _same_texts(stored, unit):
                continue  # a hash collision: a different unit
            merged = merge_units(stored, replace(unit, origin=self.origin or unit.origin))
            conn = self.store.conn
            conn.execute(
                "UPDATE tm_units SET origin=?, tuid=?, srclang=?, creationdate=?, creationid=?, "
                "changedate=?, changeid=?, usagecount=?, seen=?, changed=?, props=?, notes=? "
                "WHERE id=?",
                (merged.origin, merged.tuid, merged.srclang, merged.creationdate,
                 merged.creationid, merged.changedate, merged.changeid, merged.usagecount,
                 seen + 1, _changed(merged), _json(merged.props), _json(merged.notes), uid))
            vids = {(lang, text): vid for vid, lang, text in conn.execute(
                "SELECT id, lang, text FROM tm_variants WHERE unit_id = ?", (uid,))}
            for v in merged.variants:
                conn.execute(
                    "UPDATE tm_variants SET markup=?, creationdate=?, creationid=?, changedate=?, "
                    "changeid=?, props=?, notes=? WHERE id=?",
                    (v.markup, v.creationdate, v.creationid, v.changedate, v.changeid,
                     _json(v.props), _json(v.notes), vids[(v.lang, v.text)]))
            return True
        return False


_UNIT_COLS = ("u.id, u.origin, u.tuid, u.srclang, u.creationdate, u.creationid, u.changedate, "
              "u.changeid, u.usagecount, u.seen, u.props, u.notes")
_VAR_COLS = ("v.lang, v.text, v.markup, v.creationdate, v.creationid, v.changedate, v.changeid, "
             "v.props, v.notes")


def _variant(row: Sequence[Any]) -> Variant:
    return Variant(lang=row[0], text=row[1], markup=row[2], creationdate=row[3],
                   creationid=row[4], changedate=row[5], changeid=row[6],
                   props=_unjson_props(row[7]), notes=_unjson_notes(row[8]))


def _unit(row: Sequence[Any], variants: tuple[Variant, ...]) -> TranslationUnit:
    return TranslationUnit(variants=variants, tuid=row[2], srclang=row[3], creationdate=row[4],
                           creationid=row[5], changedate=row[6], changeid=row[7],
                           usagecount=row[8], props=_unjson_props(row[10]),
                           notes=_unjson_notes(row[11]), origin=row[1])


def _load_unit(store: Store, uid: int) -> tuple[TranslationUnit, int]:
    row = store.conn.execute(f"SELECT {_UNIT_COLS} FROM tm_units u WHERE u.id = ?",
                             (uid,)).fetchone()
    variants = tuple(_variant(r) for r in store.conn.execute(
        f"SELECT {_VAR_COLS} FROM tm_variants v WHERE v.unit_id = ? ORDER BY v.id", (uid,)))
    return _unit(row, variants), row[9]


def get_unit(store: Store, unit_id: int) -> TranslationUnit | None:
    """One stored unit by id (as TMX would carry it), or None."""
    ensure_schema(store)
    if store.conn.execute("SELECT 1 FROM tm_units WHERE id = ?", (unit_id,)).fetchone() is None:
        return None
    return _load_unit(store, unit_id)[0]


def iter_units(store: Store, *, src: str | None = None, tgt: str | None = None,
               since: str | None = None, origin: str | None = None
               ) -> Iterator[TranslationUnit]:
    """Stored units in import order, filtered as ``export_tmx`` describes."""
    ensure_schema(store)
    where, params = [], []
    langs = [primary(x) for x in (src, tgt) if x]
    for p in langs:
        where.append("u.id IN (SELECT unit_id FROM tm_variants WHERE plang = ?)")
        params.append(p)
    if since:
        where.append("u.changed >= ?")
        params.append(_since_key(since))
    if origin is not None:
        where.append("u.origin = ?")
        params.append(origin)
    if langs and src and tgt:
        where.append(f"v.plang IN ({','.join('?' * len(langs))})")
        params.extend(langs)
    sql = (f"SELECT {_UNIT_COLS}, {_VAR_COLS} FROM tm_units u JOIN tm_variants v "
           f"ON v.unit_id = u.id {'WHERE ' + ' AND '.join(where) if where else ''} "
           f"ORDER BY u.id, v.id")
    current: Sequence[Any] | None = None
    variants: list[Variant] = []
    for row in store.conn.execute(sql, params):
        if current is not None and row[0] != current[0]:
            yield _unit(current, tuple(variants))
            variants = []
        current = row
        variants.append(_variant(row[12:]))
    if current is not None:
        yield _unit(current, tuple(variants))


def _since_key(since: str) -> str:
    digits = re.sub(r"\D", "", since)
    if len(digits) < 8 or not re.fullmatch(r"\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d*",
                                           digits):
        raise UsageError(f"--since {since!r}: expected a date such as 2024-01-31 "
                         "or 20240131T120000Z")
    return digits[:14]


def export_tmx(store: Store, path: str | os.PathLike[str], *, src: str | None = None,
               tgt: str | None = None, since: str | None = None,
               origin: str | None = None) -> int:
    """Write stored units as TMX 1.4b (markup restored) and return how many were written.

    ``src``/``tgt`` keep units having both languages (by primary language) and only those two
    variants; ``since`` keeps units changed on or after a date; ``origin`` the units of one
    import. The file appears atomically.
    """
    from .formats.tmx import write_tmx

    ensure_schema(store)
    srclang = "*all*"
    if src:
        row = store.conn.execute(
            "SELECT lang FROM tm_variants WHERE plang = ? GROUP BY lang ORDER BY count(*) DESC "
            "LIMIT 1", (primary(src),)).fetchone()
        srclang = row[0] if row else normalize(src)
    units = iter_units(store, src=src, tgt=tgt, since=since, origin=origin)
    props = [("x-tmtool-filter", f"src={src} tgt={tgt} since={since} origin={origin}")] if (
        src or tgt or since or origin) else []
    return write_tmx(path, units, srclang=srclang, header_props=props)


# ---------------------------------------------------------------------------------------------
# lookup


def lookup(store: Store, text: str, *, src: str = "fr", tgt: str = "en",
           min_score: float = 70, limit: int = 5, markup: str | None = None) -> list[Match]:
    """The best ``limit`` units whose ``src`` side scores at least ``min_score`` against
    ``text``, best first, each with its ``tgt`` side (exact tag preferred, else the same
    primary language). Finds every match an exhaustive scan would."""
    if not 0 <= min_score <= 100:
        raise UsageError(f"minimum score {min_score} is not between 0 and 100")
    if limit < 1:
        raise UsageError(f"limit {limit} must be at least 1")
    ensure_schema(store)
    query = m.prepare(text, markup)
    psrc, ptgt = primary(src), primary(tgt)
    src_tag, tgt_tag = normalize(src).lower(), normalize(tgt).lower()
    # Word scores first, from the folded text alone; then, best word score first, whole rows
    # and final scores, until no remaining word score can beat the current top ``limit``
    # (penalties only lower a score).
    passed = []
    for vid, folded in _candidates(store, query, psrc, min_score):
        base = m.key_score(query.keys, m.keys(folded), min_score)
        if base is not None:
            passed.append((base, vid))
    passed.sort(reverse=True)
    best_of: dict[int, tuple[float, bool, bool, str, int, Match]] = {}  # unit -> best entry
    step = max(2 * limit, 32)
    for i in range(0, len(passed), step):
        if len(best_of) >= limit:
            kth = sorted((e[0] for e in best_of.values()), reverse=True)[limit - 1]
            if passed[i][0] < kth:
                break
        chunk = [vid for _, vid in passed[i:i + step]]
        hits = []
        for vid, uid, lang, vtext, vmarkup, folded, plang in store.conn.execute(
                f"SELECT id, unit_id, lang, text, markup, folded, plang FROM tm_variants "
                f"WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            if plang != psrc:
                continue
            if psrc == ptgt and lang.lower() == tgt_tag:  # en-US -> en-GB: never the target
                continue
            result = m.score(query, m.prepare(vtext, vmarkup, folded), min_score)
            if result is not None:
                hits.append((result[0], result[1], uid, vid, lang, vtext))
        targets = _targets(store, [h[2] for h in hits], ptgt, tgt_tag)
        for score, pens, uid, vid, lang, vtext in hits:
            target = next((t for t in targets.get(uid, ()) if t[0] != vid), None)
            if target is None:
                continue
            _, ttext, exact_tgt, origin, changed = target
            entry = (score, lang.lower() == src_tag, exact_tgt, changed or "", uid,
                     Match(score, vtext, ttext, uid, pens, origin))
            # A unit with two variants in the source language counts once, by its best.
            if uid not in best_of or entry[:5] > best_of[uid][:5]:
                best_of[uid] = entry
    ranked = sorted(best_of.values(), key=lambda r: r[:5], reverse=True)
    # Best score first; among equals, exact language tags, then the newest unit.
    return [r[5] for r in ranked[:limit]]


def _targets(store: Store, unit_ids: list[int], ptgt: str, tgt_tag: str
             ) -> dict[int, list[tuple[int, str, bool, str | None, str | None]]]:
    out: dict[int, list[tuple[int, str, bool, str | None, str | None]]] = {}
    ids = list(dict.fromkeys(unit_ids))
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for vid, uid, lang, text, origin, changed in store.conn.execute(
                f"SELECT v.id, v.unit_id, v.lang, v.text, u.origin, u.changed FROM tm_variants v "
                f"JOIN tm_units u ON u.id = v.unit_id WHERE +v.plang = ? AND v.unit_id IN "
                f"({','.join('?' * len(chunk))})", [ptgt, *chunk]):
            out.setdefault(uid, []).append((vid, text, lang.lower() == tgt_tag, origin, changed))
    for rows in out.values():
        rows.sort(key=lambda r: (not r[2], r[0]))  # exact tag first, then in stored order
    return out


def _candidates(store: Store, query: m.Prepared, plang: str, min_score: float
                ) -> Iterator[tuple[int, str]]:
    """(id, folded text) of the variants that may score ``min_score`` (see the module
    docstring); the caller checks their language and scores them."""
    conn = store.conn
    lo, hi = m.length_bounds(len(query.keys), min_score)
    if m.required_words(query, min_score) <= 0:  # mostly numbers: only the length bound helps
        yield from conn.execute("SELECT v.id, v.folded FROM tm_variants v WHERE v.plang = ? "
                                "AND v.ntok BETWEEN ? AND ?", (plang, lo, hi))
        return
    buckets = _buckets(lo, hi)
    suffixes = [_suffix(plang, b) for b in buckets]
    words = list(dict.fromkeys(k for k in query.keys if k != m.NUMBER))
    wanted = [w + sfx for w in words for sfx in suffixes]
    wanted += [_count_term(plang, b) for b in buckets]
    df: dict[str, int] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i:i + 500]
        df.update(conn.execute(f"SELECT term, df FROM tm_terms WHERE term IN "
                               f"({','.join('?' * len(chunk))})", chunk).fetchall())
    total = sum(df.get(_count_term(plang, b), 0) for b in buckets)
    terms = {w: [w + sfx for sfx in suffixes if w + sfx in df] for w in words}
    expr = _token_expr(query, min_score, df, terms, total)
    if expr is None:
        return
    for vid, folded, ntok in conn.execute(
            "SELECT v.id, v.folded, v.ntok FROM tm_index JOIN tm_variants v "
            "ON v.id = tm_index.rowid WHERE tm_index MATCH ?", (expr,)):
        if lo <= ntok <= hi:  # buckets are coarser than the bounds
            yield vid, folded


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
        if math.comb(len(pool), j) > 300:
            break
        groups = {frozenset(c) for c in combinations(pool, j)}
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
        word = " OR ".join(_quote(t) for t in terms[first])
        if all(rests):
            parts.append(f"(({word}) AND ({_factored(rests, terms)}))")
        else:  # the word alone suffices
            parts.append(f"({word})")
    return " OR ".join(parts)


# ---------------------------------------------------------------------------------------------
# concordance


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


def _parse_phrase(phrase: str) -> list[tuple[list[str], bool]]:
    """Groups of folded tokens that must occur consecutively; the flag marks a final ``*``.

    Plain text is one phrase; with double quotes, each quoted part is a phrase and each other
    word must occur on its own.
    """
    parts: list[str] = []
    if '"' in phrase:
        parts = [p for p in re.findall(r'"([^"]*)"', phrase) if p.strip()]
        parts += re.sub(r'"[^"]*"?', " ", phrase).split()
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
                start = t + (_lang_part(plang) if plang else _LANG_MARK)
            df = conn.execute("SELECT coalesce(sum(df), 0) FROM tm_terms WHERE term >= ? AND "
                              "term < ?", (start, start + "\U0010ffff")).fetchone()[0]
            if not df:
                return None
            counted.append((df, start))
    counted.sort()
    # The rarest words decide; common ones would only make the index read long lists.
    return " AND ".join(f"{_quote(start)}*" for _, start in dict.fromkeys(counted[:3]))


def concordance(store: Store, phrase: str, *, lang: str | None = None,
                limit: int = 50) -> list[ConcordanceHit]:
    """Units containing ``phrase`` (accent-, case- and typography-insensitive), latest stored
    first.

    The words of ``phrase`` must occur together in that order; a final ``*`` matches any word
    starting with the last one; ``"quoted parts"`` with other words require each part and word.
    ``lang`` limits the search to one language (by primary subtag); both otherwise.
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
    cursor = conn.execute("SELECT rowid FROM tm_index WHERE tm_index MATCH ? ORDER BY rowid DESC",
                          (expr,))
    while len(hits) < limit:
        ids = [r[0] for r in cursor.fetchmany(200)]
        if not ids:
            break
        rows = conn.execute(
            f"SELECT v.id, v.unit_id, v.lang, v.plang, v.text, u.origin, u.changed "
            f"FROM tm_variants v JOIN tm_units u ON u.id = v.unit_id "
            f"WHERE v.id IN ({','.join('?' * len(ids))}) ORDER BY v.id DESC", ids).fetchall()
        for _, uid, vlang, vplang, text, origin, changed in rows:
            if uid in seen or (plang and vplang != plang):
                continue
            spans = _spans(text, groups)
            if spans is None:
                continue
            seen.add(uid)
            other = conn.execute("SELECT lang, text FROM tm_variants WHERE unit_id = ? AND "
                                 "plang != ? ORDER BY id LIMIT 1", (uid, vplang)).fetchone()
            tspans = (_spans(other[1], groups) or ()) if other else ()
            hits.append(ConcordanceHit(uid, vlang, text, other[0] if other else None,
                                       other[1] if other else None, spans, tspans, origin,
                                       changed))
            if len(hits) >= limit:
                break
    cursor.close()
    return hits


# ---------------------------------------------------------------------------------------------
# stats


def stats(store: Store) -> dict[str, Any]:
    """Counts a user wants to see: units, languages, origins, merges, dates, schema version."""
    ensure_schema(store)
    conn = store.conn
    units, seen = conn.execute("SELECT count(*), coalesce(sum(seen), 0) FROM tm_units").fetchone()
    variants = conn.execute("SELECT count(*) FROM tm_variants").fetchone()[0]
    langs = dict(conn.execute("SELECT lang, count(*) FROM tm_variants GROUP BY lang "
                              "ORDER BY count(*) DESC, lang"))
    origins = dict(conn.execute("SELECT coalesce(origin, ''), count(*) FROM tm_units "
                                "GROUP BY origin ORDER BY count(*) DESC, origin"))
    oldest, newest = conn.execute("SELECT min(changed), max(changed) FROM tm_units").fetchone()
    size = os.path.getsize(store.path) if store.path.exists() else 0
    return {"path": str(store.path), "schema_version": store.version(COMPONENT), "units": units,
            "variants": variants, "duplicates_merged": seen - units, "languages": langs,
            "origins": origins, "oldest_change": _iso(oldest), "newest_change": _iso(newest),
            "size_bytes": size}


def _iso(key: str | None) -> str | None:
    if not key:
        return None
    d = key.ljust(14, "0")
    return f"{d[0:4]}-{d[4:6]}-{d[6:8]}T{d[8:10]}:{d[10:12]}:{d[12:14]}Z"
