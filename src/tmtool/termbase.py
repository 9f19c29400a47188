"""The termbase inside the store: concept entries and their terms.

A concept (``concepts`` row) holds its terms (``terms`` rows) in any number of languages. Each
term keeps two lookup keys beside its text: the folded key (case, accents, typography) and the
inflection key (plural, feminine, elided articles; see ``inflect``), both indexed, and its
content words go in ``term_words`` so fuzzy lookup reads an index instead of every entry.

Only ``store.conn`` (plain sqlite3) is used here, so lookups need not load the store's heavier
helpers.
"""

from __future__ import annotations

import json
import os
import sqlite3
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .errors import InputError, StoreError, TmtoolWarning, UsageError
from .inflect import term_keys
from .lang import DEFAULT_REGION, primary
from .lang import normalize as normalize_lang
from .model import DataCategory, Term, TermEntry, TermStatus
from .normalize import fold, unify
from .store import transaction

if TYPE_CHECKING:  # pragma: no cover
    import sqlite_utils

    from .store import Store

COMPONENT = "termbase"

# How readers and writers report what they skip or write in a lesser form: (message, line).
Warn = Callable[[str, int | None], None]


def _m1_tables(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE concepts (
            id INTEGER PRIMARY KEY,
            subject TEXT, definition TEXT, note TEXT, confidence REAL,
            created TEXT, modified TEXT, source TEXT, extra TEXT
        )""")
    db.execute("""
        CREATE TABLE terms (
            id INTEGER PRIMARY KEY,
            concept_id INTEGER NOT NULL REFERENCES concepts(id) ON DELETE CASCADE,
            lang TEXT NOT NULL, lp TEXT NOT NULL,
            text TEXT NOT NULL, fold_key TEXT NOT NULL, lemma_key TEXT NOT NULL,
            pos TEXT, status TEXT, context TEXT, source TEXT, note TEXT,
            created TEXT, modified TEXT
        )""")
    db.execute("""
        CREATE TABLE term_words (
            word TEXT NOT NULL,
            term_id INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
            PRIMARY KEY (word, term_id)
        ) WITHOUT ROWID""")
    db.execute("CREATE INDEX terms_fold ON terms(fold_key)")
    db.execute("CREATE INDEX terms_lemma ON terms(lemma_key)")
    db.execute("CREATE INDEX terms_concept ON terms(concept_id)")
    db.execute("CREATE INDEX terms_lp ON terms(lp, concept_id)")
    db.execute("CREATE INDEX term_words_term ON term_words(term_id)")


def _m2_data(db: sqlite_utils.Database) -> None:
    """Fields the named columns do not cover (TBX ``termType``, ``xGraphic``...), as JSON."""
    db.execute("ALTER TABLE concepts ADD COLUMN data TEXT")
    db.execute("ALTER TABLE terms ADD COLUMN data TEXT")


MIGRATIONS = (_m1_tables, _m2_data)


def migrate(store: Store) -> None:
    """Create or upgrade the termbase tables of ``store``."""
    store.migrate(COMPONENT, MIGRATIONS)


def require(conn: sqlite3.Connection, path: object = "store") -> None:
    """Raise a clear StoreError when the store has no termbase yet."""
    try:
        row = conn.execute("SELECT version FROM schema WHERE component = ?",
                           (COMPONENT,)).fetchone()
    except sqlite3.DatabaseError as e:
        raise StoreError(f"{path}: not a tmtool store ({e})") from e
    if not row:
        raise StoreError(f"{path}: the store has no termbase yet (import or add terms first)")
    if int(row[0]) > len(MIGRATIONS):
        raise StoreError(f"{path}: termbase schema version {row[0]} is newer than this tmtool "
                         f"knows ({len(MIGRATIONS)}); upgrade tmtool")


def now() -> str:
    """UTC time stamp as written in the store and in TBX (ISO 8601, seconds)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something an import left out (an entry without terms, an empty term, back matter),
    with where it was: nothing is dropped without a word."""

    reason: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class AddCounts:
    """What ``add_entries_counted`` did: new concepts, and entries merged into existing ones;
    an import also says what it skipped."""

    added: int = 0
    merged: int = 0
    skipped: tuple[Skipped, ...] = ()
    kept: int = 0  # entries left out because the termbase pairs their terms otherwise
    left_out: tuple[TermEntry, ...] = ()  # those entries

    @property
    def total(self) -> int:
        return self.added + self.merged


# -- writing -------------------------------------------------------------------------------


def _clean(s: str | None) -> str | None:
    if s is None:
        return None
    s = s.strip()
    return s or None


def _norm_term(t: Term) -> Term:
    # Kept as written (« », ’ are the house style of many clients); lookups use the folded
    # keys, which see through typography. Only spacing is tidied.
    text = " ".join(unicodedata.normalize("NFC", t.text).split())
    if not text:
        raise UsageError(f"empty term text in language {t.lang or '?'}")
    lang = normalize_lang(t.lang or "")
    if not lang:
        raise UsageError(f"term {text!r} has no language")
    status = t.status
    if status is not None and not isinstance(status, TermStatus):
        status = parse_status(str(status))
    return replace(t, text=text, lang=lang, status=status, pos=normalize_pos(t.pos),
                   context=_clean(t.context), source=_clean(t.source), note=_clean(t.note))


# Parts of speech as TBX-Basic names them, and what other tools and users write for them.
POS_VALUES = ("noun", "verb", "adjective", "adverb", "other")
_POS_ALIASES = {
    "n": "noun", "nom": "noun", "substantive": "noun", "substantif": "noun", "nn": "noun",
    "propernoun": "properNoun", "proper noun": "properNoun", "nom propre": "properNoun",
    "v": "verb", "verbe": "verb", "adj": "adjective", "adjectif": "adjective",
    "adv": "adverb", "adverbe": "adverb",
}


def normalize_pos(value: str | None) -> str | None:
    """One spelling per part of speech: ``Noun``/``NOUN``/``n`` -> ``noun``; others kept."""
    if value is None:
        return None
    v = " ".join(value.split())
    if not v:
        return None
    low = v.lower()
    if low in POS_VALUES:
        return low
    return _POS_ALIASES.get(low, v)


def context_in_its_language(terms: Sequence[Term], context: str | None) -> list[Term]:
    """``terms`` with the example sentence ``context`` given to the terms of its language:
    "Une pomme par jour." is the context of "pomme", not of "apple". Its language is the one
    of the terms it holds, else the one it reads as; when neither tells, every term gets it.
    A context that clearly reads as a language no term is in gives a TmtoolWarning (and
    every term gets it)."""
    from . import langid

    if context is None or not terms:
        return list(terms)
    terms = [replace(t, context=context) for t in terms]
    langs = list(dict.fromkeys(primary(t.lang) for t in terms))
    if sum(ch.isalpha() for ch in context) >= 20:
        scores = langid.scores(context, langid.languages())
        reads = max(scores, key=lambda x: scores[x])
        if scores[reads] >= 0.95 and reads not in langs:
            warnings.warn(TmtoolWarning(f"the context reads as {reads}, and no term given is "
                                        f"in {reads}"), stacklevel=2)
            return terms
    if len(langs) < 2:
        return terms
    folded = fold(context)
    held = {primary(t.lang) for t in terms if fold(t.text) in folded}
    if len(held) != 1:
        known = [x for x in langs if x in langid.languages()]
        scores = langid.scores(context, known) if len(known) > 1 else {}
        likely = [x for x, p in scores.items() if p >= 0.9]
        held = set(likely) if len(likely) == 1 else set()
    if len(held) != 1:
        return terms
    return [t if primary(t.lang) in held else replace(t, context=None) for t in terms]


def parse_status(value: str) -> TermStatus:
    """A TermStatus from its name (``preferred``) or a TBX value (``preferredTerm-admn-sts``)."""
    v = value.strip().lower()
    for prefix in ("preferred", "admitted", "deprecated", "forbidden"):
        if v.startswith(prefix):
            return TermStatus(prefix)
    aliases = {"superseded": TermStatus.DEPRECATED, "obsolete": TermStatus.DEPRECATED,
               "legal": TermStatus.PREFERRED, "regulated": TermStatus.PREFERRED,
               "standardized": TermStatus.PREFERRED, "normativelyauthorized":
               TermStatus.PREFERRED, "notrecommended": TermStatus.DEPRECATED,
               "proposed": TermStatus.ADMITTED, "approved": TermStatus.PREFERRED}
    key = v.replace(" ", "").replace("-", "").replace("_", "")
    for alias, status in aliases.items():
        if key.startswith(alias):
            return status
    raise UsageError(f"unknown term status {value!r} "
                     "(use preferred, admitted, deprecated or forbidden)")


def _data_json(items: Sequence[DataCategory]) -> str | None:
    """Stored form of DataCategory items: a JSON list of [name, value, target, lang]."""
    return json.dumps([list(i) for i in items], ensure_ascii=False) if items else None


def _data_of(text: str | None) -> tuple[DataCategory, ...]:
    return tuple(DataCategory(*i) for i in json.loads(text)) if text else ()


def _insert_term(conn: sqlite3.Connection, concept_id: int, t: Term) -> None:
    """Store a term with the dates its file gave (none invented: export writes them back)."""
    key, words = term_keys(t.text, t.lang)
    cur = conn.execute(
        "INSERT INTO terms(concept_id, lang, lp, text, fold_key, lemma_key, pos, status, "
        "context, source, note, created, modified, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (concept_id, t.lang, primary(t.lang), t.text, fold(t.text), key,
         t.pos, str(t.status) if t.status else None, t.context, t.source, t.note,
         t.created, t.modified or t.created, _data_json(t.data)))
    term_id = cur.lastrowid
    conn.executemany("INSERT OR IGNORE INTO term_words(word, term_id) VALUES (?, ?)",
                     [(w, term_id) for w in words])


def _insert_concept(conn: sqlite3.Connection, e: TermEntry, stamp: str | None) -> int:
    """Store a concept; ``stamp`` dates one that has no dates of its own (None: leave none)."""
    extra = dict(e.extra)
    source = extra.pop("source", None)
    cid = e.id
    if cid is None:  # never the id of a deleted entry: a script may still hold it
        top = conn.execute("SELECT max(id) FROM concepts").fetchone()[0] or 0
        cid = max(top, _last_deleted(conn)) + 1
    cur = conn.execute(
        "INSERT INTO concepts(id, subject, definition, note, confidence, created, modified, "
        "source, extra, data) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (cid, _clean(e.subject), _clean(e.definition), _clean(e.note), e.confidence,
         e.created or stamp, e.modified or e.created or stamp, source,
         json.dumps(extra, ensure_ascii=False) if extra else None, _data_json(e.data)))
    return int(cur.lastrowid or 0)


def _find_merge_target(conn: sqlite3.Connection, terms: Sequence[Term],
                       entry: TermEntry | None = None) -> int | None:
    """An existing concept sharing a term with ``terms`` and no disagreement in any language
    nor in its subject or definition.

    A concept disagrees when it has terms in a language of the new entry but none of them is
    one of the new terms there (``garantie``/``warranty`` is not ``garantie``/``guarantee``),
    or when both give a subject field or a definition and they differ: "commission" the fee
    and "commission" the committee are two concepts sharing their terms. Of several that
    agree, the one sharing most terms is chosen (the first on a tie).
    """
    wanted: dict[str, set[str]] = {}
    for t in terms:
        wanted.setdefault(primary(t.lang), set()).add(fold(t.text))
    keys = sorted({k for ks in wanted.values() for k in ks})
    candidates = sorted({int(cid) for cid, lp in conn.execute(
        f"SELECT concept_id, lp FROM terms WHERE fold_key IN ({','.join('?' * len(keys))})",
        keys) if lp in wanted})
    if not candidates:
        return None
    have: dict[int, list[tuple[str, str]]] = {cid: [] for cid in candidates}
    fields: dict[int, set[tuple[str, str, str | None, str | None]]] = {
        cid: set() for cid in candidates}
    for cid, lang, text, status, pos in conn.execute(
            "SELECT concept_id, lang, text, status, pos FROM terms WHERE concept_id IN "
            f"({','.join('?' * len(candidates))})", candidates):
        have[cid].append((lang, text))
        fields[cid].add((lang, unify(text), status, pos))
    given = {(t.lang, unify(t.text), str(t.status) if t.status else None, t.pos)
             for t in terms}
    described = {int(cid): (subject, definition) for cid, subject, definition in conn.execute(
        "SELECT id, subject, definition FROM concepts WHERE id IN "
        f"({','.join('?' * len(candidates))})", candidates)}
    best, closest = None, (0, 0, 0)
    for cid in candidates:  # of the concepts that agree, the one sharing most terms, then
        # the one holding fewest others, then the one whose terms have the statuses given
        # (an entry exported, even in part, and imported again finds itself)
        stored_langs = {primary(lang) for lang, _ in have[cid]}
        shared = {lp: sum(1 for t in terms if primary(t.lang) == lp
                          for lang, text in have[cid]
                          if primary(lang) == lp and _same_term(lp, text, lp, t.text))
                  for lp in wanted if lp in stored_langs}
        if shared and all(shared.values()) and (
                entry is None or not _differ(described[cid], entry)):
            how_close = (sum(shared.values()), -len(have[cid]), len(given & fields[cid]))
            if how_close > closest:
                best, closest = cid, how_close
    return best


def _differ(stored: tuple[str | None, str | None], entry: TermEntry) -> bool:
    """Whether a stored concept's (subject, definition) and an entry's say different things."""
    def differ(a: str | None, b: str | None) -> bool:
        a, b = _clean(a), _clean(b)
        return a is not None and b is not None and fold(a).rstrip(".") != fold(b).rstrip(".")

    return differ(stored[0], entry.subject) or differ(stored[1], entry.definition)


_CONCEPT_STATE = ("SELECT subject, definition, note, confidence, extra, data FROM concepts "
                  "WHERE id = ?")
_TERMS_STATE = ("SELECT id, lang, text, pos, status, context, source, note, created, data "
                "FROM terms WHERE concept_id = ? ORDER BY id")


def _merge_into(conn: sqlite3.Connection, cid: int, e: TermEntry, terms: Sequence[Term],
                stamp: str, update: bool, date_new: bool = False) -> None:
    """Merge ``e`` into concept ``cid``: new synonyms and languages are added and missing
    fields filled; with ``update``, a term's status and part of speech given by ``e`` replace
    the stored ones (a client's glossary marking a term forbidden is news). Without it, only
    new terms are added: the stored entry's own fields stay as they are. The concept is
    dated modified, now, only when something changed."""
    before = (conn.execute(_CONCEPT_STATE, (cid,)).fetchone(),
              conn.execute(_TERMS_STATE, (cid,)).fetchall())
    if not update:
        known = {(primary(r[1]), fold(r[2])) for r in before[1]}
        new = [t for t in terms if (primary(t.lang), fold(t.text)) not in known]
        for t in new:  # terms are distinct already (_add_one)
            _insert_term(conn, cid, _dated(t, stamp if date_new else None))
        if new:
            conn.execute("UPDATE concepts SET modified = ? WHERE id = ?", (stamp, cid))
        return
    subject, definition, note, confidence, extra_json, data_json = before[0]
    extra = json.loads(extra_json) if extra_json else {}
    for k, v in e.extra.items():  # the merged entry's other fields are kept too
        if k != "source" and not _defined(extra, k, v):
            extra.setdefault(k, v)
    data = list(_data_of(data_json))
    data.extend(i for i in e.data if not any(_same_item(i, d) for d in data) and not (
        i.name == "definition" and i.lang and _defined(extra, f"definition:{i.lang}", i.value)))
    conn.execute(
        "UPDATE concepts SET subject = ?, definition = ?, note = ?, confidence = ?, "
        "extra = ?, data = ? WHERE id = ?",
        (subject or _clean(e.subject), definition or _clean(e.definition),
         note or _not_written(e.note, data),
         confidence if confidence is not None else e.confidence,
         json.dumps(extra, ensure_ascii=False) if extra else None,
         _data_json(data), cid))
    stored = {r[0]: r[3:] for r in before[1]}  # term id -> its fields, as compared below
    existing = [(r[0], r[1], r[2]) for r in before[1]]  # (id, lang, text)
    for t in terms:
        tids = _term_ids(existing, t.lang, t.text)
        if not tids:
            _insert_term(conn, cid, _dated(t, stamp if date_new else None))
            existing.append((-1, t.lang, t.text))
        for tid in (x for x in tids if x > 0):  # fill in what the stored term lacks; with
            # update, the news wins
            status = str(t.status) if t.status else None
            note = _not_written(t.note, _data_of(stored[tid][-1]))  # this copy's own
            first = "?, pos" if update else "pos, ?"
            conn.execute(
                f"UPDATE terms SET pos = COALESCE({first}), "
                f"status = COALESCE({'?, status' if update else 'status, ?'}), "
                "context = COALESCE(context, ?), source = COALESCE(source, ?), "
                "note = COALESCE(note, ?), created = COALESCE(created, ?), "
                "data = COALESCE(data, ?) WHERE id = ?",
                (t.pos, status, t.context, t.source, note, t.created,
                 _data_json(t.data), tid))
            row = conn.execute("SELECT pos, status, context, source, note, created, data "
                               "FROM terms WHERE id = ?", (tid,)).fetchone()
            if row != stored[tid]:
                conn.execute("UPDATE terms SET modified = ? WHERE id = ?", (stamp, tid))
    after = (conn.execute(_CONCEPT_STATE, (cid,)).fetchone(),
             conn.execute(_TERMS_STATE, (cid,)).fetchall())
    if after != before:
        conn.execute("UPDATE concepts SET modified = ? WHERE id = ?", (stamp, cid))


def _same_item(a: DataCategory, b: DataCategory) -> bool:
    """The same field, whether or not a target came with it (TBX-Basic export drops the
    targets it cannot keep: a file exported and imported again brings it without)."""
    return (a.name, a.value) == (b.name, b.value) and (
        a.lang == b.lang or bool(a.lang and b.lang) and _same_term(a.lang, "", b.lang, "")) and (
        a.target == b.target or None in (a.target, b.target))


def _not_written(note: str | None, data: Sequence[DataCategory]) -> str | None:
    """A merged entry's note without the lines that stand for fields already held: TBX export
    writes a field it has no place for as a "name: value" note."""
    note = _clean(note)
    if note is None or not data:
        return note
    held = {f"{d.name}: {d.value}" for d in data}
    lines = [x for x in note.split("\n") if x.split(" <", 1)[0] not in held]
    return _clean("\n".join(lines))


def _add_one(conn: sqlite3.Connection, e: TermEntry, merge: bool, stamp: str,
             date_new: bool, update: bool = True) -> tuple[int, str]:
    """Store ``e``: (concept id, "added", "merged" or "kept"). Without ``update``, an entry
    one of whose terms the termbase already pairs otherwise is "kept" out: what is stored
    (curated, corrected) wins over what is found again."""
    terms = _distinct([_norm_term(t) for t in e.terms])
    if not terms:
        raise UsageError("an entry needs at least one term")
    if merge and e.id is None:
        target = _find_merge_target(conn, terms, e)
        if target is not None:
            _merge_into(conn, target, e, terms, stamp, update, date_new)
            return target, "merged"
        if not update:
            known = _holding(conn, terms)
            if known is not None:
                return known, "kept"
    cid = _insert_concept(conn, e, stamp if date_new else None)
    for t in terms:
        _insert_term(conn, cid, _dated(t, stamp if date_new else None))
    return cid, "added"


def _dated(t: Term, stamp: str | None) -> Term:
    """A term created now (``stamp``; None for terms read from a file, whose dates are
    theirs) dated so unless it brings its own date."""
    return replace(t, created=stamp) if stamp and not t.created else t


def _holding(conn: sqlite3.Connection, terms: Sequence[Term]) -> int | None:
    """A concept holding one of ``terms``, or an inflected form of it, in its language."""
    for t in terms:
        row = conn.execute("SELECT concept_id FROM terms WHERE (fold_key = ? OR lemma_key = ?) "
                           "AND lp = ? LIMIT 1", (fold(t.text), term_keys(t.text, t.lang)[0],
                                                  primary(t.lang))).fetchone()
        if row is not None:
            return int(row[0])
    return None


def _same_term(a_lang: str, a_text: str, b_lang: str, b_text: str) -> bool:
    """Whether two terms of an entry are one: the same words in the same language variant.
    Typography, spacing and the case of the first letter aside (glossaries that capitalise
    every entry write "Garantie"); other case and accents count: "Member State" is not
    "member state", "OTAN" is not "otan". A bare tag ("fr") is any variant of its language;
    "courriel" fr-FR and "courriel" fr-CA are two terms, each with its own status."""
    if a_lang != b_lang and (primary(a_lang) != primary(b_lang)
                             or "-" in a_lang and "-" in b_lang):
        return False
    a, b = unify(a_text), unify(b_text)
    return a == b or a[1:] == b[1:] and a[:1].casefold() == b[:1].casefold()


def _term_ids(rows: Sequence[tuple[Any, str, str]], lang: str, text: str,
              retag: bool = False) -> list[Any]:
    """The keys of the (key, lang, text) rows that are the term ``text`` of ``lang``: the one
    with that very tag; else, for a bare tag, every regional copy (courriel fr-FR and fr-CA),
    and for a regional one its bare twin, when ``retag`` (an edit re-tags it) or when its
    region is the one a bare tag is written as (fr is exported as fr-FR)."""
    same = [(key, row_lang) for key, row_lang, row_text in rows
            if _same_term(row_lang, row_text, lang, text)]
    exact = [key for key, row_lang in same if row_lang == lang]
    if exact:
        return exact[:1]
    if "-" not in lang:
        return [key for key, _ in same]
    if retag or lang == DEFAULT_REGION.get(primary(lang)):
        return [key for key, _ in same][:1]
    return []


def _same_terms(stored: Sequence[tuple[Term, int]], t: Term) -> list[tuple[Term, int]]:
    """The stored (term, id) an edit giving ``t`` replaces (``_term_ids``)."""
    ids = _term_ids([(tid, old.lang, old.text) for old, tid in stored], t.lang, t.text,
                    retag=True)
    return [(old, tid) for old, tid in stored if tid in ids]


def _distinct(terms: list[Term]) -> list[Term]:
    """Each term once per language tag (``_same_term``): the first given."""
    out: list[Term] = []
    for t in terms:
        if not any(o.lang == t.lang and _same_term(o.lang, o.text, t.lang, t.text)
                   for o in out):
            out.append(t)
    return out


def add_entries_counted(store: Any, entries: Iterable[TermEntry], *,
                        merge: bool = True, update: bool = True) -> AddCounts:
    """Like ``add_entries`` but says how many entries were new and how many were merged.

    New entries keep the dates they come with and get none otherwise: entries read from a
    file were not created now, and export must not invent dates for them.
    """
    conn = _writable(store)
    outcomes: Counter[str] = Counter()
    stamp = now()
    left_out = []
    with transaction(conn):
        for e in entries:
            outcome = _add_one(conn, e, merge, stamp, date_new=False, update=update)[1]
            outcomes[outcome] += 1
            if outcome == "kept":
                left_out.append(e)
    return AddCounts(outcomes["added"], outcomes["merged"], kept=outcomes["kept"],
                     left_out=tuple(left_out))


def add_entries(store: Any, entries: Iterable[TermEntry], *, merge: bool = True,
                update: bool = True) -> int:
    """Store entries in one transaction; returns how many were stored (new or merged).

    With ``merge``, an entry whose terms already exist in the same languages (and whose
    subject and definition, when both sides have one, agree) is merged into that concept
    (new synonyms and languages added, missing fields filled; with ``update``, the statuses
    and parts of speech it gives replace the stored ones) instead of being stored twice. An
    entry with an ``id`` is stored under that id.
    """
    return add_entries_counted(store, entries, merge=merge, update=update).total


def add_entry(store: Any, entry: TermEntry, *, merge: bool = True) -> int:
    """Store one entry, dated now unless it has dates; returns its concept id (that of the
    concept it was merged into)."""
    conn = _writable(store)
    with transaction(conn):
        cid, _ = _add_one(conn, entry, merge, now(), date_new=True)
    return cid


def _defined(extra: dict[str, Any], key: str, value: Any) -> bool:
    """Whether ``extra`` holds the language-level definition ``key`` (``definition:fr-FR``)
    already, under its bare or regional tag: an export writes a bare fr as fr-FR."""
    name, _, lang = key.partition(":")
    return name == "definition" and bool(lang) and any(
        k.partition(":")[0] == "definition" and extra[k] == value
        and _same_term(k.partition(":")[2], "", lang, "") for k in extra if ":" in k)


_UNSET: Any = object()


def update_entry(store: Any, id: int, *, terms: Iterable[Term] | None = None,
                 subject: str | None = _UNSET, definition: str | None = _UNSET,
                 note: str | None = _UNSET, confidence: float | None = _UNSET) -> TermEntry:
    """Change an entry's fields; ``terms`` replaces the terms of each language it names.

    Fields left out are kept; ``None`` or ``""`` clears one. Returns the updated entry.
    """
    conn = _held(store)
    stamp = now()
    with transaction(conn):
        _check_exists(conn, id)
        before = _state(conn, id)
        (dated,) = conn.execute("SELECT modified FROM concepts WHERE id = ?", (id,)).fetchone()
        fields = {"subject": subject, "definition": definition, "note": note}
        sets = {k: _clean(v) for k, v in fields.items() if v is not _UNSET}
        if confidence is not _UNSET:
            sets["confidence"] = confidence
        sets["modified"] = stamp
        conn.execute(f"UPDATE concepts SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                     (*sets.values(), id))
        if terms is not None:
            new = _distinct([_norm_term(t) for t in terms])
            stored = [
                (replace(row_to_term(row[1:8]), created=row[8], modified=row[9],
                         data=_data_of(row[10])), row[0])
                for row in conn.execute(
                    f"SELECT id, {TERM_COLUMNS}, created, modified, data FROM terms "
                    "WHERE concept_id = ?", (id,))]
            given = {t.lang for t in new}
            # a term given again keeps what it had (status, context, dates, its regional
            # tag...) unless given
            # (a bare tag given again keeps each regional copy: courriel fr-FR and fr-CA)
            matched = [(t, _same_terms(stored, t)) for t in new]
            new = _distinct([_kept_fields(t, old, stamp) for t, olds in matched
                             for old, _ in (olds or [(None, 0)])])
            # a regional tag replaces the terms of that variant, a bare one those of the
            # language; a term given again replaces its stored self, whatever its tag
            again = {tid for _, olds in matched for _, tid in olds}
            doomed = [tid for old, tid in stored
                      if tid in again or any(old.lang == tag or "-" not in tag
                                             and primary(old.lang) == tag for tag in given)]
            if doomed:
                marks = ",".join("?" * len(doomed))
                conn.execute(f"DELETE FROM term_words WHERE term_id IN ({marks})", doomed)
                conn.execute(f"DELETE FROM terms WHERE id IN ({marks})", doomed)
            for t in new:
                _insert_term(conn, id, t)
            if conn.execute("SELECT 1 FROM terms WHERE concept_id = ? LIMIT 1",
                            (id,)).fetchone() is None:
                raise UsageError(f"entry {id} would have no terms left")
        if _state(conn, id) == before:  # an edit that changes nothing dates nothing
            conn.execute("UPDATE concepts SET modified = ? WHERE id = ?", (dated, id))
    return get_entry(store, id)


def _state(conn: sqlite3.Connection, cid: int) -> tuple[Any, ...]:
    """What an entry holds, its dates of change and the ids of its terms aside."""
    return (conn.execute(_CONCEPT_STATE, (cid,)).fetchone(),
            sorted(r[1:] for r in conn.execute(_TERMS_STATE, (cid,))))


def _kept_fields(new: Term, old: Term | None, stamp: str) -> Term:
    """``new`` with the fields it leaves empty taken from ``old``, the same term stored; dated
    modified ``stamp`` when it differs from it."""
    if old is None:
        return replace(new, created=new.created or stamp, modified=new.modified or stamp)
    lang = old.lang if primary(old.lang) == primary(new.lang) and "-" not in new.lang else new.lang
    kept = replace(new, lang=lang, pos=new.pos or old.pos, status=new.status or old.status,
                   context=new.context or old.context, source=new.source or old.source,
                   note=new.note or old.note, created=new.created or old.created,
                   modified=new.modified or old.modified, data=new.data or old.data)
    changed = replace(kept, modified=None) != replace(old, modified=None)
    return replace(kept, modified=stamp) if changed and not new.modified else kept


_LAST_DELETED = "termbase.last_deleted_id"  # meta: the highest id of a deleted entry


def _last_deleted(conn: sqlite3.Connection) -> int:
    conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_LAST_DELETED,)).fetchone()
    return int(row[0]) if row else 0


def delete_entry(store: Any, id: int) -> None:
    """Remove an entry and its terms; its id is never given to another entry."""
    conn = _held(store)
    with transaction(conn):
        _check_exists(conn, id)
        if id > _last_deleted(conn):
            conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) "
                         "DO UPDATE SET value = excluded.value", (_LAST_DELETED, str(id)))
        conn.execute("DELETE FROM term_words WHERE term_id IN "
                     "(SELECT id FROM terms WHERE concept_id = ?)", (id,))
        conn.execute("DELETE FROM terms WHERE concept_id = ?", (id,))
        conn.execute("DELETE FROM concepts WHERE id = ?", (id,))


# -- files -------------------------------------------------------------------------------

TBX_EXTENSIONS = (".tbx", ".xml", ".tbxm")
CSV_EXTENSIONS = (".csv", ".tsv", ".tab", ".txt")


def file_kind(path: str | os.PathLike[str]) -> str:
    """``tbx`` or ``csv``: by extension, else by the first bytes of the file."""
    p = os.fspath(path)
    low = p.lower()
    if low.endswith(TBX_EXTENSIONS):
        return "tbx"
    if low.endswith(CSV_EXTENSIONS):
        return "csv"
    if os.path.isdir(p):
        raise InputError(p, "is a directory, not a file")
    try:
        with open(p, "rb") as f:
            head = f.read(512)
    except FileNotFoundError as e:
        raise InputError(p, "no such file") from e
    except OSError as e:
        raise InputError(p, f"cannot read: {e.strerror or e}") from e
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").replace(b"\x00", b"")
    return "tbx" if text.startswith(b"<") else "csv"


def read_file(path: str | os.PathLike[str], *, encoding: str | None = None,
              warn: Warn | None = None) -> Iterator[TermEntry]:
    """Entries of a TBX (v2 or v3) or CSV/TSV glossary file, streamed.

    ``encoding`` applies to CSV/TSV (XML says its own); what the reader skips is passed to
    ``warn(message, line)``.
    """
    if os.path.isdir(path):
        raise InputError(os.fspath(path), "is a directory, not a file")
    if file_kind(path) == "tbx":
        from .formats.tbx import read_tbx

        return read_tbx(path, warn=warn)
    from .formats.glossary_csv import read_glossary_csv

    return read_glossary_csv(path, encoding=encoding, warn=warn)


def import_file(store: Any, path: str | os.PathLike[str], *, merge: bool = True,
                encoding: str | None = None) -> AddCounts:
    """Import one glossary file in one transaction: all its entries land, or none.

    The counts list what the reader skipped, with its line.
    """
    skipped: list[Skipped] = []
    counts = add_entries_counted(
        store, read_file(path, encoding=encoding,
                         warn=lambda msg, line: skipped.append(Skipped(msg, line))),
        merge=merge)
    return replace(counts, skipped=tuple(skipped))


def export_file(store: Any, path: str | os.PathLike[str], *,
                langs: Iterable[str] | None = None, warn: Warn | None = None) -> int:
    """Write the whole termbase as TBX-Basic (``.tbx``) or CSV/TSV; returns the entry count.

    What TBX-Basic can only hold as a note, and what CSV has no column for, is passed to
    ``warn(message, line)``.
    """
    from .lang import checked, covers

    low = os.fspath(path).lower()
    conn = _held(store)
    asked = [checked(x, "--langs language") for x in langs] if langs else None
    if asked:
        held = sorted({lang for (lang,) in conn.execute("SELECT DISTINCT lang FROM terms")})
        missing = [x for x in asked if not any(covers(x, h) for h in held)]
        if missing:
            raise UsageError(f"the termbase holds no {', '.join(missing)} terms (its languages: "
                             f"{', '.join(held) or 'none'})")
    # a bare fr is written as fr-FR only in an export that has fr-FR (not one of fr-CA)
    tags = {bare: tag for bare, tag in merged_tags(conn, asked).items()
            if asked is None or any(covers(x, tag) for x in asked)}
    entries: Iterable[TermEntry] = list_entries(store)
    if asked:  # chosen by the tags they have here, before a bare fr is written as fr-FR
        entries = (_only(e, asked) for e in entries)
    if tags:
        entries = (retag(e, tags) for e in entries)
    if low.endswith(".tbx"):
        from .formats.tbx import write_tbx

        return write_tbx(entries, path, langs=asked, warn=warn)
    if low.endswith((".csv", ".tsv")):
        from .formats.glossary_csv import write_glossary_csv

        return write_glossary_csv(entries, path, langs=asked, warn=warn)
    raise UsageError(f"{os.fspath(path)}: the output must end in .tbx, .csv or .tsv")


def _only(e: TermEntry, langs: list[str]) -> TermEntry:
    """``e`` with only the terms and language-level fields ``langs`` cover (``lang.covers``)."""
    from .lang import covers

    def kept(lang: str | None) -> bool:
        return not lang or any(covers(x, lang) for x in langs)

    return replace(e, terms=tuple(t for t in e.terms if kept(t.lang)),
                   extra={k: v for k, v in e.extra.items()
                          if not k.startswith("definition:") or kept(k.partition(":")[2])},
                   data=tuple(d for d in e.data if kept(d.lang)))


def merged_tags(conn: sqlite3.Connection, langs: Sequence[str] | None = None
                ) -> dict[str, str]:
    """Bare language tags to export under the one regional tag of their language.

    A termbase holding ``fr`` and ``fr-FR`` (and no other French) exports both as ``fr-FR``,
    one column or language section instead of two: ``fr-FR`` is what tmtool writes for a
    bare ``fr`` (``lang.DEFAULT_REGION``). A bare ``fr`` beside ``fr-CA`` only, or beside
    ``fr-FR`` and ``fr-CA``, names no region and stays as it is. Only the tags ``langs``
    keep count (an export of some languages).
    """
    from .lang import DEFAULT_REGION, covers

    by_lp: dict[str, set[str]] = {}
    for lang, lp in conn.execute("SELECT DISTINCT lang, lp FROM terms"):
        if langs is None or any(covers(x, lang) for x in langs):  # the tags written
            by_lp.setdefault(lp, set()).add(lang)
    out = {}
    for lp, langs in by_lp.items():
        regional = {x for x in langs if x.lower() != lp}
        if (len(regional) == 1 and len(langs) == 2
                and regional == {DEFAULT_REGION.get(lp)}):
            out[next(x for x in langs if x.lower() == lp)] = regional.pop()
    return out


def retag(e: TermEntry, tags: dict[str, str]) -> TermEntry:
    """``e`` with the language tags in ``tags`` replaced (terms, language-level fields)."""
    extra: dict[str, str] = {}
    more: list[DataCategory] = []
    for k, v in e.extra.items():
        name, sep, lang = k.partition(":")
        key = f"{name}:{tags[lang]}" if sep and name == "definition" and lang in tags else k
        if key in extra and extra[key] != v:  # both tags had a definition: keep both
            more.append(DataCategory("definition", v, None, key.partition(":")[2]))
        else:
            extra[key] = v
    data = [d._replace(lang=tags.get(d.lang, d.lang)) if d.lang else d for d in e.data]
    terms = []
    for t in e.terms:  # a bare term beside its regional copy: the copy, with its own fields
        lang = tags.get(t.lang, t.lang)
        if lang == t.lang or not any(o.lang == lang and _same_term(lang, o.text, lang, t.text)
                                     for o in e.terms):
            terms.append(replace(t, lang=lang) if lang != t.lang else t)
    return replace(e, terms=tuple(terms), extra=extra, data=tuple(data + more))


# -- reading -------------------------------------------------------------------------------


def get_entry(store: Any, id: int) -> TermEntry:
    """The entry with this id; UsageError when there is none."""
    entries = entries_by_ids(_held(store), [id])
    if id not in entries:
        raise UsageError(f"no termbase entry with id {id}")
    return entries[id]


def list_entries(store: Any, *, lang: str | None = None,
                 limit: int | None = None) -> Iterator[TermEntry]:
    """Entries in id order, optionally only those with a term in ``lang`` (``fr``: any French;
    ``fr-CA``: fr-CA or tagged only ``fr``, as the memory's filters)."""
    from .lang import covers_sql

    conn = _held(store)
    last, done, page = 0, 0, 500
    cond, values = covers_sql(lang) if lang else ("", [])
    while limit is None or done < limit:
        size = page if limit is None else min(page, limit - done)
        if lang:
            ids = [r[0] for r in conn.execute(
                f"SELECT DISTINCT concept_id FROM terms WHERE {cond.replace('plang', 'lp')} "
                f"AND concept_id > ? ORDER BY concept_id LIMIT ?", (*values, last, size))]
        else:
            ids = [r[0] for r in conn.execute(
                "SELECT id FROM concepts WHERE id > ? ORDER BY id LIMIT ?", (last, size))]
        if not ids:
            return
        entries = entries_by_ids(conn, ids)
        for i in ids:
            yield entries[i]
        done += len(ids)
        last = ids[-1]


def count_entries(store: Any) -> int:
    return int(_held(store).execute("SELECT count(*) FROM concepts").fetchone()[0])


def row_to_term(row: Sequence[Any]) -> Term:
    """A Term from ``SELECT lang, text, pos, status, context, source, note``."""
    lang, text, pos, status, context, source, note = row
    return Term(text=text, lang=lang, pos=pos, status=TermStatus(status) if status else None,
                context=context, source=source, note=note)


TERM_COLUMNS = "lang, text, pos, status, context, source, note"


def _has_data(conn: sqlite3.Connection) -> bool:
    """Whether the store has the ``data`` columns: a read-only reader of a store not yet
    upgraded (schema 1) still reads it, without them."""
    return any(r[1] == "data" for r in conn.execute("PRAGMA table_info(terms)"))


def entries_by_ids(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, TermEntry]:
    """Entries for the given concept ids (missing ids are left out), two queries per 500."""
    ids = list(dict.fromkeys(int(i) for i in ids))
    out: dict[int, TermEntry] = {}
    data_col = "data" if _has_data(conn) else "NULL"
    for k in range(0, len(ids), 500):
        chunk = ids[k:k + 500]
        marks = ",".join("?" * len(chunk))
        terms: dict[int, list[Term]] = {}
        for row in conn.execute(f"SELECT concept_id, {TERM_COLUMNS}, created, modified, "
                                f"{data_col} FROM terms WHERE concept_id IN ({marks}) "
                                "ORDER BY id", chunk):
            created, modified, data = row[-3:]
            term = replace(row_to_term(row[1:-3]), created=created, modified=modified,
                           data=_data_of(data))
            terms.setdefault(row[0], []).append(term)
        for row in conn.execute(
                "SELECT id, subject, definition, note, confidence, created, modified, source, "
                f"extra, {data_col} FROM concepts WHERE id IN ({marks})", chunk):
            (cid, subject, definition, note, confidence, created, modified, source, extra,
             data) = row
            extra_d = json.loads(extra) if extra else {}
            if source:
                extra_d["source"] = source
            out[cid] = TermEntry(terms=tuple(terms.get(cid, ())), id=cid, subject=subject,
                                 definition=definition, note=note, confidence=confidence,
                                 created=created, modified=modified, extra=extra_d,
                                 data=_data_of(data))
    return out


# -- helpers -------------------------------------------------------------------------------


def connection_of(store: Any) -> sqlite3.Connection:
    """The sqlite3 connection of a Store (or a connection given directly)."""
    return store if isinstance(store, sqlite3.Connection) else store.conn


def _writable(store: Any) -> sqlite3.Connection:
    """The connection, with the termbase tables created first when ``store`` is a Store."""
    if hasattr(store, "migrate") and store.version(COMPONENT) < len(MIGRATIONS):
        migrate(store)
    return connection_of(store)


def _held(store: Any) -> sqlite3.Connection:
    """The connection of a store that must have a termbase (StoreError saying so if not)."""
    conn = connection_of(store)
    require(conn, getattr(store, "path", "store"))
    return conn


def _check_exists(conn: sqlite3.Connection, id: int) -> None:
    if conn.execute("SELECT 1 FROM concepts WHERE id = ?", (id,)).fetchone() is None:
        raise UsageError(f"no termbase entry with id {id}")
