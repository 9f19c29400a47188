"""The translation memory in the store: its tables, TMX import and export, statistics.

Tables (component ``tm``): ``tm_units`` (one row per unit, metadata as JSON), ``tm_variants``
(one row per language side: text, TMX markup, match keys, token count) and ``tm_index``, a
contentless FTS5 index (rowids only) of each variant's words suffixed with its language and
length bucket (see ``tmrows``); ``tm_terms`` keeps each index term's document frequency, and
the number of variants per language and bucket. ``fuzzy`` and ``concordance`` query them.
``tm_units.origin`` names the import whose version of a unit won; ``tm_unit_origins`` the other
imports that brought it, and ``tm_origins`` the header props and notes of each import.

Import runs one transaction per file: a file that fails midway leaves the store as it was.
Units with the same languages, texts and inline codes are merged: the newest version's content
and metadata win, the earliest creation date and the highest usage count are kept, props of a
type the newest lacks are added, notes are united, and ``seen`` counts how often the unit was
imported.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import warnings
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import match as m
from . import tmrows as rows_
from .errors import TmtoolWarning, UsageError
from .lang import checked, covers, covers_sql, is_tag, normalize, primary
from .model import TranslationUnit, Variant
from .store import Store
from .tmrows import Item, Skip

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["COMPONENT", "MIGRATIONS", "SCHEMA_VERSION", "DeleteReport", "ImportReport", "Skip",
           "add_units", "delete_units", "ensure_schema", "export_tmx", "get_unit", "has_language",
           "import_tmx", "iter_units", "stats"]

COMPONENT = "tm"
_DEFERRED_INDEXES = ("tm_variants_plang", "tm_variants_lang", "tm_units_origin",
                     "tm_units_changed")
_INDEX_HASH_BYTES = 8 << 20
_DF_FLUSH = 50_000  # distinct terms kept in memory before their counts go to the store
_LAST_UNIT_ID = "tm.last_unit_id"  # meta: the highest unit id ever given, once deleted


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
    lookup reads the postings of the lengths that can match instead of all of them. Variants
    keep their match keys (``match.keys``, space-separated) instead of their folded text: the
    keys are what every candidate is first checked on.
    """
    conn = db.conn
    conn.execute("DROP TABLE tm_index")
    conn.execute("DROP TABLE tm_terms")
    conn.execute("ALTER TABLE tm_variants RENAME COLUMN folded TO keys")
    _create_index(conn)
    last = 0
    while batch := conn.execute("SELECT id, keys, plang, ntok FROM tm_variants WHERE id > ? "
                                "ORDER BY id LIMIT ?", (last, rows_.BATCH)).fetchall():
        index_rows, key_rows = [], []
        for vid, folded, plang, _ in batch:
            toks = m.tokens(folded)  # stored as an import stores them (tmrows.Preparer)
            keys = m.keys_text(folded)
            index_rows.append((vid, rows_.index_body(" ".join(toks), plang,
                                                     rows_.ntokens(keys))))
            key_rows.append((keys, vid))
        conn.executemany("INSERT INTO tm_index(rowid, body) VALUES (?, ?)", index_rows)
        conn.executemany("UPDATE tm_variants SET keys = ? WHERE id = ?", key_rows)
        last = batch[-1][0]
    _count_terms(conn)
    conn.execute("INSERT INTO tm_index(tm_index) VALUES ('optimize')")


def _create_index(conn: Any) -> None:
    # The terms are made (folded, suffixed) before they reach the index; the ascii tokenizer
    # only splits them at the spaces, so the index holds exactly the strings tm_terms counts.
    conn.execute("""CREATE VIRTUAL TABLE tm_index USING fts5(body, content='', detail=none,
        columnsize=0, tokenize='ascii')""")
    conn.execute("CREATE TABLE tm_terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) "
                 "WITHOUT ROWID")


def _count_terms(conn: Any) -> None:
    """Fill tm_terms from the index itself: one pass over it, faster than counting every
    term of every variant when much of the memory is new."""
    conn.execute("DELETE FROM tm_terms")
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.tm_vocab "
                 "USING fts5vocab(main, tm_index, 'row')")
    conn.execute("INSERT INTO tm_terms(term, df) SELECT term, doc FROM temp.tm_vocab")
    conn.execute("DROP TABLE temp.tm_vocab")
    counts: Counter[str] = Counter()
    for plang, ntok, n in conn.execute("SELECT plang, ntok, count(*) FROM tm_variants "
                                       "GROUP BY plang, ntok"):
        counts[rows_.count_term(plang, rows_.bucket(ntok))] += n
    _add_df(conn, counts)


def _add_df(conn: Any, df: Counter[str]) -> None:
    conn.executemany("INSERT INTO tm_terms(term, df) VALUES (?, ?) "
                     "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df", df.items())


def _v3(db: sqlite_utils.Database) -> None:
    """Version 3: a unit's inline codes are part of what makes it a duplicate.

    Keys of units without inline codes are unchanged; the others are computed again.
    """
    conn = db.conn
    last = 0
    while ids := [r[0] for r in conn.execute(
            "SELECT DISTINCT unit_id FROM tm_variants WHERE markup IS NOT NULL AND markup != '' "
            "AND unit_id > ? ORDER BY unit_id LIMIT 500", (last,))]:
        _new_dupkeys(conn, ids)
        last = ids[-1]


def _new_dupkeys(conn: Any, ids: list[int]) -> None:
    """Compute again the duplicate keys of the units ``ids`` (at most 500) from their sides."""
    sides: dict[int, list[tuple[str, str, str]]] = {}
    for uid, lang, text, markup in conn.execute(
            f"SELECT unit_id, lang, text, markup FROM tm_variants WHERE unit_id IN "
            f"({','.join('?' * len(ids))})", ids):
        sides.setdefault(uid, []).append((lang, text, markup or ""))
    conn.executemany("UPDATE tm_units SET dupkey = ? WHERE id = ?",
                     [(rows_.dupkey(s), uid) for uid, s in sides.items()])


def _v4(db: sqlite_utils.Database) -> None:
    """Version 4: the props and notes of each imported file's header, kept by origin.

    A TMX header's props and notes describe the whole file (Trados writes its field
    definitions there); export gives back those of the origins it writes.
    """
    db.conn.execute("CREATE TABLE tm_origins (origin TEXT PRIMARY KEY, props TEXT, notes TEXT)")


def _v5(db: sqlite_utils.Database) -> None:
    """Version 5: a number written with separators ("1 000", "3,5") is one match key.

    The keys and key counts of the variants holding one are computed again; a variant whose
    count moves to another length bucket is indexed again under it, and the term counts
    follow.
    """
    conn = db.conn
    df: Counter[str] = Counter()
    last = 0
    while batch := conn.execute("SELECT id, text, plang, keys, ntok FROM tm_variants "
                                "WHERE id > ? ORDER BY id LIMIT ?",
                                (last, rows_.BATCH)).fetchall():
        last = batch[-1][0]
        for vid, text, plang, old_keys, old_ntok in batch:
            if "#" not in old_keys:  # keys of a text without digits cannot change
                continue
            toks, keys = m.stored_keys(text)
            ntok = rows_.ntokens(keys)
            if (keys, ntok) == (old_keys, old_ntok):
                continue
            conn.execute("UPDATE tm_variants SET keys = ?, ntok = ? WHERE id = ?",
                         (keys, ntok, vid))
            if rows_.bucket(ntok) == rows_.bucket(old_ntok):
                continue  # same index terms
            _reindexed(conn, vid, plang, (rows_.index_body(toks, plang, old_ntok), old_ntok),
                       (rows_.index_body(toks, plang, ntok), ntok), df)
    _add_df(conn, Counter({t: n for t, n in df.items() if n}))


def _reindexed(conn: Any, vid: int, plang: str, old: tuple[str, int], new: tuple[str, int],
               df: Counter[str]) -> None:
    """Move a variant in the index from its old (body, token count) to its new one; ``df``
    gathers the changes of the term counts."""
    conn.execute("INSERT INTO tm_index(tm_index, rowid, body) VALUES ('delete', ?, ?)",
                 (vid, old[0]))
    conn.execute("INSERT INTO tm_index(rowid, body) VALUES (?, ?)", (vid, new[0]))
    df.subtract(rows_.index_terms(old[0], plang, old[1]))
    df.update(rows_.index_terms(new[0], plang, new[1]))


def _v6(db: sqlite_utils.Database) -> None:
    """Version 6: the other TMX attributes of units and variants (``lastusagedate``, a unit's
    creation tool...), as JSON pairs, written back by export."""
    db.conn.execute("ALTER TABLE tm_units ADD COLUMN attrs TEXT")
    db.conn.execute("ALTER TABLE tm_variants ADD COLUMN attrs TEXT")


EARLIER_IMPORTS = "(earlier imports)"  # the origins of units merged before version 7


def _v7(db: sqlite_utils.Database) -> None:
    """Version 7: every import a unit came from. ``tm_units.origin`` names the one whose
    version won; the others a merge met are kept here, so taking an import back (``tm delete
    --origin``) keeps the units another import brought too."""
    db.conn.execute("""CREATE TABLE tm_unit_origins (
        unit_id INTEGER NOT NULL REFERENCES tm_units(id) ON DELETE CASCADE,
        origin TEXT NOT NULL, UNIQUE (unit_id, origin))""")
    db.conn.execute("CREATE INDEX tm_unit_origins_origin ON tm_unit_origins(origin)")
    # Which imports a merged unit came from was not kept before: deleting its import must
    # not take it, so it counts as brought by earlier imports too.
    db.conn.execute("INSERT INTO tm_unit_origins(unit_id, origin) SELECT id, ? FROM tm_units "
                    "WHERE seen > 1 AND origin IS NOT NULL", (EARLIER_IMPORTS,))


def _v8(db: sqlite_utils.Database) -> None:
    """Version 8: the file each origin's units were last imported from, so that two files of
    one name (every CAT tool's "export.tmx") are not silently made one origin."""
    db.conn.execute("ALTER TABLE tm_origins ADD COLUMN source TEXT")


def _v9(db: sqlite_utils.Database) -> None:
    """Version 9: a ``<ph>`` placeholder between two words separates them in the plain text
    (``formats.tmx.seg_content``). The variants holding one are read again from their markup
    (``_reread``). Dates stored in ISO 8601 are rewritten in TMX's form (``_tmx_dates``)."""
    from .formats.tmx import seg_content

    _reread(db.conn, "%<ph%", lambda seg, markup: (seg_content(seg)[0], markup))
    _tmx_dates(db.conn)


def _v10(db: sqlite_utils.Database) -> None:
    """Version 10: inline markup off TMX 1.4 (XLIFF's ``<x/>``, a ``<bpt>`` without its
    ``<ept>``, a namespace declaration) is repaired as an import now repairs it, so that the
    stored form is the one an export writes and a re-import merges with."""
    from .formats.tmx import repaired_content

    _reread(db.conn, "%<%", lambda seg, markup: repaired_content(seg) or (None, markup))


def _v11(db: sqlite_utils.Database) -> None:
    """Version 11: units by date, newest first without sorting the memory: a concordance of
    common words reads the newest units until it has enough (``concordance``), and --since
    selects without a full scan."""
    db.conn.execute("CREATE INDEX IF NOT EXISTS tm_units_changed ON tm_units(changed)")


def _reread(conn: Any, like: str, read: Callable[[Any, str], tuple[str | None, str | None]]
            ) -> None:
    """Read again the variants whose markup is ``LIKE like``: ``read(seg, markup)`` gives
    their (text, markup) now (None: the text as stored). Where the text changes, so do its
    keys, index terms and term counts; where either changes, its unit's duplicate key."""
    from lxml import etree

    from .formats.xml import secure_parser

    parser = secure_parser()
    df: Counter[str] = Counter()
    units: set[int] = set()
    last = 0
    while batch := conn.execute("SELECT id, unit_id, plang, text, markup, ntok FROM tm_variants "
                                "WHERE id > ? AND markup LIKE ? ORDER BY id LIMIT ?",
                                (last, like, rows_.BATCH)).fetchall():
        last = batch[-1][0]
        for vid, uid, plang, text, markup, ntok in batch:
            try:
                new, new_markup = read(etree.fromstring(f"<seg>{markup}</seg>", parser), markup)
            except etree.XMLSyntaxError:
                continue  # markup tmtool did not write: the text stays as stored
            new = text if new is None else new
            if new == text and new_markup == markup:
                continue
            units.add(uid)
            if new == text:
                conn.execute("UPDATE tm_variants SET markup = ? WHERE id = ?", (new_markup, vid))
                continue
            toks, keys = m.stored_keys(new)
            new_ntok = rows_.ntokens(keys)
            conn.execute("UPDATE tm_variants SET text = ?, markup = ?, keys = ?, ntok = ? "
                         "WHERE id = ?", (new, new_markup, keys, new_ntok, vid))
            _reindexed(conn, vid, plang,
                       (rows_.index_body(m.stored_keys(text)[0], plang, ntok), ntok),
                       (rows_.index_body(toks, plang, new_ntok), new_ntok), df)
    ids = sorted(units)
    for i in range(0, len(ids), 500):
        _new_dupkeys(conn, ids[i:i + 500])
    _add_df(conn, Counter({t: n for t, n in df.items() if n}))
    conn.execute("DELETE FROM tm_terms WHERE df <= 0")


def _tmx_dates(conn: Any) -> None:
    """Dates an earlier tmtool stored as the file wrote them in ISO 8601 ("2024-05-01T12:00
    +02:00"), rewritten in TMX's form, in UTC, as an import now stores them; the unit's
    latest date (``changed``, what --since and stats read) follows."""
    from .formats.tmx import _date

    odd = "(x IS NOT NULL AND length(x) != 16)"
    cond = " OR ".join(odd.replace("x", c) for c in ("creationdate", "changedate"))
    iso_use = """attrs LIKE '%"lastusagedate", "____-%'"""
    ids = sorted({r[0] for r in conn.execute(f"SELECT id FROM tm_units WHERE {cond} OR {iso_use}")}
                 | {r[0] for r in conn.execute(f"SELECT unit_id FROM tm_variants WHERE {cond} "
                                               f"OR {iso_use}")})

    def attrs(text: str | None) -> str | None:
        if not text:
            return text
        pairs = [(k, _date(v) if k == "lastusagedate" else v)
                 for k, v in rows_.props_from_json(text)]
        return rows_.to_json(tuple(pairs))

    for uid in ids:
        dates: list[str | None] = []
        for vid, created, changed, vattrs in conn.execute(
                "SELECT id, creationdate, changedate, attrs FROM tm_variants WHERE unit_id = ?",
                (uid,)).fetchall():
            created, changed = _date(created), _date(changed)
            dates += [changed, created]
            conn.execute("UPDATE tm_variants SET creationdate = ?, changedate = ?, attrs = ? "
                         "WHERE id = ?", (created, changed, attrs(vattrs), vid))
        created, changed, uattrs = conn.execute(
            "SELECT creationdate, changedate, attrs FROM tm_units WHERE id = ?", (uid,)).fetchone()
        created, changed = _date(created), _date(changed)
        conn.execute("UPDATE tm_units SET creationdate = ?, changedate = ?, attrs = ?, "
                     "changed = ? WHERE id = ?",
                     (created, changed, attrs(uattrs),
                      rows_.date_key(changed, created, *dates) or None, uid))


MIGRATIONS = [_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8, _v9, _v10, _v11]
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
    """Add ``units`` in one transaction, merging duplicates; ``origin`` overrides theirs
    (and the origin of the stored units they are merged into)."""
    return _Importer(store, origin, progress, relabel=origin is not None).run(
        rows_.batches(units, origin))


def import_tmx(store: Store, path: str | os.PathLike[str], *, origin: str | None = None,
               progress: Callable[[int], None] | None = None,
               on_commit: Callable[[], None] | None = None) -> ImportReport:
    """Import a TMX file in one transaction (all of it, or nothing when it proves malformed).

    ``origin`` names where the units came from (default: the file name); given, it also
    relabels the stored units the file's units are merged into. Units the reader skips are
    reported with its reason and line. A large file is read and prepared by a second process
    while this one writes. ``on_commit`` is called as the units land (see
    ``store.transaction``: a caller interrupted meanwhile can tell). Raises InputError or
    FormatError.
    """
    relabel = origin is not None
    origin = origin or Path(path).name
    importer = _Importer(store, origin, progress, relabel=relabel)
    importer.on_commit = on_commit
    if not relabel and str(path) != "-":
        importer.source = str(Path(path).resolve())
    return importer.run(rows_.tmx_batches(path, origin, on_header=importer.headers.append))


class _Importer:
    """Streams prepared batches into the store inside one transaction."""

    def __init__(self, store: Store, origin: str | None,
                 progress: Callable[[int], None] | None, *, relabel: bool = False) -> None:
        self.store = store
        self.origin = origin
        self.relabel = relabel  # the caller named the origin: merged units take it too
        self.progress = progress
        self.df: Counter[str] = Counter()
        self.recount = False  # True: tm_terms is recounted from the index at the end
        self.stored_units = 0  # units in the store when the import began
        self.read = self.added = self.merged = 0
        self.skips: list[Skip] = []
        self.headers: list[Any] = []  # the file's TMX header, once read (formats.tmx.TmxHeader)
        self.source: str | None = None  # the file, when its name is the origin
        self.on_commit: Callable[[], None] | None = None

    def run(self, batches: Iterable[rows_.Batch]) -> ImportReport:
        ensure_schema(self.store)
        conn = self.store.conn
        conn.execute("PRAGMA cache_size = -16384")
        # Units get their ids here, so checking each variant's unit costs without protecting
        # anything; the setting cannot change inside a transaction.
        checks = conn.execute("PRAGMA foreign_keys").fetchone()[0]
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            with rows_.collector_paused():
                return self._run(batches)
        finally:
            conn.execute(f"PRAGMA foreign_keys = {'ON' if checks else 'OFF'}")

    def _run(self, batches: Iterable[rows_.Batch]) -> ImportReport:
        conn = self.store.conn
        with self.store.transaction(self.on_commit):
            # A setting stored with the index: a larger in-memory table of pending
            # postings, so the index writes fewer, larger segments and merges them less (an
            # import indexes about three times faster than with the default 1 MB).
            if conn.execute("SELECT v FROM tm_index_config WHERE k = 'hashsize'"
                            ).fetchone() != (_INDEX_HASH_BYTES,):
                conn.execute("INSERT INTO tm_index(tm_index, rank) VALUES ('hashsize', ?)",
                             (_INDEX_HASH_BYTES,))
            if self.source is not None:
                self._check_source(conn)
            top = conn.execute("SELECT coalesce(max(id), 0) FROM tm_units").fetchone()[0]
            # ids of deleted units are not given again: an id kept from a lookup stays true
            self.next_unit = max(top, int(self.store.get_meta(_LAST_UNIT_ID) or 0)) + 1
            self.next_var = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM tm_variants"
                                         ).fetchone()[0]
            self.stored_units = top
            self.recount = self.stored_units == 0
            deferred: list[str] = []
            if self.next_var == 1:
                # Filling an empty memory: indexes the import never reads are built once at
                # the end (sorting is cheaper than inserting row by row), in this transaction.
                deferred = _drop_deferred_indexes(conn)
            for items, skips in batches:
                self.read += len(items) + len(skips)
                self.skips.extend(skips)
                self._flush(items)
                if self.progress:
                    self.progress(self.read)
            for header in self.headers:
                _keep_header(conn, self.origin, header.props, header.notes)
            if self.recount:
                _count_terms(conn)
            else:
                self._flush_df()
            for sql in deferred:
                conn.execute(sql)
            if self.added > self.stored_units // 4:
                # A large import: merge the index into one segment, which lookups read faster.
                conn.execute("INSERT INTO tm_index(tm_index) VALUES ('optimize')")
        return ImportReport(self.origin, self.read, self.added, self.merged, tuple(self.skips))

    def _check_source(self, conn: Any) -> None:
        """Warn when the origin (the file's name) already names units of another file, and
        record this file as the origin's."""
        row = conn.execute("SELECT source FROM tm_origins WHERE origin = ?",
                           (self.origin,)).fetchone()
        if row and row[0] and row[0] != self.source:
            warnings.warn(TmtoolWarning(
                f"{self.source}: origin {self.origin!r} already names the units imported from "
                f"{row[0]}; this file's units join them (give --origin to keep them apart)"),
                stacklevel=2)
        conn.execute("INSERT INTO tm_origins(origin, source) VALUES (?, ?) ON CONFLICT(origin) "
                     "DO UPDATE SET source = excluded.source", (self.origin, self.source))

    def _flush(self, batch: list[Item]) -> None:
        if not batch:
            return
        conn = self.store.conn
        existing: dict[int, list[int]] = {}
        distinct = list({item[0] for item in batch})
        for i in range(0, len(distinct), 500):
            chunk = distinct[i:i + 500]
            for uid, key in conn.execute(
                    f"SELECT id, dupkey FROM tm_units WHERE dupkey IN "
                    f"({','.join('?' * len(chunk))})", chunk):
                existing.setdefault(key, []).append(uid)
        stored = _load_items(self.store, [u for ids in existing.values() for u in ids])
        changed: set[int] = set()
        pending: dict[int, list[int]] = {}  # dupkey -> positions in `fresh`
        fresh: list[Item] = []
        seen: list[int] = []
        met: dict[int, set[str | None]] = {}  # stored unit -> origins merged into it
        met_fresh: dict[int, set[str | None]] = {}  # the same for positions in `fresh`
        for item in batch:
            key = item[0]
            stored_ids, fresh_ids = existing.get(key), pending.get(key)
            if not stored_ids and not fresh_ids:  # most items: nothing to compare with
                pending[key] = [len(fresh)]
                fresh.append(item)
                seen.append(1)
                continue
            texts = rows_.texts(item)
            uid = next((u for u in stored_ids or () if stored[u][2] == texts),
                       None)  # another stored unit under the key is a hash collision
            if uid is not None:
                old, count, _, vids = stored[uid]
                merged = rows_.merge_items(old, item)
                if self.relabel:
                    merged = (merged[0], (self.origin, *merged[1][1:]), merged[2])
                stored[uid] = (merged, count + 1, texts, vids)
                changed.add(uid)
                self.merged += 1
                met.setdefault(uid, {old[1][0]}).add(item[1][0])
                continue
            for pos in fresh_ids or ():
                if rows_.texts(fresh[pos]) == texts:
                    if fresh[pos][1][0] != item[1][0]:  # units of two origins (add_units)
                        met_fresh.setdefault(pos, {fresh[pos][1][0]}).add(item[1][0])
                    fresh[pos] = rows_.merge_items(fresh[pos], item)
                    seen[pos] += 1
                    self.merged += 1
                    break
            else:
                pending.setdefault(key, []).append(len(fresh))
                fresh.append(item)
                seen.append(1)
        self._update(stored, sorted(changed))
        first = self.next_unit
        self._insert(fresh, seen)
        self._keep_origins([(uid, stored[uid][0][1][0], met[uid]) for uid in met]
                           + [(first + pos, fresh[pos][1][0], o) for pos, o in met_fresh.items()])

    def _keep_origins(self, merges: list[tuple[int, str | None, set[str | None]]]) -> None:
        """Record the origins merges met at a unit, other than the one whose version won
        (unit id, winning origin, origins met). A unit's origin is never among its others."""
        add, drop = [], []
        for uid, winner, origins in merges:
            if len(origins) > 1 or winner not in origins:
                add += [(uid, o) for o in origins if o is not None and o != winner]
                if winner is not None:
                    drop.append((uid, winner))  # an earlier import's label may win again
        conn = self.store.conn
        if drop:
            conn.executemany("DELETE FROM tm_unit_origins WHERE unit_id = ? AND origin = ?", drop)
        if add:
            # the latest import to merge comes last (it names the unit if the winner goes)
            conn.executemany("INSERT OR REPLACE INTO tm_unit_origins(unit_id, origin) "
                             "VALUES (?, ?)", add)

    def _update(self, stored: dict[int, _Stored], uids: list[int]) -> None:
        """Write back the stored units that duplicates were merged into."""
        unit_rows, var_rows = [], []
        for uid in uids:
            (_, u, variants), count, _, vids = stored[uid]
            unit_rows.append((*u[:8], count, *u[8:], uid))
            for v in variants:
                var_rows.append((v[3], *v[6:12], v[13], vids[(v[0], v[2])]))
        conn = self.store.conn
        _update_rows(conn, "tm_units", ("origin", "tuid", "srclang", "creationdate",
                                        "creationid", "changedate", "changeid", "usagecount",
                                        "seen", "changed", "props", "notes", "attrs"), unit_rows)
        _update_rows(conn, "tm_variants", ("markup", "creationdate", "creationid",
                                           "changedate", "changeid", "props", "notes", "attrs"),
                     var_rows)

    def _insert(self, items: list[Item], seen: list[int]) -> None:
        items = [rows_.analysed(item) for item in items]  # the reader may have left it to us
        unit_rows, var_rows, index_rows = [], [], []
        uid, vid = self.next_unit, self.next_var
        for (key, u, variants), count in zip(items, seen, strict=True):
            unit_rows.append((uid, key, *u[:8], count, *u[8:]))
            for v in variants:
                var_rows.append((vid, uid, *v[:12], v[13]))
                index_rows.append((vid, v[12]))
                vid += 1
            uid += 1
        self.next_unit, self.next_var = uid, vid
        if not self.recount and self.added + len(unit_rows) > self.stored_units:
            # The import outgrows what was stored: recounting the whole index at the end now
            # costs less than counting each new term.
            self.recount = True
            self.df.clear()
        if not self.recount:
            index_terms = rows_.index_terms
            terms: list[str] = []
            for _, _, variants in items:
                for v in variants:
                    terms += index_terms(v[12], v[1], v[5])
            self.df.update(terms)
        conn = self.store.conn
        _insert_rows(conn, "tm_units", unit_rows)
        _insert_rows(conn, "tm_variants", var_rows)
        conn.executemany("INSERT INTO tm_index(rowid, body) VALUES (?, ?)", index_rows)
        self.added += len(unit_rows)
        if len(self.df) > _DF_FLUSH:
            self._flush_df()

    def _flush_df(self) -> None:
        _add_df(self.store.conn, self.df)
        self.df.clear()


def _drop_deferred_indexes(conn: Any) -> list[str]:
    """Drop the secondary indexes that bulk work rebuilds once at its end (sorting is cheaper
    than updating them row by row); returns the SQL that makes them again."""
    found = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN "
        f"({','.join('?' * len(_DEFERRED_INDEXES))})", _DEFERRED_INDEXES).fetchall()
    for name, _ in found:
        conn.execute(f"DROP INDEX {name}")
    return [sql for _, sql in found]


def _keep_header(conn: Any, origin: str | None, props: tuple[tuple[str, str], ...],
                 notes: tuple[str, ...]) -> None:
    """Unite a file header's props and notes with those kept for its origin."""
    if origin is None or not (props or notes):
        return
    row = conn.execute("SELECT props, notes FROM tm_origins WHERE origin = ?",
                       (origin,)).fetchone()
    old_props, old_notes = row if row else (None, None)
    conn.execute("INSERT INTO tm_origins(origin, props, notes) VALUES (?, ?, ?) "
                 "ON CONFLICT(origin) DO UPDATE SET props = excluded.props, "
                 "notes = excluded.notes",
                 (origin, rows_.union_json(old_props, rows_.to_json(props)),
                  rows_.union_json(old_notes, rows_.to_json(notes))))


def _headers(store: Store, where: str, params: list[Any], origin: str | None = None
             ) -> tuple[list[tuple[str, str]], list[str]]:
    """The header props and notes kept for the imports that brought the units ``where``
    selects (for ``origin`` alone, when given)."""
    props: list[tuple[str, str]] = []
    notes: list[str] = []
    if origin is not None:
        sql, values = "SELECT props, notes FROM tm_origins WHERE origin = ?", [origin]
    else:
        sql = (f"SELECT o.props, o.notes FROM tm_origins o WHERE o.origin IN "
               f"(SELECT u.origin FROM tm_units u {where} UNION SELECT x.origin FROM "
               f"tm_unit_origins x WHERE x.unit_id IN (SELECT u.id FROM tm_units u {where})) "
               f"ORDER BY o.rowid")
        values = [*params, *params]
    for p, n in store.conn.execute(sql, values):
        props += rows_.props_from_json(p)
        notes += rows_.notes_from_json(n)
    return list(dict.fromkeys(props)), list(dict.fromkeys(notes))


def _bindable(rows: list[tuple[Any, ...]]) -> tuple[list[bool], list[tuple[Any, ...]]]:
    """Which columns of ``rows`` to bind, and the rows holding only those.

    A column None in every row is written as NULL in the statement instead: binding None
    costs sqlite3 several times what binding a string does, and most files leave the same
    metadata out of every unit.
    """
    columns = list(zip(*rows, strict=True))
    bind = [col.count(None) != len(col) for col in columns]
    keep = [i for i, b in enumerate(bind) if b]
    if len(keep) < len(columns):
        rows = list(map(itemgetter(*keep), rows)) if len(keep) > 1 else [(r[keep[0]],)
                                                                         for r in rows]
    return bind, rows


def _insert_rows(conn: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Insert whole rows (see ``_bindable``)."""
    if rows:
        bind, rows = _bindable(rows)
        marks = ",".join("?" if b else "NULL" for b in bind)
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def _update_rows(conn: Any, table: str, columns: Sequence[str],
                 rows: list[tuple[Any, ...]]) -> None:
    """Set ``columns`` of rows given as (values..., id) (see ``_bindable``)."""
    if rows:
        bind, rows = _bindable(rows)
        sets = ", ".join(f"{c} = {'?' if b else 'NULL'}" for c, b in
                         zip(columns, bind, strict=False))
        conn.executemany(f"UPDATE {table} SET {sets} WHERE id = ?", rows)


_UNIT_COLS = ("u.id, u.origin, u.tuid, u.srclang, u.creationdate, u.creationid, u.changedate, "
              "u.changeid, u.usagecount, u.seen, u.props, u.notes, u.attrs")
_VAR_COLS = ("v.lang, v.text, v.markup, v.creationdate, v.creationid, v.changedate, v.changeid, "
             "v.props, v.notes, v.attrs")
_N_UNIT_COLS = _UNIT_COLS.count(",") + 1


def _variant(row: Sequence[Any]) -> Variant:
    return Variant(lang=row[0], text=row[1], markup=row[2], creationdate=row[3],
                   creationid=row[4], changedate=row[5], changeid=row[6],
                   props=rows_.props_from_json(row[7]), notes=rows_.notes_from_json(row[8]),
                   attrs=rows_.props_from_json(row[9]))


def _unit(row: Sequence[Any], variants: tuple[Variant, ...]) -> TranslationUnit:
    return TranslationUnit(variants=variants, tuid=row[2], srclang=row[3], creationdate=row[4],
                           creationid=row[5], changedate=row[6], changeid=row[7],
                           usagecount=row[8], props=rows_.props_from_json(row[10]),
                           notes=rows_.notes_from_json(row[11]), origin=row[1],
                           attrs=rows_.props_from_json(row[12]))


# A stored unit loaded for merging: its item (without analysis), its import count, its
# sides as ``tmrows.texts`` gives them, and its variant ids by (language, text).
_Stored = tuple[Item, int, list[tuple[str, str, str]], dict[tuple[str, str], int]]


def _load_items(store: Store, uids: list[int]) -> dict[int, _Stored]:
    """Many stored units at once (a few queries per 500 units, not two per unit)."""
    out: dict[int, _Stored] = {}
    for i in range(0, len(uids), 500):
        chunk = uids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        variants: dict[int, list[tuple[Any, ...]]] = {}
        vids: dict[int, dict[tuple[str, str], int]] = {}
        for uid, vid, *v in store.conn.execute(
                f"SELECT unit_id, id, lang, plang, text, markup, NULL, NULL, creationdate, "
                f"creationid, changedate, changeid, props, notes, NULL, attrs FROM tm_variants "
                f"WHERE unit_id IN ({marks}) ORDER BY id", chunk):
            variants.setdefault(uid, []).append(tuple(v))
            vids.setdefault(uid, {})[(v[0], v[2])] = vid
        for uid, key, seen, *fields in store.conn.execute(
                f"SELECT id, dupkey, seen, origin, tuid, srclang, creationdate, creationid, "
                f"changedate, changeid, usagecount, changed, props, notes, attrs FROM tm_units "
                f"WHERE id IN ({marks})", chunk):
            vs = tuple(variants.get(uid, ()))
            item = (key, tuple(fields), vs)
            out[uid] = (item, seen, rows_.texts(item), vids.get(uid, {}))
    return out


def get_unit(store: Store, unit_id: int) -> TranslationUnit | None:
    """One stored unit by id (as TMX would carry it), or None."""
    ensure_schema(store)
    found = _load_items(store, [unit_id]).get(unit_id)
    return rows_.item_unit(found[0]) if found else None


def iter_units(store: Store, *, src: str | None = None, tgt: str | None = None,
               since: str | None = None, origin: str | None = None
               ) -> Iterator[TranslationUnit]:
    """Stored units in import order, filtered as ``export_tmx`` describes."""
    ensure_schema(store)
    where, params = _unit_filter(src, tgt, since, origin)
    if src and tgt:  # only the variants of those two languages
        (a, pa), (b, pb) = covers_sql(src, "v."), covers_sql(tgt, "v.")
        where.append(f"({a} OR {b})")
        params.extend([*pa, *pb])
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
        variants.append(_variant(row[_N_UNIT_COLS:]))
    if current is not None:
        yield _unit(current, tuple(variants))


def _unit_filter(src: str | None, tgt: str | None, since: str | None, origin: str | None
                 ) -> tuple[list[str], list[Any]]:
    """SQL conditions on ``tm_units u`` (and their parameters) for ``iter_units``' filters."""
    where: list[str] = []
    params: list[Any] = []
    for name, value in (("src", src), ("tgt", tgt), ("since", since)):
        if value is not None and not value.strip():  # left out, it would select more
            raise UsageError(f"--{name} is empty")
    for tag in (x for x in (src, tgt) if x):
        cond, values = covers_sql(tag)
        where.append(f"u.id IN (SELECT unit_id FROM tm_variants WHERE {cond})")
        params.extend(values)
    if since:
        where.append("u.changed >= ?")
        params.append(_since_key(since))
    if origin is not None:  # the units it brought, whether its version won or not
        where.append("(u.origin = ? OR u.id IN (SELECT unit_id FROM tm_unit_origins "
                     "WHERE origin = ?))")
        params.extend([origin, origin])
    return where, params


def undated_units(store: Store, *, src: str | None = None, tgt: str | None = None,
                  origin: str | None = None) -> int:
    """How many units the other filters select that carry no date at all: ``since``
    never selects them (an export "since" a date leaves them out)."""
    ensure_schema(store)
    where, params = _unit_filter(src, tgt, None, origin)
    where.append("u.changed IS NULL")
    return int(store.conn.execute(f"SELECT count(*) FROM tm_units u WHERE {' AND '.join(where)}",
                                  params).fetchone()[0])


_SINCE = re.compile(r"(\d{4})-?(\d\d)-?(\d\d)"
                    r"(?:[T ](\d\d)(?::?(\d\d)(?::?(\d\d))?)?(?:Z|([+-])(\d\d):?(\d\d))?|Z)?")


def _since_key(since: str) -> str:
    """``--since`` as the digits of stored change dates (2024-01-31 -> 20240131). TMX dates
    are UTC: a time given with an offset (``T14:00+02:00``) is moved to UTC first."""
    found = _SINCE.fullmatch(since.strip())
    try:
        if found is None:
            raise ValueError(since)
        *fields, sign, hours, minutes = found.groups()
        given = [int(g) for g in fields if g is not None]
        moment = datetime(*given)  # checks that the date exists
        if sign is None:
            return "".join(g for g in fields if g is not None)
        if int(hours) > 23 or int(minutes) > 59:
            raise ValueError(since)
        offset = timedelta(hours=int(hours), minutes=int(minutes))
        utc = moment - offset if sign == "+" else moment + offset
        # "T14+05:30" is 08:30 UTC: the minutes the offset brings are kept
        fields_kept = max(len(given), 5 if int(minutes) else 0)
        return utc.strftime("%Y%m%d%H%M%S")[:2 + 2 * fields_kept]
    except (ValueError, OverflowError):
        raise UsageError(f"--since {since!r}: expected a date such as 2024-01-31, "
                         "20240131T120000Z or 2024-01-31T14:00+02:00") from None


def _check_origin(conn: Any, origin: str) -> None:
    """Refuse an origin no unit comes from: a misspelt name would select nothing, silently."""
    def known(name: str) -> bool:
        return conn.execute("SELECT 1 FROM tm_units WHERE origin = ? UNION ALL SELECT 1 FROM "
                            "tm_unit_origins WHERE origin = ? LIMIT 1",
                            (name, name)).fetchone() is not None

    if not known(origin):
        name = Path(origin).name  # the path of the file imported, where its name is the origin
        hint = f"; did you mean {name!r}?" if name != origin and known(name) else ""
        raise UsageError(f"no unit comes from origin {origin!r} (tm stats lists the "
                         f"origins{hint})")


def _with_source(unit: TranslationUnit, src: str) -> TranslationUnit:
    for v in unit.variants:
        if covers(src, v.lang):
            return replace(unit, srclang=v.lang)
    return unit


def export_tmx(store: Store, path: str | os.PathLike[str], *, src: str | None = None,
               tgt: str | None = None, since: str | None = None,
               origin: str | None = None) -> int:
    """Write stored units as TMX 1.4b (markup restored) and return how many were written.

    ``src``/``tgt`` keep units having both languages and only those two variants (``fr``
    keeps every French variant, ``fr-CA`` keeps fr-CA and variants tagged only ``fr``);
    ``since`` keeps units changed on or after a date; ``origin`` the units of one import (an
    origin no unit comes from is refused). The header carries the props and notes of the
    imported files' headers whose units are written. The file appears atomically.
    """
    from .formats.tmx import write_tmx

    ensure_schema(store)
    check_languages_held(store, src=src, tgt=tgt)
    where, params = _unit_filter(src, tgt, since, origin)
    srclang = _header_source(store.conn, src, where, params)
    if origin is not None:
        _check_origin(store.conn, origin)
    units = iter_units(store, src=src, tgt=tgt, since=since, origin=origin)
    if src:  # the direction asked for: each unit's source is its variant in ``src``
        units = (_with_source(u, src) for u in units)
    if origin is not None:  # one import's units: its header, not those it merged with
        kept_props, kept_notes = _headers(store, "", [], origin)
    else:
        kept_props, kept_notes = _headers(store, f"WHERE {' AND '.join(where)}" if where else "",
                                          params)
    chosen = [f"{k}={v}" for k, v in (("src", src), ("tgt", tgt), ("since", since),
                                       ("origin", origin)) if v is not None]
    props = [("x-tmtool-filter", " ".join(chosen))] if chosen else []
    return write_tmx(path, units, srclang=srclang, header_props=[*kept_props, *props],
                     header_notes=kept_notes)


def _header_source(conn: Any, src: str | None, where: list[str], params: list[Any]) -> str:
    """The header's ``srclang``: the source variant's tag most exported units have (a unit
    whose source is another names it itself), so that a CAT tool whose project has that
    source language takes the file without a warning; ``*all*`` when no unit names one."""
    conds = [*where]
    values = [*params]
    if src:  # each unit's source is its variant in ``src``
        cond, more = covers_sql(src, "v.")
        conds.append(cond)
        values += more
    else:  # the variant the unit's srclang names: that tag, else its only one of the language
        conds.append("(v.lang = u.srclang OR v.plang = lower(CASE WHEN instr(u.srclang, '-') "
                     "THEN substr(u.srclang, 1, instr(u.srclang, '-') - 1) ELSE u.srclang END))")
    row = conn.execute(
        f"SELECT v.lang FROM tm_units u JOIN tm_variants v ON v.unit_id = u.id "
        f"WHERE {' AND '.join(conds)} GROUP BY v.lang ORDER BY count(*) DESC, v.lang LIMIT 1",
        values).fetchone()
    return row[0] if row else normalize(src) if src else "*all*"


# ---------------------------------------------------------------------------------------------
# delete


@dataclass(frozen=True, slots=True)
class DeleteReport:
    """What a deletion did (or, dry, would do): units deleted, and units kept because an
    import other than the ``origin`` deleted brought them too (they only lose that origin)."""

    deleted: int
    kept: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"deleted": self.deleted, "kept": self.kept}


def delete_units(store: Store, *, src: str | None = None, tgt: str | None = None,
                 since: str | None = None, origin: str | None = None,
                 unit_ids: Sequence[int] | None = None, dry_run: bool = False,
                 progress: Callable[[int], None] | None = None) -> DeleteReport:
    """Delete the units the filters select (as ``export_tmx`` selects them; ``unit_ids``
    keeps those ids), in one transaction.

    This is how a memory imported by mistake, or an outdated version of one, leaves the
    store: ``origin`` names the import. A unit another import brought too stays, without
    that origin (and with the other's as its origin when the deleted one's version had
    won). Refuses to run without a filter, with an origin no unit comes from, or with ids
    the store lacks (it deletes all it is asked, or nothing); a deleted unit's id is not
    given to another. Each variant leaves the index under the terms it was indexed with
    (computed again from its text, as ``_v5`` does), and the term counts follow, so lookups
    stay exact. ``progress`` gets the number of units deleted so far.
    """
    if src is None and tgt is None and since is None and origin is None and unit_ids is None:
        raise UsageError("nothing selected: give an origin, a date, languages or unit ids")
    ensure_schema(store)
    check_languages_held(store, src=src, tgt=tgt)
    where, params = _unit_filter(src, tgt, since, origin)
    conn = store.conn
    ids = None
    if unit_ids is not None:
        ids = json.dumps(sorted({int(i) for i in unit_ids}))
        where.append("u.id IN (SELECT value FROM json_each(?))")
        params.append(ids)
    cond = " AND ".join(where)

    def check() -> None:
        """Refuse what names nothing (inside the transaction: nothing can change between)."""
        if ids is not None:
            missing = [r[0] for r in conn.execute(
                "SELECT value FROM json_each(?) WHERE value NOT IN (SELECT id FROM tm_units)",
                (ids,))]
            if missing:
                more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
                raise UsageError(f"no unit {', '.join(map(str, missing[:5]))}{more} in the "
                                 f"store")
        if origin is not None:
            _check_origin(conn, origin)

    # Units the origin shares with another import: they stay.
    shared = (f"SELECT u.id FROM tm_units u WHERE {cond} AND ((u.origin IS NOT NULL AND "
              f"u.origin != ?) OR EXISTS (SELECT 1 FROM tm_unit_origins x WHERE "
              f"x.unit_id = u.id AND x.origin != ?))")
    shared_params = [*params, origin, origin]
    if dry_run:
        check()
        selected = conn.execute(f"SELECT count(*) FROM tm_units u WHERE {cond}",
                                params).fetchone()[0]
        kept = 0 if origin is None else conn.execute(f"SELECT count(*) FROM ({shared})",
                                                     shared_params).fetchone()[0]
        return DeleteReport(selected - kept, kept)
    deleted = kept = 0
    df: Counter[str] = Counter()
    with store.transaction():
        check()
        top = conn.execute("SELECT max(id) FROM tm_units").fetchone()[0]
        if top is not None and top > int(store.get_meta(_LAST_UNIT_ID) or 0):
            store.set_meta(_LAST_UNIT_ID, str(top))
        if origin is not None:
            kept = _drop_origin(conn, origin, shared, shared_params)
        # The selection, made once: asked again for every batch, a language filter would
        # read all the variants of the language each time.
        conn.execute("CREATE TEMP TABLE tm_doomed (id INTEGER PRIMARY KEY)")
        conn.execute(f"INSERT INTO temp.tm_doomed SELECT u.id FROM tm_units u WHERE {cond}",
                     params)
        selected = conn.execute("SELECT count(*) FROM temp.tm_doomed").fetchone()[0]
        total = conn.execute("SELECT count(*) FROM tm_units").fetchone()[0]
        # Taking most of the memory away: indexing again what stays costs less than taking
        # each variant that goes out of the index, and secondary indexes are rebuilt once.
        most = rebuild = selected > total - selected
        deferred: list[str] = []
        if rebuild:
            conn.execute("INSERT INTO tm_index(tm_index) VALUES ('delete-all')")
            deferred = _drop_deferred_indexes(conn)
        last = 0
        while uids := [r[0] for r in conn.execute(
                "SELECT id FROM temp.tm_doomed WHERE id > ? ORDER BY id LIMIT ?",
                (last, rows_.BATCH))]:
            last = uids[-1]
            marks = ",".join("?" * len(uids))
            if not rebuild:
                gone = []
                for vid, text, plang, ntok, keys in conn.execute(
                        f"SELECT id, text, plang, ntok, keys FROM tm_variants "
                        f"WHERE unit_id IN ({marks})", uids):
                    toks, keys_now = m.stored_keys(text)
                    if keys_now != keys:
                        # Stored by a tmtool that analysed text otherwise: its index terms
                        # cannot be told again, so the index is built anew from what stays.
                        rebuild = True
                        conn.execute("INSERT INTO tm_index(tm_index) VALUES ('delete-all')")
                        break
                    body = rows_.index_body(toks, plang, ntok)
                    gone.append((vid, body))
                    df.update(rows_.index_terms(body, plang, ntok))
                else:
                    conn.executemany("INSERT INTO tm_index(tm_index, rowid, body) "
                                     "VALUES ('delete', ?, ?)", gone)
                    if len(df) > _DF_FLUSH:
                        _subtract_df(conn, df)
            conn.execute(f"DELETE FROM tm_variants WHERE unit_id IN ({marks})", uids)
            conn.execute(f"DELETE FROM tm_unit_origins WHERE unit_id IN ({marks})", uids)
            conn.execute(f"DELETE FROM tm_units WHERE id IN ({marks})", uids)
            deleted += len(uids)
            if progress:
                progress(deleted)
        if rebuild:
            _reindex(conn)
            for sql in deferred:
                conn.execute(sql)
        else:
            _subtract_df(conn, df)
        conn.execute("DROP TABLE temp.tm_doomed")
        conn.execute("DELETE FROM tm_origins WHERE origin NOT IN (SELECT origin FROM tm_units "
                     "WHERE origin IS NOT NULL UNION SELECT origin FROM tm_unit_origins)")
        if deleted > (total - deleted) // 4:
            # Deleted postings stay in the index until its segments merge: merge them now.
            conn.execute("INSERT INTO tm_index(tm_index) VALUES ('optimize')")
    if most:
        # Most of the file is free pages now: give the space back (copying what stays is
        # cheap next to what was deleted; an error leaves the store as it is, only larger).
        try:
            conn.execute("VACUUM")
        except sqlite3.OperationalError:
            pass
    return DeleteReport(deleted, kept)


def _drop_origin(conn: Any, origin: str, shared: str, params: list[Any]) -> int:
    """Take ``origin`` off the units ``shared`` selects (units another import brought too);
    where its version had won, the latest other import to merge there names the unit.
    Returns how many units there were."""
    conn.execute(f"CREATE TEMP TABLE tm_shared AS {shared}", params)
    try:
        kept = conn.execute("SELECT count(*) FROM temp.tm_shared").fetchone()[0]
        conn.execute("UPDATE tm_units SET seen = max(1, seen - 1) WHERE id IN "
                      "(SELECT id FROM temp.tm_shared)")  # one import of it at least goes
        conn.execute("DELETE FROM tm_unit_origins WHERE origin = ? AND unit_id IN "
                     "(SELECT id FROM temp.tm_shared)", (origin,))
        conn.execute("UPDATE tm_units SET origin = (SELECT x.origin FROM tm_unit_origins x "
                     "WHERE x.unit_id = tm_units.id ORDER BY x.rowid DESC LIMIT 1) "
                     "WHERE origin = ? AND id IN (SELECT id FROM temp.tm_shared)", (origin,))
        conn.execute("DELETE FROM tm_unit_origins WHERE rowid IN (SELECT x.rowid FROM "
                     "tm_unit_origins x JOIN tm_units u ON u.id = x.unit_id "
                     "WHERE x.origin = u.origin AND u.id IN (SELECT id FROM temp.tm_shared))")
    finally:
        conn.execute("DROP TABLE temp.tm_shared")
    return kept


def _reindex(conn: Any) -> None:
    """Index every stored variant into the emptied index, with keys and term counts as this
    tmtool makes them (a variant stored by one that analysed text otherwise is updated)."""
    last = 0
    while batch := conn.execute("SELECT id, text, plang, keys, ntok FROM tm_variants "
                                "WHERE id > ? ORDER BY id LIMIT ?",
                                (last, rows_.BATCH)).fetchall():
        last = batch[-1][0]
        index_rows, stale = [], []
        for vid, text, plang, old_keys, old_ntok in batch:
            keys, ntok, body = rows_.analysis(text, plang)
            index_rows.append((vid, body))
            if (keys, ntok) != (old_keys, old_ntok):
                stale.append((keys, ntok, vid))
        conn.executemany("INSERT INTO tm_index(rowid, body) VALUES (?, ?)", index_rows)
        conn.executemany("UPDATE tm_variants SET keys = ?, ntok = ? WHERE id = ?", stale)
    _count_terms(conn)


def _subtract_df(conn: Any, df: Counter[str]) -> None:
    """Lower the term counts by ``df`` (then cleared); terms no variant holds any more go."""
    conn.executemany("UPDATE tm_terms SET df = df - ? WHERE term = ?",
                     [(n, t) for t, n in df.items()])
    conn.executemany("DELETE FROM tm_terms WHERE term = ? AND df <= 0", [(t,) for t in df])
    df.clear()


# ---------------------------------------------------------------------------------------------
# stats


def check_languages_held(store: Store, **tags: str | None) -> None:
    """Refuse a language filter that keeps nothing the memory holds: an export or a delete
    of "fra", "fr-BE" or "fr FR" would otherwise do nothing, silently. (A tag of no standard
    shape that a file gave its segments is kept as written, and can be asked for.)"""
    for name, tag in tags.items():
        if tag is None or not tag.strip():
            continue  # left out, or refused as empty with its option's name
        if not is_tag(tag) and store.conn.execute(
                "SELECT 1 FROM tm_variants WHERE lang = ? LIMIT 1", (tag.strip(),)
                ).fetchone() is None:
            checked(tag, f"--{name}")  # refused: no tag, and no segment tagged so
        cond, values = covers_sql(tag)
        if store.conn.execute(f"SELECT 1 FROM tm_variants WHERE {cond} LIMIT 1",
                              values).fetchone() is None:
            raise UsageError(f"--{name} {tag}: the memory holds no such segments (its "
                             f"languages: {', '.join(languages(store)) or 'none'})")


def languages(store: Store) -> list[str]:
    """The language tags of the memory's segments."""
    ensure_schema(store)
    return [r[0] for r in store.conn.execute("SELECT DISTINCT lang FROM tm_variants "
                                             "ORDER BY lang")]


def has_language(store: Store, lang: str) -> bool:
    """Whether the memory holds segments in ``lang`` (by primary language: ``en`` = ``en-GB``)."""
    ensure_schema(store)
    return store.conn.execute("SELECT 1 FROM tm_variants WHERE plang = ? LIMIT 1",
                              (primary(lang),)).fetchone() is not None


def stats(store: Store) -> dict[str, Any]:
    """Counts a user wants to see: units, languages, origins, merges, dates, schema version."""
    ensure_schema(store)
    conn = store.conn
    units, seen = conn.execute("SELECT count(*), coalesce(sum(seen), 0) FROM tm_units").fetchone()
    variants = conn.execute("SELECT count(*) FROM tm_variants").fetchone()[0]
    # the languages units are translated into: an empty <tuv> (a language a CAT tool left
    # untranslated) is kept for export but translates nothing
    langs = dict(conn.execute("SELECT lang, count(*) FROM tm_variants WHERE trim(text, ' ' || "
                              "char(9, 10, 13)) != '' GROUP BY lang ORDER BY count(*) DESC, "
                              "lang"))
    origins = dict(conn.execute(  # a unit counts for each import that brought it
        "SELECT o, count(*) FROM (SELECT coalesce(origin, '') AS o FROM tm_units UNION ALL "
        "SELECT origin FROM tm_unit_origins) GROUP BY o ORDER BY count(*) DESC, o"))
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
