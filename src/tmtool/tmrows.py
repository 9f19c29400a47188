"""A translation unit as the memory stores it: rows of plain values, ready to insert.

Preparing a unit (language tags normalised, text folded and tokenised, index terms, duplicate
key, metadata as JSON) is most of an import's work outside SQLite. It needs nothing from the
store, so for a large file it runs in a second process that reads the TMX while this one
writes (``prepared_batches``); the rows are plain tuples, cheap to send between processes.

The index terms of a variant are its folded words suffixed with its primary language and
length bucket (``garanties`` in a 9-word French segment is ``garanties<fr><8>``, the marks
being private-use characters that folding never produces), so a posting list holds segments of
one language and about one length.
"""

from __future__ import annotations

import gc
import hashlib
import json
import math
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from . import match as m
from .errors import StoreError, TmtoolError
from .lang import normalize, primary
from .model import UNTRANSLATED_PROP, TranslationUnit, Variant

RawUnit = tuple[Any, ...]  # see formats.tmx.RawUnit

BATCH = 1000
PARALLEL_MIN_BYTES = 8_000_000  # smaller files are read faster than a process starts

# Fields of an item, in table order without the ids:
# unit: origin, tuid, srclang, creationdate, creationid, changedate, changeid, usagecount,
#       changed, props, notes, attrs
# variant: lang, plang, text, markup, match keys (space-separated), ntok, creationdate,
#          creationid, changedate, changeid, props, notes, index body, attrs
# (attrs: the other TMX attributes, as JSON pairs; the index body is not stored as a column)
UnitFields = tuple[Any, ...]
VariantFields = tuple[Any, ...]
Item = tuple[int, UnitFields, tuple[VariantFields, ...]]  # (duplicate key, unit, variants)


@dataclass(frozen=True, slots=True)
class Skip:
    """A unit left out of an import, with why and where (line in the file, when known)."""

    reason: str
    line: int | None = None


# -- dates and metadata --------------------------------------------------------------------------

_NON_DIGIT = re.compile(r"\D")


@lru_cache(maxsize=4096)  # a file's units share few distinct dates
def _digits(date: str) -> str:
    if len(date) == 16 and date[8] == "T" and date[15] == "Z":  # the usual TMX form
        digits = date[:8] + date[9:15]
        if digits.isdecimal():  # what ``\d`` matches
            return digits
    return _NON_DIGIT.sub("", date)[:14]


def date_key(*dates: str | None) -> str:
    """Digits of the latest TMX/ISO date given (``20240131T120000Z`` -> ``20240131120000``)."""
    latest = ""
    for date in dates:
        if date:
            digits = _digits(date)
            if digits > latest:
                latest = digits
    return latest


def to_json(items: tuple[Any, ...]) -> str | None:
    return json.dumps([list(i) if isinstance(i, tuple) else i for i in items],
                      ensure_ascii=False) if items else None


def props_from_json(text: str | None) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in json.loads(text)) if text else ()


def notes_from_json(text: str | None) -> tuple[str, ...]:
    return tuple(json.loads(text)) if text else ()


def dupkey(sides: Iterable[tuple[str, str, str]]) -> int:
    """Key of a unit's (language, text, markup) sides: units with the same key may be
    duplicates. Markup is "" for a side without inline codes."""
    # Stored keys must stay as they are: the same bytes are hashed, in one update (a side
    # without markup is hashed as keys were before markup counted).
    data = ("\x01".join([f"{lang}\x00{text}\x00{markup}" if markup else f"{lang}\x00{text}"
                         for lang, text, markup in sorted(sides)]) + "\x01"
            ).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


# -- index terms ---------------------------------------------------------------------------------

# Buckets 50% wide: finer ones (20%) made imports 25% slower and lookups no faster (more
# terms to open per word), coarser ones (200%) made lookups read more postings.
_LOG_STEP = math.log(1.5)
LANG_MARK, BUCKET_MARK = "\ue002", "\ue003"


def bucket(ntok: int) -> int:
    """Length bucket of a segment: exact up to 6 tokens, then steps of 50%."""
    return ntok if ntok <= 6 else 7 + int(math.log(ntok / 7) / _LOG_STEP + 1e-9)


def buckets(lo: int, hi: int) -> list[int]:
    """The buckets holding every length from ``lo`` to ``hi``."""
    return list(range(bucket(lo), bucket(max(lo, hi)) + 1))


@lru_cache(maxsize=256)
def lang_part(plang: str) -> str:
    """The part of a term naming the language: every term of ``plang`` has it after the word."""
    return f"{LANG_MARK}{re.sub(r'[^a-z0-9]', '', plang)}{BUCKET_MARK}"


@lru_cache(maxsize=4096)
def suffix(plang: str, bucket_: int) -> str:
    return f"{lang_part(plang)}{bucket_}"


@lru_cache(maxsize=4096)
def count_term(plang: str, bucket_: int) -> str:
    """The ``tm_terms`` row counting the variants of one language and bucket (never indexed)."""
    return f"\ue000{suffix(plang, bucket_)}"


def index_body(toks: str, plang: str, ntok: int) -> str:
    """The text the index gets for a variant of ``ntok`` match keys whose word tokens are
    ``toks`` (joined by single spaces)."""
    if not toks:
        return ""
    end = suffix(plang, bucket(ntok))
    return toks.replace(" ", end + " ") + end


def ntokens(toks: str) -> int:
    """How many tokens (or keys) ``toks`` (joined by single spaces) holds."""
    return toks.count(" ") + 1 if toks else 0


def index_terms(body: str, plang: str, ntok: int) -> list[str]:
    """The ``tm_terms`` rows a variant raises by one: its distinct terms and its bucket count."""
    terms = list(set(body.split()))
    terms.append(count_term(plang, bucket(ntok)))
    return terms


# -- the cycle collector -------------------------------------------------------------------------

_gc_lock = threading.Lock()
_gc_pauses = [0, False]  # imports running, whether the collector was on before the first


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while importing, and restore it after the last import.

    Import rows form no reference cycles: the collector would only walk the ever more
    numerous live objects again and again (about 6% of an import's time). Imports running at
    once in several threads share one pause.
    """
    with _gc_lock:
        if _gc_pauses[0] == 0:
            _gc_pauses[1] = gc.isenabled()
            gc.disable()
        _gc_pauses[0] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses[0] -= 1
            if _gc_pauses[0] == 0 and _gc_pauses[1]:
                gc.enable()


# -- units to items and back ---------------------------------------------------------------------


class Preparer:
    """Turns units into items (or Skips); ``origin``, when given, overrides the units' own."""

    def __init__(self, origin: str | None) -> None:
        self.origin = origin
        self.langs: dict[str, tuple[str, str]] = {}  # tag as given -> (normalised, primary)

    def _lang(self, tag: str) -> tuple[str, str]:
        known = self.langs.get(tag)
        if known is None:
            norm = normalize(tag)
            known = self.langs[tag] = (norm, primary(norm))
        return known

    def item(self, unit: TranslationUnit, analyse: bool = True) -> Item | Skip:
        """The unit's item; without ``analyse``, its variants' keys, token count and index
        body are left None for ``analysed`` to fill in (in another process)."""
        return self.raw_item(raw_unit(unit), unit.origin, analyse)

    def raw_item(self, raw: RawUnit, origin: str | None = None, analyse: bool = True
                 ) -> Item | Skip:
        """``item`` of a unit as ``TmxReader.raw_units`` gives it (from ``origin``)."""
        tuid, srclang, cdate, cid, chdate, chid, usage, props, notes, raw_variants, attrs = raw
        filled = 0  # what the TMX reader checks, for units made in Python (add_units)
        for v in raw_variants:
            if not v[0] or v[0].isspace():
                return Skip(f"{_name(tuid)} has a variant without a language")
            if v[1] and not v[1].isspace():
                filled += 1
        if filled < 2:
            return Skip(f"{_name(tuid)} has {filled} non-empty variant(s), fewer than two")
        if UNTRANSLATED_PROP in props:  # tmtool align --keep-unaligned kept it to be seen, not used
            return Skip(f"{_name(tuid)} is marked untranslated (its target "
                        f"is its source left as it was)")
        variants = []
        for (lang, text, markup, vcdate, vcid, vchdate, vchid, vprops, vnotes,
             vattrs) in raw_variants:
            lang, plang = self._lang(lang)
            keys, ntok, body = analysis(text, plang) if analyse else (None, None, None)
            variants.append((lang, plang, text, markup, keys, ntok, vcdate, vcid, vchdate,
                             vchid, to_json(vprops), to_json(vnotes), body, to_json(vattrs)))
        fields = (self.origin or origin, tuid, srclang, cdate, cid, chdate, chid, usage,
                  _changed(chdate, cdate, variants), to_json(props), to_json(notes),
                  to_json(attrs))
        return dupkey(_sides(variants)), fields, tuple(variants)


def _name(tuid: str | None) -> str:
    return f"unit {tuid!r}" if tuid else "unit"


def _changed(changedate: str | None, creationdate: str | None,
             variants: Iterable[VariantFields]) -> str | None:
    """A unit's latest date, its own or a variant's, as ``date_key`` digits (None: no date)."""
    return date_key(changedate, creationdate,
                    *[d for v in variants for d in (v[8], v[6])]) or None


def _sides(variants: Iterable[VariantFields]) -> list[tuple[str, str, str]]:
    """(language, text, markup) of each variant: what makes two units duplicates."""
    return [(v[0], v[2], v[3] or "") for v in variants]


def raw_unit(unit: TranslationUnit) -> RawUnit:
    """A unit as ``TmxReader.raw_units`` gives it (the form ``Preparer.raw_item`` reads)."""
    return (unit.tuid, unit.srclang, unit.creationdate, unit.creationid, unit.changedate,
            unit.changeid, unit.usagecount, unit.props, unit.notes,
            tuple((v.lang, v.text, v.markup, v.creationdate, v.creationid, v.changedate,
                   v.changeid, v.props, v.notes, tuple(sorted(v.attrs)))
                  for v in unit.variants),
            tuple(sorted(unit.attrs)))  # attributes have no order: by name, as the reader


def analysis(text: str, plang: str) -> tuple[str, int, str]:
    """(match keys, token count, index body) of a variant: most of the work of an item."""
    toks, keys = m.stored_keys(text)
    ntok = ntokens(keys)  # a number with separators is one key ("1 000") and several tokens
    return keys, ntok, index_body(toks, plang, ntok)


def analysed(item: Item) -> Item:
    """An item of ``Preparer.item(unit, analyse=False)`` as ``Preparer.item(unit)`` gives it
    (an item already analysed is given back as it is)."""
    key, fields, variants = item
    if variants[0][4] is not None:
        return item
    done = []
    for v in variants:
        keys, ntok, body = analysis(v[2], v[1])
        done.append((*v[:4], keys, ntok, *v[6:12], body, v[13]))
    return key, fields, tuple(done)


def texts(item: Item) -> list[tuple[str, str, str]]:
    """The (language, text, markup) sides that make two items duplicates: CAT tools keep a
    segment with inline codes apart from the same words without them."""
    return sorted(_sides(item[2]))


def item_unit(item: Item) -> TranslationUnit:
    """The unit an item holds (for merging duplicates, which is rare enough to afford)."""
    _, u, vs = item
    return TranslationUnit(
        variants=tuple(Variant(lang=v[0], text=v[2], markup=v[3], creationdate=v[6],
                               creationid=v[7], changedate=v[8], changeid=v[9],
                               props=props_from_json(v[10]), notes=notes_from_json(v[11]),
                               attrs=props_from_json(v[13]))
                       for v in vs),
        tuid=u[1], srclang=u[2], creationdate=u[3], creationid=u[4], changedate=u[5],
        changeid=u[6], usagecount=u[7], props=props_from_json(u[9]),
        notes=notes_from_json(u[10]), origin=u[0], attrs=props_from_json(u[11]))


def union_json(a: str | None, b: str | None) -> str | None:
    """Two JSON lists of props or notes as one: ``a``'s first, each once."""
    if a is None and b is None:
        return None
    both = (json.loads(a) if a else []) + (json.loads(b) if b else [])
    return to_json(tuple(dict.fromkeys(tuple(x) if isinstance(x, list) else x for x in both)))


def _merged_props(latest: str | None, other: str | None) -> str | None:
    """The props of two versions of a unit (JSON lists of pairs): the newer version's, and
    those of a type it lacks from the other. A field the newer one sets (a Trados client, a
    status) was set again on purpose: the older value must not come back beside it."""
    if latest is None and other is None:
        return None
    new = json.loads(latest) if latest else []
    types = {t for t, _ in new}
    kept = [p for p in (json.loads(other) if other else []) if p[0] not in types]
    return to_json(tuple(dict.fromkeys(tuple(p) for p in new + kept)))


def _more(a: int | None, b: int | None) -> int | None:
    """The higher of two usage counts: two exports of one memory both count its earlier uses,
    so adding them up would count those twice (and each import of a file again)."""
    return b if a is None else a if b is None else max(a, b)


def _merged_attrs(latest: str | None, other: str | None) -> str | None:
    """The other TMX attributes of two duplicates: the newer unit's, filled in from the other;
    the last use is the latest of both, and a variant's usage count the higher."""
    if other is None:
        return latest
    if latest is None:
        return other
    old, new = dict(props_from_json(other)), dict(props_from_json(latest))
    merged = {**old, **new}
    if "lastusagedate" in old and "lastusagedate" in new and (
            date_key(old["lastusagedate"]) > date_key(new["lastusagedate"])):
        merged["lastusagedate"] = old["lastusagedate"]
    if old.get("usagecount", "").isdigit() and new.get("usagecount", "").isdigit():
        merged["usagecount"] = str(max(int(old["usagecount"]), int(new["usagecount"])))
    return to_json(tuple(sorted(merged.items())))


def _earliest(a: str | None, b: str | None) -> str | None:
    if a and b:
        return a if date_key(a) <= date_key(b) else b
    return a or b


def merge_items(old: Item, new: Item) -> Item:
    """One item from two with the same texts: the newest wins, nothing else is lost.

    The newer unit's (``changed``) content and metadata are kept, filled in from the other
    where they are missing; on a tie the one met first (``old``) is kept, so importing the same
    units again, or a copy of their file, leaves their origin as it was. The earliest creation
    date and the highest usage count are kept; props of a type the newer lacks are added, and
    notes are united. Works on rows, as an import merges thousands of duplicates.
    """
    latest, other = (new, old) if (new[1][8] or "") > (old[1][8] or "") else (old, new)
    by_key = {(v[0], v[2]): v for v in other[2]}
    variants = []
    for v in latest[2]:
        o = by_key.get((v[0], v[2]))
        if o is not None:
            v = (v[0], v[1], v[2], v[3] if v[3] is not None else o[3],
                 v[4] if v[4] is not None else o[4], v[5] if v[5] is not None else o[5],
                 _earliest(v[6], o[6]), v[7] or o[7], v[8] or o[8], v[9] or o[9],
                 _merged_props(v[10], o[10]), union_json(v[11], o[11]),
                 v[12] if v[12] is not None else o[12], _merged_attrs(v[13], o[13]))
        variants.append(v)
    lu, ou = latest[1], other[1]
    usage = _more(lu[7], ou[7])
    created = _earliest(lu[3], ou[3])
    changedate = lu[5] or ou[5]
    fields = (lu[0] or ou[0], lu[1] or ou[1], lu[2] or ou[2], created, lu[4] or ou[4],
              changedate, lu[6] or ou[6], usage, _changed(changedate, created, variants),
              _merged_props(lu[9], ou[9]), union_json(lu[10], ou[10]),
              _merged_attrs(lu[11], ou[11]))
    return latest[0], fields, tuple(variants)


# -- batches ---------------------------------------------------------------------------------------

Batch = tuple[list[Item], list[Skip]]


def batches(units: Iterable[TranslationUnit], origin: str | None,
            skips: list[Skip] | None = None) -> Iterator[Batch]:
    """Items and skips in batches; ``skips`` collects what a reader reports as it goes."""
    for items, skipped, _ in _prepare(units, Preparer(origin).item, skips, lambda: True):
        yield items, skipped


def _prepare(units: Iterable[Any], make: Callable[[Any, bool], Item | Skip],
             skips: list[Skip] | None, analyse_here: Callable[[], bool]
             ) -> Iterator[tuple[list[Item], list[Skip], bool]]:
    """``batches`` of ``make(unit, analyse)``, each with whether its items are analysed
    (``analyse_here()``, asked as each batch begins, says whether to)."""
    pending = skips if skips is not None else []
    items: list[Item] = []
    here = analyse_here()
    for unit in units:
        x = make(unit, here)
        if isinstance(x, Skip):
            pending.append(x)
        else:
            items.append(x)
        if len(items) >= BATCH:
            yield items, pending[:], here
            items = []
            pending.clear()
            here = analyse_here()
    yield items, pending[:], here
    pending.clear()


def tmx_batches(path: str | os.PathLike[str], origin: str | None,
                on_header: Callable[[Any], None] | None = None) -> Iterator[Batch]:
    """Prepared batches of a TMX file; a large file is read by a second process meanwhile.

    ``on_header`` gets the file's ``TmxHeader`` before the first batch.
    """
    if _worth_a_process(path):
        if on_header is not None:  # the header is at the top: reading it here costs nothing
            import warnings

            from .errors import TmtoolWarning
            from .formats.tmx import TmxReader

            with warnings.catch_warnings():  # the reading process reports the file itself
                warnings.simplefilter("ignore", TmtoolWarning)
                with TmxReader(str(path)) as reader:
                    on_header(reader.header)
        return prepared_batches(str(path), origin)
    return _read_batches(str(path), origin, on_header)


def _read_batches(path: str, origin: str | None,
                  on_header: Callable[[Any], None] | None = None) -> Iterator[Batch]:
    for items, skips, _ in _read(path, origin, lambda: True, on_header):
        yield items, skips


def _read(path: str, origin: str | None, analyse_here: Callable[[], bool],
          on_header: Callable[[Any], None] | None = None
          ) -> Iterator[tuple[list[Item], list[Skip], bool]]:
    from .formats.tmx import TmxReader

    skips: list[Skip] = []
    reader = TmxReader(path, on_skip=lambda reason, line: skips.append(Skip(reason, line)))
    if on_header is not None:
        on_header(reader.header)
    prep = Preparer(origin)
    return _prepare(reader.raw_units(), lambda raw, here: prep.raw_item(raw, path, here),
                    skips, analyse_here)


def _worth_a_process(path: str | os.PathLike[str]) -> bool:
    # Forking is what lets a library start a process without the caller's script guarding its
    # main module; where it is not the safe default (Windows, macOS), files are read in-process.
    if str(path) == "-" or (os.cpu_count() or 1) < 2 or not sys.platform.startswith("linux"):
        return False
    import multiprocessing

    if multiprocessing.current_process().daemon:  # a pool's worker may start no process
        return False
    try:
        return os.path.getsize(path) >= PARALLEL_MIN_BYTES
    except OSError:
        return False  # the reader reports it


def _prepare_in_process(path: str, origin: str | None, conn: Any, waits: Any,
                        other_end: Any) -> None:
    """Body of the reading process: send batches, then None; or the error that stopped it.

    Analysing the texts is the larger part of preparing a batch. When the importer had to
    wait for a batch since the last one began, the next batch goes unanalysed and the
    importer analyses it, so neither process waits long for the other.
    """
    other_end.close()  # else a parent that dies leaves this process blocked in send
    gc.disable()  # this process only reads, making no reference cycles (see collector_paused)
    seen = [0]

    def analyse_here() -> bool:
        count = waits.value
        waited = count > seen[0]
        seen[0] = count
        return not waited

    try:
        for batch in _read(path, origin, analyse_here):
            conn.send(batch)
        conn.send(None)
    except TmtoolError as e:
        conn.send(e)
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the importer stopped listening
    except Exception as e:  # noqa: BLE001 - reported to the importer, which raises it
        conn.send(StoreError(f"{path}: reading failed: {type(e).__name__}: {e}"))
    finally:
        conn.close()


def prepared_batches(path: str, origin: str | None) -> Iterator[Batch]:
    """``_read_batches`` run in a second process: it reads and prepares while we store.

    Some batches come unanalysed (see ``_prepare_in_process``): the caller completes the
    items it keeps with ``analysed`` (a duplicate merged into another needs no analysis).

    At most two batches are in flight (the pipe blocks the reader), so memory stays bounded;
    an error in the reader is raised here, and leaving early stops the reader.
    """
    import multiprocessing

    # The child only reads the file and writes the pipe; it never touches the store it
    # inherits, and leaves through os._exit, so no connection is closed behind our back.
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    waits = ctx.Value("q", 0, lock=False)  # times we found no batch ready
    proc = ctx.Process(target=_prepare_in_process,
                       args=(path, origin, sender, waits, receiver), daemon=True,
                       name="tmtool-tmx-reader")
    proc.start()
    sender.close()
    finished = False
    try:
        while True:
            try:
                if not receiver.poll():
                    waits.value += 1
                message = receiver.recv()
            except EOFError:
                raise StoreError(f"{path}: the reading process stopped unexpectedly") from None
            if message is None:
                finished = True
                return
            if isinstance(message, BaseException):
                finished = True
                raise message
            items, skips, _ = message
            yield items, skips
    finally:
        receiver.close()
        if not finished:  # we stop listening: the reader has no reason to go on
            proc.terminate()
        proc.join(timeout=2)
        if proc.is_alive():
            proc.terminate()
            proc.join()
