"""TMX 1.1-1.4b: streaming reader and writer.

Reading walks the file with a hardened ``iterparse`` (see ``formats.xml``), releasing each ``<tu>``
once it is turned into a TranslationUnit, so memory stays flat whatever the file size. Any
encoding a CAT tool writes is read (UTF-8, UTF-16 LE/BE, with or without BOM, even when the XML
declaration names the wrong one). Kept on read: header attributes, props and notes at header, tu
and tuv level, tu/tuv dates, ids and usagecount, the other tu/tuv attributes (``lastusagedate``,
``creationtool``, ``segtype``...), inline codes (``Variant.markup`` is the ``<seg>`` inner XML,
given back unchanged on export). Dates written in ISO 8601 are read in TMX's form (UTC).
Dropped: ``<ude>``/``<map>`` and comments. TMX defines no XML namespace; one that a tool adds
on ``<tmx>`` is ignored.

Writing produces TMX 1.4b in UTF-8 that validates against the TMX 1.4 DTD.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from itertools import chain
from typing import IO, Any

from .. import __version__
from ..errors import FormatError, InputError, TmtoolWarning
from ..lang import normalize, primary
from ..model import TranslationUnit, Variant
from ..textio import atomic_output
from .xml import (
    XmlSource,
    check_no_entities,
    iterparse,
    release,
    secure_parser,
    strip_illegal,
)

SkipHandler = Callable[[str, "int | None"], None]

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CODES = frozenset({"bpt", "ept", "ph", "it", "ut"})  # native code: not text
# TMX 1.4 content model of the inline elements: allowed children and attributes.
_CHILDREN = {
    "seg": frozenset({"bpt", "ept", "ph", "it", "hi", "ut"}),
    "hi": frozenset({"bpt", "ept", "ph", "it", "hi", "ut"}),
    "sub": frozenset({"bpt", "ept", "ph", "it", "hi", "ut"}),
    **{code: frozenset({"sub"}) for code in _CODES},
}
_INLINE = frozenset({"bpt", "ept", "ph", "it", "hi", "ut", "sub"})
_ATTRS = {
    "bpt": (frozenset({"i", "x", "type"}), frozenset({"i"})),
    "ept": (frozenset({"i"}), frozenset({"i"})),
    "sub": (frozenset({"datatype", "type"}), frozenset()),
    "it": (frozenset({"pos", "x", "type"}), frozenset({"pos"})),
    "ph": (frozenset({"x", "assoc", "type"}), frozenset()),
    "hi": (frozenset({"x", "type"}), frozenset()),
    "ut": (frozenset({"x"}), frozenset()),
}


class TmxSkipWarning(UserWarning):
    """A unit was skipped while no ``on_skip`` handler was given."""


# The other attributes TMX 1.4 gives <tu> and <tuv>, kept as read and written back
# (Trados's lastusagedate, a unit's creation tool...).
_TU_OTHER = ("o-encoding", "datatype", "lastusagedate", "creationtool", "creationtoolversion",
             "segtype", "o-tmf")
_TUV_OTHER = ("o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
              "creationtoolversion", "o-tmf")
_SEGTYPES = frozenset({"block", "paragraph", "sentence", "phrase"})
_TU_OTHER_SET, _TUV_OTHER_SET = frozenset(_TU_OTHER), frozenset(_TUV_OTHER)

# A unit as the reader finds it, before any object is made, fields in the order the memory
# stores them: (tuid, srclang, creationdate, creationid, changedate, changeid, usagecount,
# props, notes, variants, attrs); a variant is (lang, text, markup, creationdate, creationid,
# changedate, changeid, props, notes, attrs). Languages are normalised (BCP 47); attrs are the
# other TMX attributes, as (name, value) pairs.
RawVariant = tuple[Any, ...]
RawUnit = tuple[Any, ...]
_NO_ATTRS: dict[str, str] = {}


def _other_attrs(attrs: dict[str, str], names: frozenset[str], odd: list[str] | None = None
                 ) -> tuple[tuple[str, str], ...]:
    """The other attributes found, by name (attributes have no order); ``odd`` as ``_date``'s."""
    found = attrs.keys() & names  # most units have none: one set operation
    if not found:
        return ()
    return tuple(sorted((n, _date(attrs[n], odd) if n == "lastusagedate" else attrs[n])
                        for n in found
                        if n != "segtype" or attrs[n] in _SEGTYPES))  # the DTD's values


def unit_of(raw: RawUnit, origin: str | None) -> TranslationUnit:
    """The TranslationUnit of a raw unit."""
    tuid, srclang, cdate, cid, chdate, chid, usage, props, notes, variants, attrs = raw
    return TranslationUnit(
        variants=tuple(Variant(lang=v[0], text=v[1], markup=v[2], props=v[7], notes=v[8],
                               creationdate=v[3], changedate=v[5], creationid=v[4],
                               changeid=v[6], attrs=v[9]) for v in variants),
        tuid=tuid, srclang=srclang, props=props, notes=notes, creationdate=cdate,
        changedate=chdate, creationid=cid, changeid=chid, usagecount=usage, origin=origin,
        attrs=attrs)


@dataclass(frozen=True, slots=True)
class TmxHeader:
    """The ``<header>`` of a TMX file: what produced it and how to read its segments."""

    srclang: str | None = None
    adminlang: str | None = None
    creationtool: str | None = None
    creationtoolversion: str | None = None
    segtype: str | None = None
    o_tmf: str | None = None
    datatype: str | None = None
    props: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    version: str | None = None
    o_encoding: str | None = None
    creationdate: str | None = None
    creationid: str | None = None
    changedate: str | None = None
    changeid: str | None = None


# ---------------------------------------------------------------------------------------------
# reading


class TmxReader:
    """One pass over a TMX file: ``header`` is read on opening, iterating yields the units.

    A unit's ``srclang`` is its own ``srclang`` attribute, else the header's; ``origin`` is the
    path read. Units that cannot be stored (fewer than two non-empty variants, no ``<tuv>``, a
    ``<tuv>`` without language or with two ``<seg>``) are not yielded: each is reported through
    ``on_skip(reason, line)`` (a TmxSkipWarning when no handler is given) and counted in
    ``skipped``. Use as a context manager, or call ``close``, to release the file early.
    Raises InputError (unreadable file) or FormatError (malformed or hostile XML, root not
    ``<tmx>``, ...), possibly after some units were yielded.
    """

    def __init__(self, path: str | os.PathLike[str], *, on_skip: SkipHandler | None = None) -> None:
        self.path = str(path)
        self.skipped = 0
        self._odd: list[Any] = [0, None, None]  # dates that are none: count, first, its line
        self._odd_met: list[str] = []  # those of the element being read (``_date``'s ``odd``)
        self._foreign: list[Any] = [0, None, None]  # inline markup TMX 1.4 lacks: same
        self._on_skip = on_skip
        self._source = XmlSource(self.path, drop_default_namespace=True)
        try:
            root = self._source.root_tag
            if root is not None and root != "tmx":  # None: not XML at all, lxml says why
                raise FormatError(self.path, f"not a TMX file: the root is <{root}>, not <tmx>")
            self._pending: Any = None  # a <tu> met while looking for a missing header
            # Units in any namespace are met, to be refused: unmatched, they would never be
            # released and the whole file would pile up in memory.
            self._events = iterparse(self._source, events=("end",),
                                     tag=("header", "{*}tu", "body"))
            self.header = self._read_header()
        except BaseException:
            self.close()
            raise
        # What the header says of every unit that does not say otherwise, beyond sentences of
        # plain text (a "block" segmentation, "html" content): each unit keeps it, so that an
        # export mixing files, under a header of its own, still says it of them.
        self._inherited = tuple(
            (name, value) for name, value in (("segtype", self.header.segtype),
                                              ("datatype", self.header.datatype))
            if value and value.lower() not in ("sentence", "plaintext", "unknown")
            and (name != "segtype" or value in _SEGTYPES))

    def __enter__(self) -> TmxReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        events = getattr(self, "_events", None)
        if events is not None:
            events.close()
        self._source.close()

    def __iter__(self) -> Iterator[TranslationUnit]:
        for raw in self.raw_units():
            yield unit_of(raw, self.path)

    def raw_units(self) -> Iterator[RawUnit]:
        """The units as plain tuples (see ``RawUnit``): what iterating yields, before any
        object is made; a memory import turns them straight into rows."""
        try:
            first = [self._pending] if self._pending is not None else []
            self._pending = None
            for elem in chain(first, (e for _, e in self._events)):
                if elem.tag == "body":  # its end: what is left after the last unit
                    self._strays(list(elem))
                    continue
                other = elem.getprevious()
                if other is not None and other.tag != "tu":  # rare: no unit before this one
                    before = []
                    while other is not None and other.tag != "tu":
                        before.append(other)
                        other = other.getprevious()
                    self._strays(before)
                raw = self._raw(elem)
                if self._odd_met:  # _date met dates that are none in this unit
                    self._odd_dates(elem.sourceline)
                release(elem)
                if raw is not None:
                    yield raw
            if self._odd[0]:
                count, value, line = self._odd
                warnings.warn(TmtoolWarning(
                    f"{self.path}, line {line}: {value!r} is no date"
                    + (f" (and {count - 1} more)" if count > 1 else "")
                    + ": kept as given"), stacklevel=2)
                self._odd[0] = 0
            if self._foreign[0]:
                count, problem, line = self._foreign
                warnings.warn(TmtoolWarning(
                    f"{self.path}, line {line}: {problem}"
                    + (f" (and {count - 1} more)" if count > 1 else "")
                    + ": inline codes made TMX 1.4 (an element it lacks is kept as the native "
                    "code of a <ph> or <bpt>/<ept>, an attribute it lacks is dropped)"),
                    stacklevel=2)
                self._foreign[0] = 0
        finally:
            self.close()

    def _odd_dates(self, line: int | None) -> None:
        """Count the dates of a unit that are none ("yesterday", "20241399T250000Z")."""
        if not self._odd[0]:
            self._odd[1:] = [self._odd_met[0], line]
        self._odd[0] += len(self._odd_met)
        self._odd_met.clear()

    def _strays(self, elements: list[Any]) -> None:
        """Report the elements of the body that are no unit and hold none: a ``<tuv>`` out of
        its ``<tu>`` is text the file meant to hold."""
        for line, tag in sorted((e.sourceline or 0, e.tag) for e in elements
                                if isinstance(e.tag, str) and e.tag != "tu"
                                and e.find(".//tu") is None):
            self._skip(f"<{tag}> outside any <tu>", line or None)

    # internals ---------------------------------------------------------------------------------
    def _read_header(self) -> TmxHeader:
        for _, elem in self._events:
            version = elem.getroottree().getroot().get("version")
            if elem.tag == "header":
                if self._source.has_doctype:
                    check_no_entities(elem, self.path)
                props, notes = _props_notes(elem)
                header = TmxHeader(
                    srclang=_lang(elem.get("srclang")),
                    adminlang=_lang(elem.get("adminlang")),
                    creationtool=elem.get("creationtool"),
                    creationtoolversion=elem.get("creationtoolversion"),
                    segtype=elem.get("segtype"),
                    o_tmf=elem.get("o-tmf"),
                    datatype=elem.get("datatype"),
                    props=props,
                    notes=notes,
                    version=version,
                    o_encoding=elem.get("o-encoding"),
                    creationdate=_date(elem.get("creationdate"), self._odd_met),
                    changedate=_date(elem.get("changedate"), self._odd_met),
                    creationid=elem.get("creationid"), changeid=elem.get("changeid"),
                )
                if self._odd_met:
                    self._odd_dates(elem.sourceline)
                release(elem)
                return header
            # no header: tolerated, units still carry their own languages (the element met
            # is a unit, or the end of a body without units)
            self._pending = elem
            return TmxHeader(version=version)
        return TmxHeader()

    def _raw(self, tu: Any) -> RawUnit | None:
        if tu.tag != "tu":
            namespace = tu.tag[1:tu.tag.index("}")]
            raise FormatError(self.path, f"<tu> in the XML namespace {namespace!r} (TMX has no "
                              f"namespace)", tu.sourceline)
        if self._source.has_doctype:  # only a DTD can leave entity references in the tree
            check_no_entities(tu, self.path)
        variants = []
        props: list[tuple[str, str]] = []
        notes: list[str] = []
        found = dict(tu.items())  # one call into lxml instead of one per attribute
        for name, value in self._inherited:
            found.setdefault(name, value)
        get = found.get
        tuid = get("tuid")
        for child in tu:
            tag = child.tag
            if tag == "tuv":
                variant = self._raw_variant(child)
                if isinstance(variant, str):  # a variant that cannot be stored: why
                    self._skip(f"{_unit_name(tuid)} has a {variant}", child.sourceline)
                    return None
                variants.append(variant)
            elif tag == "prop":
                props.append((child.get("type") or "", _all_text(child)))
            elif tag == "note":
                notes.append(_all_text(child))
        if not variants:
            self._skip(f"{_unit_name(tuid)} has no <tuv>", tu.sourceline)
            return None
        filled = 0
        for v in variants:
            if v[1] and not v[1].isspace():
                filled += 1
        if filled < 2:
            self._skip(f"{_unit_name(tuid)} has {filled} non-empty variant(s), fewer than two",
                       tu.sourceline)
            return None
        usage = get("usagecount")
        odd = self._odd_met
        return (tuid, _lang(get("srclang")) or self.header.srclang,
                _date(get("creationdate"), odd), get("creationid"),
                _date(get("changedate"), odd), get("changeid"),
                int(usage) if usage and usage.strip().isdigit() else None,
                tuple(props), tuple(notes), tuple(variants),
                _other_attrs(found, _TU_OTHER_SET, odd))

    def _raw_variant(self, tuv: Any) -> RawVariant | str:
        """The variant, or what makes it unusable (its unit is skipped, the file goes on:
        one broken unit of a large export should not cost the others)."""
        attrs = tuv.items()
        other: tuple[tuple[str, str], ...] = ()
        if len(attrs) == 1 and attrs[0][0] == XML_LANG:  # most variants: nothing else
            lang = _lang(attrs[0][1])
            get = _NO_ATTRS.get
        else:
            found = dict(attrs)
            get = found.get
            lang = _lang(get(XML_LANG) or get("lang"))
            other = _other_attrs(found, _TUV_OTHER_SET, self._odd_met)
        if not lang:
            return "<tuv> without xml:lang"
        seg = None
        props: list[tuple[str, str]] = []
        notes: list[str] = []
        for child in tuv:
            tag = child.tag
            if tag == "seg":
                if seg is not None:
                    return "<tuv> with more than one <seg>"
                seg = child
            elif tag == "prop":
                props.append((child.get("type") or "", _all_text(child)))
            elif tag == "note":
                notes.append(_all_text(child))
        if seg is None:  # as an empty <seg/>: the other languages of the unit still pair
            text, markup = "", None
        elif len(seg):
            # namespaces declared in the file: the codes must not carry them
            codes = _bare(seg) if seg.nsmap else seg
            if not _valid_seg(codes):  # XLIFF's <x/>, <ph id>: made TMX 1.4, told once
                problems = list(_problems(seg)) or [
                    ("<bpt>/<ept> pairs repeated or out of order", tuv.sourceline)]
                if not self._foreign[0]:
                    self._foreign[1:] = problems[0]
                self._foreign[0] += len(problems)
                codes = _to_tmx14(codes)
            text, markup = seg_content(codes)
        else:
            text, markup = seg.text or "", None
        odd = self._odd_met
        return (lang, text, markup, _date(get("creationdate"), odd), get("creationid"),
                _date(get("changedate"), odd),
                get("changeid"), tuple(props), tuple(notes), other)

    def _skip(self, reason: str, line: int | None) -> None:
        self.skipped += 1
        if self._on_skip is not None:
            self._on_skip(reason, line)
        else:
            warnings.warn(f"{self.path}, line {line}: skipped {reason}", TmxSkipWarning, 3)


# ISO 8601 forms some tools write instead of TMX's YYYYMMDDThhmmssZ
_ISO_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?"
                       r"(Z|[+-]\d\d:?\d\d)?)?")


def _date(value: str | None, odd: list[str] | None = None) -> str | None:
    """A date as TMX writes it (``20240501T100000Z``, UTC). An ISO 8601 date ("2024-05-01",
    "2024-05-01T12:00:00+02:00") is rewritten so, for CAT tools reading the export; anything
    else is kept as given, and added to ``odd`` when given (the reader reports it, with its
    line)."""
    if value is None or _is_date(value) is not None:
        return value  # the usual case
    date = _iso_to_tmx(value)  # cached: an ISO date met again costs a lookup
    if odd is not None and _is_date(date) is None:
        odd.append(value)
    return date


@lru_cache(maxsize=1024)
def _iso_to_tmx(value: str) -> str:
    found = _ISO_DATE.fullmatch(value.strip())
    if found is None:
        return value
    y, mo, d, h, mi, sec, zone = found.groups()
    try:
        moment = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(sec or 0))
        if zone and zone != "Z":
            sign = 1 if zone[0] == "+" else -1
            hours, minutes = int(zone[1:3]), int(zone[-2:])
            moment -= sign * timedelta(hours=hours, minutes=minutes)
    except (ValueError, OverflowError):
        return value  # not a real date: kept as the file gave it
    return moment.strftime("%Y%m%dT%H%M%SZ")


# TMX's date form, with a possible month, day and time
_TMX_DATE = re.compile(r"\d{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
                       r"T(?:[01]\d|2[0-3])[0-5]\d(?:[0-5]\d|60)Z", re.ASCII)
_is_date = _TMX_DATE.fullmatch  # runs for every date of an import: one C call


def _unit_name(tuid: str | None) -> str:
    return f"tu {tuid!r}" if tuid else "tu"


@lru_cache(maxsize=256)
def _lang(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return normalize(value)


def _props_notes(elem: Any) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    props = []
    notes = []
    for child in elem:
        if child.tag == "prop":
            props.append((child.get("type") or "", _all_text(child)))
        elif child.tag == "note":
            notes.append(_all_text(child))
    return tuple(props), tuple(notes)


def _all_text(elem: Any) -> str:
    return "".join(elem.itertext()) if len(elem) else (elem.text or "")


def seg_content(seg: Any) -> tuple[str, str | None]:
    """(plain text, markup) of a ``<seg>`` element; markup is None when it has no inline code.

    The plain text is what a reader sees: text and ``<hi>`` content, without the native codes
    (bpt/ept/ph/it/ut) nor ``<sub>`` flows inside them (a footnote or alt text is a separate
    segment, not part of this sentence). Unknown elements count as text, like ``<hi>``.
    A placeholder (``<ph>``: a line break, an image, a variable) written between two words
    separates them ("Click<ph>&lt;br/&gt;</ph>Save" reads "Click Save"); the paired codes
    of formatting may sit inside a word and join nothing.
    """
    if len(seg) == 0:
        return seg.text or "", None
    tostring = _etree().tostring
    parts = [seg.text or ""]
    for child in seg:
        _plain(child, parts)
    markup = _escape(seg.text or "") + "".join(
        tostring(child, encoding=str, with_tail=True) for child in seg
    )
    text = "".join(parts)
    if _PLACE in text:
        text = _PLACE_BETWEEN_WORDS.sub(" ", text).replace(_PLACE, "")
    return text, markup


# A tag as a CAT tool shows one in a segment: HTML's <b>, </b>, <br/>, <a href="...">, OmegaT's
# <b0>, <x1/>. Attributes have values: "x<y et y>z" holds no tag.
_SHOWN_TAG = re.compile(
    r"<(/?)([A-Za-z][\w.:-]*)((?:\s+[A-Za-z_:][\w.:-]*\s*=\s*"
    r"(?:\"[^\"]*\"|'[^']*'|[^\s\"'<>=`]+))*)\s*(/?)>")
# HTML elements that never have a closing tag: a placeholder, as <br/> is.
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Names that are tags even without their partner (a tag opened in one sentence and closed in
# the next): HTML's text-level and block elements, and OmegaT's letter and number (<b0>).
_HTML = frozenset((
    "a abbr b bdi bdo big blockquote button caption center cite code dd del dfn div dl dt em "
    "figcaption figure font footer h1 h2 h3 h4 h5 h6 header i ins kbd label li mark nav ol "
    "option p pre q s samp section select small span strike strong sub sup table tbody td "
    "textarea tfoot th thead time tr tt u ul var").split()) | _VOID
_OMEGAT_TAG = re.compile(r"[A-Za-z]{1,3}\d+$")


def tagged_text(text: str) -> tuple[str, str | None]:
    """(plain text, markup) of a segment typed with its tags as a CAT tool shows them
    ("Appuyez sur <b>Entrée</b>"): each tag becomes an inline code, so the segment is
    compared with stored ones as they were imported. An opening and a closing tag of one
    name are a ``<bpt>``/``<ept>`` pair; an empty tag (``<x1/>``) or an HTML element that has
    no closing tag (``<br>``) a ``<ph>``; an HTML or OmegaT tag without its partner an
    ``<it>``. Anything else in angle brackets ("<nom>", "a < b > c") is text. Text without
    a tag is given back with no markup."""
    found = list(_SHOWN_TAG.finditer(text))
    if not found:
        return text, None
    roles: list[str | None] = []
    open_: list[tuple[str, int]] = []  # (name, position in roles) of tags not yet closed
    pair = 0
    for tag in found:
        closing, name, _, empty = tag.groups()
        known = name.lower() in _HTML or _OMEGAT_TAG.match(name) is not None
        if empty or (not closing and name.lower() in _VOID):
            roles.append("ph")
        elif not closing:
            open_.append((name, len(roles)))
            roles.append('it pos="begin"' if known else None)
        else:
            at = next((k for k in range(len(open_) - 1, -1, -1) if open_[k][0] == name), None)
            if at is None:
                roles.append('it pos="end"' if known else None)
                continue
            pair += 1
            roles[open_[at][1]] = f'bpt i="{pair}"'
            roles.append(f'ept i="{pair}"')
            del open_[at:]  # tags opened inside and never closed stay as they were
    if not any(roles):
        return text, None
    parts, last = [], 0
    for tag, role in zip(found, roles, strict=True):
        if role is None:
            continue  # text: escaped with what follows
        parts.append(_escape(text[last:tag.start()]))
        parts.append(f"<{role}>{_escape(tag.group())}</{role.split()[0]}>")
        last = tag.end()
    parts.append(_escape(text[last:]))
    try:
        seg = _etree().fromstring(f"<seg>{''.join(parts)}</seg>", secure_parser())
    except _etree().XMLSyntaxError:  # a character XML cannot carry: the text as typed
        return text, None
    return seg_content(seg)


# Where a <ph> was (XML text cannot hold U+0000), and one between two word characters
# ("table<ph/>." stays "table.").
_PLACE = "\x00"
_PLACE_BETWEEN_WORDS = re.compile(r"(?<=\w)\x00+(?=\w)")


def _etree() -> Any:
    from lxml import etree

    return etree


def _plain(elem: Any, parts: list[str]) -> None:
    if elem.tag == "ph":
        parts.append(_PLACE)
    elif elem.tag not in _CODES and elem.tag != "sub":
        parts.append(elem.text or "")
        for child in elem:
            _plain(child, parts)
    parts.append(elem.tail or "")


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def read_tmx(
    path: str | os.PathLike[str], *, on_skip: SkipHandler | None = None
) -> Iterator[TranslationUnit]:
    """Stream the translation units of a TMX file (``path`` "-" reads standard input).

    Units that cannot be stored (see ``TmxReader``) are reported through
    ``on_skip(reason, line)`` and not yielded. Raises InputError (unreadable file) or
    FormatError (malformed or hostile XML, wrong root, ...), possibly after some units were
    yielded.
    """
    with TmxReader(path, on_skip=on_skip) as reader:
        yield from reader


def read_tmx_header(path: str | os.PathLike[str]) -> TmxHeader:
    """The header of a TMX file, read without going through its body."""
    with TmxReader(path) as reader:
        return reader.header


# ---------------------------------------------------------------------------------------------
# writing


def write_tmx(
    path: str | os.PathLike[str],
    units: Iterable[TranslationUnit],
    *,
    srclang: str,
    creationtool: str = "tmtool",
    creationtoolversion: str = __version__,
    datatype: str = "plaintext",
    segtype: str = "sentence",
    o_tmf: str = "tmtool",
    adminlang: str = "en-US",
    header_props: Sequence[tuple[str, str]] = (),
    header_notes: Sequence[str] = (),
) -> int:
    """Write ``units`` as TMX 1.4b (UTF-8) and return how many were written.

    ``Variant.markup`` is written when it is well-formed TMX inline markup whose text agrees
    with ``Variant.text``; otherwise the plain text is. Characters XML cannot carry are dropped.
    A unit's ``srclang`` is written when it differs from the header's. The file appears
    atomically (temporary file in the same folder, then rename): on error nothing is left
    behind and an existing file is kept. ``path`` "-" writes to standard output.
    Raises InputError when the file cannot be written, FormatError for a unit without variants.
    """
    name = str(path)
    src = normalize(srclang)
    writer = _UnitWriter(name, src)
    header = writer.element(
        "header",
        _clean_attrs(
            creationtool=creationtool,
            creationtoolversion=creationtoolversion,
            datatype=datatype,
            segtype=segtype,
            **{"o-tmf": o_tmf},
            adminlang=normalize(adminlang),
            srclang=src,
            creationdate=datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ"),
        ),
    )
    writer.notes_props(header, header_notes, header_props, "\n    ")
    if len(header):
        header.text = "\n    "
        header[-1].tail = "\n  "
    if name == "-":
        sys.stdout.flush()  # text already printed goes first
        return writer.write(sys.stdout.buffer, header, units)

    with atomic_output(name) as f:
        return writer.write(f, header, units)


def _set_other(elem: Any, attrs: tuple[tuple[str, str], ...], allowed: tuple[str, ...]) -> None:
    """Write back the other TMX attributes an element allows (a unit's come from a file)."""
    for name, value in attrs:
        if name in allowed and (name != "segtype" or value in _SEGTYPES):
            elem.set(name, strip_illegal(value))


class _UnitWriter:
    """Builds one ``<tu>`` element per unit and streams it out."""

    def __init__(self, name: str, srclang: str) -> None:
        from lxml import etree

        self.name = name
        self.srclang = srclang
        self.parser = secure_parser()
        self.etree = etree
        self.element = etree.Element
        self.sub = etree.SubElement

    def write(self, out: IO[bytes], header: Any, units: Iterable[TranslationUnit]) -> int:
        count = 0
        try:
            with self.etree.xmlfile(out, encoding="utf-8") as xf:
                xf.write_declaration()
                xf.write_doctype('<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
                with xf.element("tmx", version="1.4"):
                    xf.write("\n  ")
                    xf.write(header)
                    xf.write("\n  ")
                    with xf.element("body"):
                        for unit in units:
                            xf.write("\n    ")
                            xf.write(self.tu(unit, count + 1))
                            count += 1
                        xf.write("\n  ")
                    xf.write("\n")
        except OSError as e:
            raise InputError(self.name, f"cannot write: {e.strerror or e}") from e
        out.write(b"\n")
        out.flush()
        return count

    def tu(self, unit: TranslationUnit, number: int) -> Any:
        if not unit.variants:
            raise FormatError(self.name, f"unit {number} has no variants")
        langs = [_lang(v.lang) for v in unit.variants]
        srclang = _source_tag(_lang(unit.srclang), langs)
        if srclang is None and self.srclang != "*all*" and self.srclang not in langs:
            srclang = langs[0]  # the header's would name a language the unit lacks
        tu = self.element(
            "tu",
            _clean_attrs(
                tuid=unit.tuid,
                srclang=srclang if srclang != self.srclang else None,
                creationdate=unit.creationdate,
                creationid=unit.creationid,
                changedate=unit.changedate,
                changeid=unit.changeid,
                usagecount=None if unit.usagecount is None else str(unit.usagecount),
            ),
        )
        _set_other(tu, unit.attrs, _TU_OTHER)
        self.notes_props(tu, unit.notes, unit.props, "\n      ")
        tu.text = "\n      "
        sub = self.sub
        for v in unit.variants:
            lang = _lang(v.lang)
            if not lang:
                raise FormatError(self.name, f"unit {number} has a variant without a language")
            attrs = {XML_LANG: lang}
            attrs.update(
                _clean_attrs(
                    creationdate=v.creationdate,
                    creationid=v.creationid,
                    changedate=v.changedate,
                    changeid=v.changeid,
                )
            )
            tuv = sub(tu, "tuv", attrs)
            _set_other(tuv, v.attrs, _TUV_OTHER)
            tuv.text = "\n        "
            tuv.tail = "\n      "
            self.notes_props(tuv, v.notes, v.props, "\n        ")
            seg = self.seg(v)
            seg.tail = "\n      "
            tuv.append(seg)
        tuv.tail = "\n    "
        return tu

    def seg(self, v: Variant) -> Any:
        """The ``<seg>``: from the markup when it is valid and matches the text, else the text."""
        text = strip_illegal(v.text)
        if v.markup is not None and "<" in v.markup:
            try:
                seg = self.etree.fromstring(f"<seg>{strip_illegal(v.markup)}</seg>", self.parser)
            except self.etree.XMLSyntaxError:
                seg = None
            if seg is not None and (seg.nsmap or not _valid_seg(seg)):
                seg = _to_tmx14(_bare(seg))
            if seg is not None and _valid_inline(seg) and _same_text(seg_content(seg)[0], text):
                return seg
        seg = self.element("seg")
        seg.text = text
        return seg

    def notes_props(
        self, elem: Any, notes: Iterable[str], props: Iterable[tuple[str, str]], indent: str
    ) -> None:
        """Append ``<note>``s then ``<prop>``s, one per line."""
        sub = self.sub
        for note in notes:
            child = sub(elem, "note")
            child.text = strip_illegal(note)
            child.tail = indent
        for kind, value in props:
            child = sub(elem, "prop", type=strip_illegal(kind))
            child.text = strip_illegal(value)
            child.tail = indent


def _source_tag(srclang: str | None, langs: list[str | None]) -> str | None:
    """A unit's ``srclang`` as written: it names one of the unit's variants, so a unit left
    without its source variant (an export of two other languages) names none ("fr" names a
    unit's fr-FR variant, when it is the only French one)."""
    if srclang is None or srclang == "*all*" or srclang in langs:
        return srclang
    same = [lang for lang in langs if lang and primary(lang) == primary(srclang)]
    return same[0] if len(same) == 1 else None


def _clean_attrs(**attrs: str | None) -> dict[str, str]:
    return {k: strip_illegal(v) for k, v in attrs.items() if v is not None}


def repaired_content(seg: Any) -> tuple[str, str | None] | None:
    """``seg_content`` of ``seg`` with its inline markup made TMX 1.4 as an import makes it;
    None when it is TMX 1.4 already (and carries no namespace declaration)."""
    codes = _bare(seg)
    if not _valid_seg(codes):
        return seg_content(_to_tmx14(codes))
    if any(e.nsmap or any(k.startswith("{") for k in e.keys()) for e in seg.iterdescendants()):
        return seg_content(codes)
    return None


def _valid_inline(elem: Any, pairs: list[Any] | None = None) -> bool:
    """True when ``elem``'s descendants follow the TMX 1.4 inline content model (run on
    every segment with codes an import reads: kept lean); ``pairs`` gathers each
    ``<bpt>``/``<ept>`` met, for ``_paired``."""
    allowed = _CHILDREN[elem.tag]
    for child in elem:
        tag = child.tag
        if tag not in allowed:  # comments and other nodes too: their tag is no string
            return False
        names, required = _ATTRS[tag]
        keys = child.keys()
        for key in keys:
            if key not in names:
                return False
        if required and (len(required) > len(keys) or not required.issubset(keys)):
            return False
        if tag == "it" and child.get("pos") not in ("begin", "end"):
            return False
        if pairs is not None and (tag == "bpt" or tag == "ept"):
            pairs.append(child)
        if len(child):
            if tag == "sub" and pairs is not None:  # a flow of its own: its codes pair there
                inner: list[Any] = []
                if not _valid_inline(child, inner) or not _paired(inner):
                    return False
            elif not _valid_inline(child, pairs):
                return False
    return True


def _valid_seg(seg: Any) -> bool:
    """``_valid_inline``, and every ``<bpt>`` has its ``<ept>`` (same ``i``) and back."""
    pairs: list[Any] = []
    return _valid_inline(seg, pairs) and _paired(pairs)


def _paired(codes: list[Any]) -> bool:
    """Whether the ``<bpt>``/``<ept>`` of one flow, in order, pair: each ``i`` begun once,
    and ended after it begins."""
    if not codes:
        return True
    begun: set[str | None] = set()
    still: list[str | None] = []
    for code in codes:
        i = code.get("i")
        if code.tag == "bpt":
            if i in begun:
                return False
            begun.add(i)
            still.append(i)
        elif i in still:
            still.remove(i)
        else:
            return False
    return not still


def _problems(seg: Any) -> Iterator[tuple[str, int | None]]:
    """What keeps ``seg``'s inline markup from TMX 1.4, one line per element: (what, line)."""
    for elem in seg.iterdescendants():
        if not isinstance(elem.tag, str):
            continue
        tag, parent = elem.tag, elem.getparent().tag
        if tag not in _INLINE:
            yield f"<{_local(tag)}> is no TMX 1.4 inline element", elem.sourceline
        elif tag not in _CHILDREN.get(parent, _INLINE):
            yield f"<{tag}> inside <{_local(parent)}>", elem.sourceline
        else:
            names, required = _ATTRS[tag]
            extra = sorted(_local(k) for k in set(elem.attrib) - names)
            missing = sorted(required - set(elem.attrib))
            if extra:
                yield f"<{tag}> has {', '.join(extra)}, which TMX 1.4 does not give it", \
                    elem.sourceline
            elif missing:
                yield f"<{tag}> without {', '.join(missing)}", elem.sourceline
            elif tag == "it" and elem.get("pos") not in ("begin", "end"):
                yield f"<it> with pos={elem.get('pos')!r}", elem.sourceline
    begun = [e for e in seg.iter("bpt") if e.get("i")]
    ended = [e for e in seg.iter("ept") if e.get("i")]
    for code, others in ((begun, ended), (ended, begun)) if begun or ended else ():
        partners = {e.get("i") for e in others}
        for e in code:
            if e.get("i") not in partners:
                yield f"<{e.tag} i=\"{e.get('i')}\"> without its partner", e.sourceline


def _local(tag: str) -> str:
    return tag[tag.index("}") + 1:] if tag.startswith("{") else tag


def _bare(elem: Any) -> Any:
    """A copy of ``elem`` without XML namespaces: local names, no namespaced attribute and
    no declaration (a file declaring ``xmlns:xl`` on its root would put it in every code)."""
    etree = _etree()
    copy = etree.Element(_local(elem.tag),
                         {k: v for k, v in elem.attrib.items() if not k.startswith("{")})
    copy.text, copy.tail = elem.text, elem.tail
    for child in elem:
        if isinstance(child.tag, str):
            copy.append(_bare(child))
        elif child.tail:  # a comment: not content, but the text after it is
            _splice_text(copy, len(copy), child.tail)
    return copy


def _to_tmx14(seg: Any) -> Any:
    """``seg`` with its inline markup made TMX 1.4, losing no text and no code.

    An element TMX 1.4 lacks (XLIFF's ``<x/>``, ``<g>``, HTML's ``<b>``) becomes the native
    code it stands for: an empty one a ``<ph>``, one holding text a ``<bpt>``/``<ept>`` pair
    around that text. Inside a native code, any element but ``<sub>`` is code: written as
    text. An element where TMX allows none (a ``<sub>`` in the text) gives its content to its
    parent. Attributes TMX does not give an element are dropped; a ``<bpt>``/``<ept>``
    without ``i`` is paired with its neighbour, one left without a partner becomes an
    ``<it>``, and an ``<it>`` without ``pos`` gets the one its code says ("</b>": end).
    """
    pair = [max((int(i) for i in seg.xpath(".//bpt/@i | .//ept/@i") if i.isdigit()), default=0)]
    while _repair_pass(seg, pair):
        pass
    for elem in seg.iterdescendants():
        names, _ = _ATTRS[elem.tag]
        for name in set(elem.attrib) - names:
            del elem.attrib[name]
        if elem.tag == "it" and elem.get("pos") not in ("begin", "end"):
            elem.set("pos", "end" if (elem.text or "").lstrip().startswith("</") else "begin")
    for flow in (seg, *seg.iter("sub")):  # each flow pairs its own codes (``_valid_seg``)
        _pair_flow(_flow_codes(flow), pair)
    return seg


def _flow_codes(flow: Any) -> list[Any]:
    """The ``<bpt>``/``<ept>`` of one flow (a segment or a ``<sub>``), in order, without
    those of the flows inside it."""
    out = []
    for child in flow:
        if child.tag in ("bpt", "ept"):
            out.append(child)
        elif child.tag == "hi":
            out += _flow_codes(child)
    return out


def _pair_flow(codes: list[Any], pair: list[int]) -> None:
    """Number and pair the codes of one flow: a ``<bpt>`` without ``i``, or with one already
    used, gets a new one (the ``<ept>`` naming the old one follows it); an ``<ept>`` without
    ``i`` ends the last open ``<bpt>`` no later ``<ept>`` names; a code left without its
    partner becomes an ``<it>``."""
    named = {e.get("i") for e in codes if e.tag == "ept" and e.get("i")}
    used: set[str] = set()
    given: dict[int, str | None] = {}  # open <bpt> -> the i the file gave it
    still: list[Any] = []
    lone: list[Any] = []
    for e in codes:
        i = e.get("i")
        if e.tag == "bpt":
            given[id(e)] = i
            if not i or i in used:
                pair[0] += 1
                e.set("i", str(pair[0]))
            used.add(e.get("i"))
            still.append(e)
            continue
        if i:
            match = next((b for b in reversed(still) if given[id(b)] == i), None)
        else:
            match = next((b for b in reversed(still) if given[id(b)] not in named), None)
        if match is None:
            lone.append(e)
        else:
            e.set("i", match.get("i"))
            still.remove(match)
    for e in lone + still:
        pos = "begin" if e.tag == "bpt" else "end"
        kept = {k: v for k, v in e.attrib.items() if k in ("x", "type")}
        e.attrib.clear()
        e.tag = "it"
        e.attrib.update({"pos": pos, **kept})


def _repair_pass(node: Any, pair: list[int]) -> bool:
    """One walk of ``_to_tmx14``'s element repairs under ``node``; whether it changed any."""
    changed = False
    for child in list(node):  # elements only: ``_bare`` copies leave no comment
        if node.tag in _CODES and child.tag != "sub":
            _as_code_text(child)
            changed = True
        elif child.tag not in _INLINE:
            _as_native_code(child, pair)
            changed = True
        elif child.tag not in _CHILDREN.get(node.tag, _INLINE):
            _unwrap(child)
            changed = True
        else:
            changed = _repair_pass(child, pair) or changed
    return changed


def _as_native_code(elem: Any, pair: list[int]) -> None:
    """Put the native code ``elem`` stands for in its place: an empty element a ``<ph>``,
    one holding text a ``<bpt>``/``<ept>`` pair around its content."""
    etree = _etree()
    parent = elem.getparent()
    at = parent.index(elem)
    start = etree.tostring(etree.Element(elem.tag, dict(elem.attrib)), encoding=str)
    if elem.text is None and len(elem) == 0:
        code = etree.Element("ph")
        code.text, code.tail = start, elem.tail
        parent[at] = code
        return
    pair[0] += 1
    begin = etree.Element("bpt", i=str(pair[0]))
    begin.text = start[:-2] + ">" if start.endswith("/>") else start
    begin.tail = elem.text
    end = etree.Element("ept", i=str(pair[0]))
    end.text, end.tail = f"</{elem.tag}>", elem.tail
    inner = list(elem)
    parent[at] = begin
    for k, child in enumerate(inner, 1):
        parent.insert(at + k, child)
    parent.insert(at + len(inner) + 1, end)


def _as_code_text(elem: Any) -> None:
    """Write ``elem``, inside a native code, as the code's text it is."""
    _splice(elem, _etree().tostring(elem, encoding=str, with_tail=False) + (elem.tail or ""))


def _unwrap(elem: Any) -> None:
    """Put ``elem``'s text and children in its place (its tail after them)."""
    parent = elem.getparent()
    at = parent.index(elem)
    children = list(elem)
    if not children:
        _splice(elem, (elem.text or "") + (elem.tail or ""))
        return
    _splice_text(parent, at, elem.text or "")
    children[-1].tail = (children[-1].tail or "") + (elem.tail or "")
    elem.tail = None
    for k, child in enumerate(children):
        parent.insert(at + k, child)  # moving the children out leaves elem after them
    parent.remove(elem)


def _splice(elem: Any, text: str) -> None:
    """Replace ``elem`` (and its tail) by ``text``."""
    parent = elem.getparent()
    at = parent.index(elem)
    elem.tail = None
    parent.remove(elem)
    _splice_text(parent, at, text)


def _splice_text(parent: Any, at: int, text: str) -> None:
    """Add ``text`` where ``parent``'s child number ``at`` begins."""
    if not text:
        return
    if at == 0:
        parent.text = (parent.text or "") + text
    else:
        before = parent[at - 1]
        before.tail = (before.tail or "") + text


def _same_text(a: str, b: str) -> bool:
    """Whether markup and a text hold the same words (placeholders separate words in the
    text read now, and did not in that of an earlier tmtool)."""
    return a == b or "".join(a.split()) == "".join(b.split())
