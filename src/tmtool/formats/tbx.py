"""TBX termbases: TBX v3 (ISO 30042:2019) export in the TBX-Basic DCA dialect; import of v3
(DCA and DCT styles) and of the older v2 ``martif`` files that CAT tools still write.

Both directions stream: the reader parses one concept entry at a time with the hardened
parser of ``formats.xml`` and frees it, the writer emits entries as they come with
``lxml.etree.xmlfile`` into a temporary file renamed at the end, so a failed export never
leaves half a file behind.

Field mapping (both ways): subject = ``descrip subjectField``, definition = ``descrip
definition`` (concept level; a langSec's own definition stays in it, as the entry's
``extra["definition:LANG"]``), term status = ``termNote administrativeStatus``
(``preferredTerm-admn-sts``...), part of speech = ``termNote partOfSpeech``, context =
``descrip context``, term source = ``admin source``, notes = ``note``.
TBX-Basic has no "forbidden" status: a forbidden term is written as deprecated plus a note
``forbiddenTerm-admn-sts``, which the reader turns back into FORBIDDEN.

Every other data category is kept as a ``DataCategory`` at the level it came from (concept,
langSec, term), grouped items as ``main.sub`` (``definition.source``,
``origination.responsibility``), and written back where TBX-Basic allows it. Dates are written
only when the data has them. What has no place in a valid TBX-Basic file (another tool's
category, a value outside TBX-Basic's lists) is written as a ``name: value`` note; what the
reader cannot keep at all is reported; both through a ``warn(message, line)`` callback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from ..errors import FormatError, TmtoolError
from ..lang import covers
from ..lang import normalize as normalize_lang
from ..model import DataCategory, Term, TermEntry, TermStatus
from ..termbase import POS_VALUES, Warn, normalize_pos, parse_status
from ..textio import atomic_output

NS = "urn:iso:std:iso:30042:ed-2"
XML_NS = "http://www.w3.org/XML/1998/namespace"  # declared on the root, or lxml invents a prefix
XML_LANG = f"{{{XML_NS}}}lang"
FORBIDDEN_NOTE = "forbiddenTerm-admn-sts"
_CONFIDENCE_NOTE = re.compile(r"^confidence: ([0-9][0-9.e+-]*)$")

STATUS_TO_TBX = {
    TermStatus.PREFERRED: "preferredTerm-admn-sts",
    TermStatus.ADMITTED: "admittedTerm-admn-sts",
    TermStatus.DEPRECATED: "deprecatedTerm-admn-sts",
    TermStatus.FORBIDDEN: "deprecatedTerm-admn-sts",
}
TBX_POS = POS_VALUES  # TBX-Basic's closed list of parts of speech
_WS = re.compile(r"\s+")


# -- reading -------------------------------------------------------------------------------


def _status(value: str) -> TermStatus | None:
    try:
        return parse_status(value)
    except TmtoolError:
        return None


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""  # comments, processing instructions
    return tag.rsplit("}", 1)[-1]


def _text(el: Any) -> str:
    """Element text with inline markup flattened and whitespace runs made single spaces."""
    return _WS.sub(" ", "".join(el.itertext())).strip()


def _category(el: Any) -> str:
    """The data category an element carries: ``@type`` (DCA) or the element name (DCT).
    A known category written in another case or with spaces, as MultiTerm writes them
    ("Definition", "Subject", "Part of speech"), is given its TBX name."""
    t = el.get("type")
    if t:
        return _KNOWN_CATEGORIES.get(t.replace(" ", "").replace("_", "").lower(), t)
    tag = el.tag if isinstance(el.tag, str) else ""
    return _local(tag) if tag.startswith("{") and not tag.startswith("{" + NS) else ""


def _date(value: str) -> str | None:
    """ISO 8601 from the dates TBX files carry (``2007-07-22``, ``20010507T10:57:25Z``)."""
    v = value.strip()
    m = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2}):?(\d{2})(?:\.\d+)?"
                     r"(Z|[+-]\d{2}:?\d{2})?)?", v)
    if m:
        y, mo, d, h, mi, s, tz = m.groups()
        if h is None:
            return f"{y}-{mo}-{d}"
        tz = "Z" if tz in (None, "Z", "+00:00", "+0000") else tz
        return f"{y}-{mo}-{d}T{h}:{mi}:{s}{tz}"
    if v.isdigit() and len(v) >= 12:  # milliseconds since 1970 (Phrase)
        stamp = datetime.fromtimestamp(int(v) / 1000, tz=timezone.utc)
        return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


def _float(s: str) -> float | None:
    try:
        return float(s)
    except ValueError:
        return None


_TRANSACTIONS = ("origination", "modification")
# What other tools call them (MultiTerm's exports, the LTAC test files: "creation")
_TRANSACTION_ALIASES = {"creation": "origination", "input": "origination",
                        "update": "modification", "modify": "modification"}
_TERM_SECS = ("termSec", "tig", "ntig")


class _EntryBuilder:
    """Collects one concept entry's fields while walking its element tree.

    Fields the model names get their attribute; every other data category becomes a
    DataCategory at its level (entry, language section, term). What cannot be kept is passed
    to ``warn`` with its line, never dropped in silence.
    """

    def __init__(self, path: str, warn: Warn) -> None:
        self.path = path
        self.warn = warn
        self.subjects: list[str] = []
        self.definition: str | None = None
        self.notes: list[str] = []
        self.confidence: float | None = None
        self.created: str | None = None
        self.modified: str | None = None
        self.extra: dict[str, str] = {}
        self.data: list[DataCategory] = []
        self.terms: list[Term] = []

    def _lost(self, el: Any, what: str = "") -> None:
        self.warn(what or f"<{_local(el.tag)}> not kept (not a field tmtool knows)",
                  el.sourceline)

    def transac(self, grp: Any, lang: str | None = None
                ) -> tuple[str | None, str | None, list[DataCategory]]:
        """A transacGrp's kind, date and the other items (who did it, notes, references)."""
        kind = date = None
        items: list[tuple[str, str, str | None]] = []
        for c in grp:
            if not isinstance(c.tag, str):
                continue
            name, cat = _local(c.tag), _category(c)
            if name == "transac" or cat == "transactionType":
                kind = _text(c)
            elif name == "date":
                date = _date(_text(c))
                if date is None and _text(c):
                    self._lost(c, f"unreadable date {_text(c)!r} not kept")
            elif _text(c):
                items.append((cat or name, _text(c), c.get("target")))
        kind = _TRANSACTION_ALIASES.get(kind or "", kind)
        if kind not in _TRANSACTIONS:
            self._lost(grp, f"transaction {kind or '?'!r} not kept (TBX-Basic knows "
                       "origination and modification)")
            return None, None, []
        return kind, date, [DataCategory(f"{kind}.{n}", v, t, lang) for n, v, t in items]

    def group(self, grp: Any, lang: str | None) -> tuple[Any, list[DataCategory]]:
        """The main element of a ``*Grp`` and its grouped items as ``main.sub`` categories."""
        kids = [c for c in grp if isinstance(c.tag, str)]
        if not kids:
            return None, []
        main, subs = kids[0], []
        prefix = _category(main) or _local(main.tag)
        for c in kids[1:]:
            if _local(c.tag) == "transacGrp":
                self._lost(c, f"<transacGrp> inside <{_local(grp.tag)}> not kept")
                continue
            if not _text(c):
                continue  # nothing to keep
            name = _category(c) or _local(c.tag)
            subs.append(DataCategory(f"{prefix}.{name}", _text(c), c.get("target"), lang))
        return main, subs

    def concept_child(self, el: Any) -> None:
        name, cat = _local(el.tag), _category(el)
        if name in ("langSec", "langSet"):
            self.lang_sec(el)
        elif name == "transacGrp":
            kind, date, items = self.transac(el)
            if date and kind == "origination" and not self.created:
                self.created = date
            elif date and kind == "modification":
                self.modified = date
            self.data.extend(items)
        elif name == "note":
            text = _text(el)
            m = _confidence(text)
            demoted = _demoted(text, None)
            if m is not None:
                self.confidence = m
            elif demoted is not None:
                self.data.append(demoted)
            elif text:
                self.notes.append(text)
        elif name.endswith("Grp"):
            main, subs = self.group(el, None)
            if main is not None:
                self.concept_child(main)
                self.data.extend(subs)
        elif cat in ("subjectField", "domain") and _text(el):
            self.subjects.append(_text(el))
        elif cat == "definition" and self.definition is None and _text(el):
            self.definition = _text(el)
        elif cat and _text(el):
            self.data.append(DataCategory(cat, _text(el), el.get("target")))
        elif _text(el):
            self._lost(el)

    def lang_sec(self, el: Any) -> None:
        lang = el.get(XML_LANG) or el.get("lang")
        if not lang or not lang.strip():
            raise FormatError(self.path, f"<{_local(el.tag)}> without xml:lang", el.sourceline)
        lang = normalize_lang(lang)
        for c in el:
            if not isinstance(c.tag, str):
                continue
            name = _local(c.tag)
            if name in _TERM_SECS:
                term = self.term(c, lang)
                if term is not None:
                    self.terms.append(term)
            elif name == "transacGrp":
                kind, date, items = self.transac(c, lang)
                if kind and date:
                    self.data.append(DataCategory(kind, date, None, lang))
                self.data.extend(items)
            elif name.endswith("Grp"):
                main, subs = self.group(c, lang)
                if main is not None:
                    self.lang_item(main, lang)
                    self.data.extend(subs)
            else:
                self.lang_item(c, lang)

    def lang_item(self, el: Any, lang: str) -> None:
        name, cat, value = _local(el.tag), _category(el), _text(el)
        if not value:
            return
        key = f"definition:{lang}"
        if cat == "definition" and key not in self.extra:
            self.extra[key] = value  # the language's definition stays in its langSec
        elif name == "note" and (demoted := _demoted(value, lang)) is not None:
            self.data.append(demoted)
        elif name == "note" or cat:
            self.data.append(DataCategory(cat or name, value, el.get("target"), lang))
        else:
            self._lost(el)

    def term(self, sec: Any, lang: str) -> Term | None:
        t = _TermBuilder(self)
        t.walk(sec)
        if not t.text:
            self._lost(sec, f"empty <term> in {lang} skipped")
            return None
        return t.build(lang)

    def entry(self, el: Any) -> TermEntry | None:
        if not self.terms:
            self._lost(el, f"<{_local(el.tag)}> without any term skipped")
            return None
        return TermEntry(terms=tuple(self.terms), subject="; ".join(self.subjects) or None,
                         definition=self.definition, note="\n".join(self.notes) or None,
                         confidence=self.confidence, created=self.created,
                         modified=self.modified or self.created, extra=self.extra,
                         data=tuple(self.data))


def _confidence(text: str) -> float | None:
    m = _CONFIDENCE_NOTE.match(text)
    return _float(m.group(1)) if m else None


class _TermBuilder:
    """One term section's fields (``termSec``, or v2 ``tig``/``ntig`` with ``termGrp``)."""

    def __init__(self, owner: _EntryBuilder) -> None:
        self.owner = owner
        self.text: str | None = None
        self.fields: dict[str, Any] = {}
        self.notes: list[str] = []
        self.flags: dict[str, bool] = {}
        self.data: list[DataCategory] = []

    def walk(self, sec: Any) -> None:
        for el in sec:
            if not isinstance(el.tag, str):
                continue
            name = _local(el.tag)
            if name == "termGrp":
                self.walk(el)
            elif name == "transacGrp":
                kind, date, items = self.owner.transac(el)
                if date and kind == "origination" and "created" not in self.fields:
                    self.fields["created"] = date
                elif date and kind == "modification":
                    self.fields["modified"] = date
                self.data.extend(items)
            elif name.endswith("Grp"):
                main, subs = self.owner.group(el, None)
                if main is not None:
                    self.item(main)
                    self.data.extend(subs)
            else:
                self.item(el)

    def item(self, el: Any) -> None:
        name, cat, value = _local(el.tag), _category(el), _text(el)
        fields = self.fields
        if name == "term":
            if self.text is None:
                self.text = value
            elif value:
                self.owner._lost(el, f"second <term> {value!r} in one term section not kept")
        elif not value:
            return
        elif name == "note" or cat == "usageNote":
            if value == FORBIDDEN_NOTE:
                self.flags["forbidden"] = True
            elif name == "note" and (demoted := _demoted(value, None)) is not None:
                if demoted.name == "partOfSpeech":  # one TBX-Basic does not list
                    fields["pos"] = normalize_pos(demoted.value)
                else:
                    self.data.append(demoted)
            else:
                self.notes.append(value)
        elif cat == "partOfSpeech" and "pos" not in fields:
            fields["pos"] = normalize_pos(value)
        elif cat in ("administrativeStatus", "normativeAuthorization") and (
                "status" not in fields and _status(value) is not None):
            fields["status"] = _status(value)
        elif cat in ("forbidden", "preferred"):
            flag = value.lower() in ("true", "yes", "1")
            self.flags[cat] = self.flags.get(cat, False) or flag
        elif cat in ("context", "source") and cat not in fields:
            fields[cat] = value
        elif cat:
            self.data.append(DataCategory(cat, value, el.get("target")))
        else:
            self.owner._lost(el)

    def build(self, lang: str) -> Term:
        fields = dict(self.fields)
        status = fields.pop("status", None)
        if self.flags.get("forbidden"):
            status = TermStatus.FORBIDDEN
        elif status is None and self.flags.get("preferred"):
            status = TermStatus.PREFERRED
        if "created" in fields and "modified" not in fields:
            fields["modified"] = fields["created"]
        return Term(text=self.text or "", lang=lang, status=status,
                    note="\n".join(self.notes) or None, data=tuple(self.data), **fields)


def read_tbx(path: str | os.PathLike[str], *, warn: Warn | None = None) -> Iterator[TermEntry]:
    """Concept entries of a TBX file (v3 ``tbx`` or v2 ``martif``), one at a time.

    Entries without any term, empty terms and what has no place in the model (back matter,
    a transaction inside a group) are skipped and passed to ``warn(message, line)``. Raises
    FormatError (with the line) for XML that is malformed, hostile (entity declarations) or
    not TBX.
    """
    from .xml import XmlSource, check_no_entities, iterparse, release

    name = str(path)
    report: Warn = warn or (lambda _msg, _line: None)
    with XmlSource(name) as src:
        if src.root_tag is None:  # nothing like XML: the parser says what it found
            for _ in iterparse(src):
                break
        root = _local(src.root_tag or "").split(":")[-1]
        if root not in ("tbx", "martif"):
            hint = " (a translation memory: use tmtool tm import)" if root == "tmx" else ""
            raise FormatError(name, f"not a TBX file (root element <{src.root_tag or '?'}>, "
                              f"expected <tbx> or <martif>){hint}", 1)
        for _event, el in iterparse(src, tag=("{*}conceptEntry", "{*}termEntry", "{*}back")):
            check_no_entities(el, name)
            if _local(el.tag) == "back":
                if len(el):
                    report("back matter (<back>) not imported", el.sourceline)
                release(el)
                continue
            b = _EntryBuilder(name, report)
            for child in el:
                if isinstance(child.tag, str):
                    b.concept_child(child)
            entry = b.entry(el)
            release(el)
            if entry is not None:
                yield entry


# -- writing -------------------------------------------------------------------------------


class _Writer:
    """Indented streaming output on top of ``xmlfile`` (every element in the TBX namespace)."""

    def __init__(self, xf: Any, warn: Warn | None = None) -> None:
        self.xf = xf
        self.depth = 0
        self.line = 2  # after the XML declaration and the root's start tag
        self.warn = warn

    def _indent(self) -> None:
        self.xf.write("\n" + "\t" * self.depth)
        self.line += 1

    def leaf(self, tag: str, text: str, attrs: dict[str, str] | None = None) -> None:
        self._indent()
        with self.xf.element(f"{{{NS}}}{tag}", attrs or {}):
            self.xf.write(text)
        self.line += text.count("\n")

    def demoted(self, item: DataCategory, why: str) -> None:
        """Report a field written in a lesser form (a note; a reference without its target)."""
        if self.warn is not None:
            self.warn(f"{item.name} {item.value!r} {why}", self.line + 1)

    @contextmanager
    def open(self, tag: str, attrs: dict[str, str] | None = None) -> Iterator[None]:
        self._indent()
        with self.xf.element(f"{{{NS}}}{tag}", attrs or {}):
            self.depth += 1
            yield
            self.depth -= 1
            self._indent()


def _clean_text(s: str) -> str:
    from .xml import strip_illegal

    return strip_illegal(s)


def _tbx_date(value: str | None) -> str | None:
    return _date(value) if value else None


# TBX names of the data categories read, by their lower-case form without spaces.
_KNOWN_CATEGORIES = {name.lower(): name for name in (
    "subjectField", "definition", "context", "source", "customerSubset", "projectSubset",
    "crossReference", "externalCrossReference", "xGraphic", "termType", "grammaticalGender",
    "geographicalUsage", "termLocation", "responsibility", "note", "partOfSpeech",
    "administrativeStatus", "normativeAuthorization", "usageNote")} | {"subject": "subjectField"}


# Where TBX-Basic (DCA) allows each data category, as which element, and its closed values.
_ELEMENT = {
    "subjectField": "descrip", "definition": "descrip", "context": "descrip",
    "source": "admin", "customerSubset": "admin", "projectSubset": "admin",
    "crossReference": "ref", "externalCrossReference": "xref", "xGraphic": "xref",
    "termType": "termNote", "grammaticalGender": "termNote", "geographicalUsage": "termNote",
    "termLocation": "termNote", "responsibility": "transacNote", "note": "note",
}
_LEVELS = {
    "concept": {"subjectField", "definition", "source", "customerSubset", "projectSubset",
                "crossReference", "externalCrossReference", "xGraphic", "note"},
    "langSec": {"definition", "source", "externalCrossReference", "xGraphic", "note"},
    "term": {"context", "source", "customerSubset", "projectSubset", "crossReference",
             "externalCrossReference", "termType", "grammaticalGender", "geographicalUsage",
             "termLocation", "note"},
}
_VALUES = {
    "termType": {"fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase"},
    "grammaticalGender": {"masculine", "feminine", "neuter", "other"},
    "termLocation": {"checkBox", "comboBox", "comboBoxElement", "dialogBox", "groupBox",
                     "informativeMessage", "interactiveMessage", "menuItem", "progressBar",
                     "pushButton", "radioButton", "slider", "spinBox", "tab", "tableText",
                     "textBox", "toolTip", "user-definedType"},
}
_GROUPS = {"descrip": "descripGrp", "admin": "adminGrp"}


def _web(target: str | None) -> bool:
    """The only targets TBX-Basic accepts besides ids of the same file."""
    return bool(target) and re.match(r"https?://.", target or "") is not None


def _writable(level: str, name: str, value: str, target: str | None) -> str | None:
    """The element that carries ``name`` at ``level`` in a valid TBX-Basic file, or None."""
    if name not in _LEVELS[level] or value not in _VALUES.get(name, {value}):
        return None
    element = _ELEMENT[name]
    return None if element == "xref" and not _web(target) else element


# A note as _as_note writes one: "termType: synonym", "langId: en <http://...>",
# "origination.responsibility: Jane": a data category's name is camel-cased or dotted.
_DEMOTED = re.compile(r"([a-z]+(?:[A-Z][a-z]*)+|[a-z][A-Za-z]{2,}\.[a-z][A-Za-z]{2,}"
                      r"|pronunciation|etymology): ([^\n]+?)(?: <(\S+)>)?")


def _subjects(subject: str | None) -> list[str]:
    """An entry's subject fields: several are read as one subject joined by "; " (as a CSV
    column lists them), and each is written back as its own field."""
    if not subject:
        return []
    parts = subject.split("; ")
    return parts if all(p and p == p.strip() for p in parts) else [subject]


def _demoted(note: str, lang: str | None) -> DataCategory | None:
    """The field a ``name: value`` note stands for, so that a termbase exported and imported
    again holds it once, as it was. Only a data category's name counts ("termType",
    "origination.responsibility"): a note in words ("client: do not use", "source: Larousse",
    "Attention: ...") stays a note."""
    found = _DEMOTED.fullmatch(note)
    if found is None:
        return None
    return DataCategory(found.group(1), found.group(2), found.group(3), lang)


def _as_note(w: _Writer, item: DataCategory, level: str) -> None:
    """A field TBX-Basic has no place for, kept as a ``name: value`` note (and reported)."""
    name = item.name.rsplit(".", 1)[-1]
    if name in _LEVELS.get(level, ()) and item.value not in _VALUES.get(name, {item.value}):
        why = "a value TBX-Basic does not list"
    elif name in _LEVELS.get(level, ()) and _ELEMENT[name] == "xref":
        why = "TBX-Basic wants a web address as its target"
    else:
        why = "TBX-Basic does not allow it " + ("in a term" if level == "term" else
                                                 f"at {level} level")
    w.demoted(item, f"written as a note ({why})")
    target = f" <{item.target}>" if item.target else ""
    w.leaf("note", _clean_text(f"{item.name}: {item.value}{target}"))


def _write_item(w: _Writer, level: str, item: DataCategory,
                subs: list[DataCategory]) -> None:
    """One data category with its grouped items; what TBX-Basic has no place for at this
    level becomes a ``name: value`` note, so it is still in the file."""
    element = _writable(level, item.name, item.value, item.target)
    if element is None:
        _as_note(w, item, level)
        for sub in subs:
            _as_note(w, sub, level)
        return
    attrs = {} if element == "note" else {"type": item.name}
    if element in ("ref", "xref") and _web(item.target):
        attrs["target"] = item.target or ""
    elif item.target and element != "note":
        w.demoted(item, f"written without its target {item.target!r} (TBX-Basic wants a "
                  "web address or an id of the same file)")
    group = _GROUPS.get(element) if subs else None
    if group is None:
        w.leaf(element, _clean_text(item.value), attrs)
        for sub in subs:
            _write_item(w, level, sub._replace(name=sub.name.split(".", 1)[1]), [])
        return
    with w.open(group):
        w.leaf(element, _clean_text(item.value), attrs)
        for sub in subs:
            inner = sub._replace(name=sub.name.split(".", 1)[1])
            sub_el = _writable(level, inner.name, inner.value, inner.target)
            if sub_el in ("admin", "note", "ref", "xref"):
                _write_item(w, level, inner, [])
            else:
                _as_note(w, sub, level)


def _split(items: Iterable[DataCategory]) -> tuple[list[DataCategory],
                                                    dict[str, list[DataCategory]]]:
    """Items standing alone, and grouped items (``main.sub``) by their main category."""
    alone: list[DataCategory] = []
    grouped: dict[str, list[DataCategory]] = {}
    for item in items:
        main, dot, _ = item.name.partition(".")
        if dot and main:
            grouped.setdefault(main, []).append(item)
        else:
            alone.append(item)
    return alone, grouped


def _write_data(w: _Writer, level: str, items: Iterable[DataCategory],
                grouped: dict[str, list[DataCategory]],
                taken: Iterable[str] = ()) -> None:
    """Items of one level; groups whose main item is a named field (``taken``) are left to
    it, and groups whose main item is missing are written as notes."""
    done = set(taken) | set(_TRANSACTIONS)
    for item in items:
        if item.name in _TRANSACTIONS:
            continue
        subs = grouped.get(item.name, []) if item.name not in done else []
        done.add(item.name)
        _write_item(w, level, item, subs)
    for main, subs in grouped.items():
        if main not in done:
            for sub in subs:
                _as_note(w, sub, level)


def _dates(created: str | None, modified: str | None) -> dict[str, str | None]:
    """The transactions to write: a modification only when it is not the origination (a store
    dates an entry never changed as modified when created)."""
    return {"origination": created,
            "modification": modified if modified != created or not created else None}


def _write_transactions(w: _Writer, dates: dict[str, str | None],
                        grouped: dict[str, list[DataCategory]]) -> None:
    """``transacGrp`` elements, only for transactions the data has (no invented dates)."""
    for kind in _TRANSACTIONS:
        date = _tbx_date(dates.get(kind))
        subs = grouped.get(kind, [])
        if not date and not subs:
            continue
        with w.open("transacGrp"):
            w.leaf("transac", kind, {"type": "transactionType"})
            for sub in subs:
                name = sub.name.split(".", 1)[1]
                if name == "responsibility":
                    if sub.target:
                        w.demoted(sub, f"written without its target {sub.target!r} (the "
                                  "back matter it points to is not kept)")
                    w.leaf("transacNote", _clean_text(sub.value), {"type": "responsibility"})
                else:
                    _as_note(w, sub, "transaction")
            if date:
                w.leaf("date", date)


def _write_entry(w: _Writer, e: TermEntry, n: int, langs: list[str] | None) -> bool:
    terms = [t for t in e.terms if langs is None or any(covers(x, t.lang) for x in langs)]
    if not terms:
        return False
    by_lang: dict[str, list[Term]] = {}
    for t in terms:
        by_lang.setdefault(normalize_lang(t.lang), []).append(t)
    lang_data: dict[str, list[DataCategory]] = {}
    concept_data: list[DataCategory] = []
    for item in e.data:
        if item.lang is None:
            concept_data.append(item)
        else:
            lang_data.setdefault(normalize_lang(item.lang), []).append(item)
    alone, grouped = _split(concept_data)
    with w.open("conceptEntry", {"id": f"c{e.id}" if e.id is not None else f"n{n}"}):
        for subject in _subjects(e.subject):
            w.leaf("descrip", _clean_text(subject), {"type": "subjectField"})
        if e.definition:
            _write_item(w, "concept", DataCategory("definition", e.definition),
                        grouped.get("definition", []))
        _write_data(w, "concept", alone, grouped, taken=("definition",))
        for line in (e.note or "").split("\n"):
            if line.strip():
                w.leaf("note", _clean_text(line))
        for key, value in e.extra.items():  # fields of other tools (CSV columns...)
            if key == "source" and value.strip():
                w.leaf("admin", _clean_text(value), {"type": "source"})
            elif not key.startswith("definition:") and value.strip():
                _as_note(w, DataCategory(key, value), "concept")
        if e.confidence is not None:
            w.leaf("note", f"confidence: {e.confidence!r}")
        _write_transactions(w, _dates(e.created, e.modified),
                            grouped)
        for lang, group in by_lang.items():
            with w.open("langSec", {XML_LANG: lang}):
                l_alone, l_grouped = _split(lang_data.pop(lang, []))
                lang_def = e.extra.get(f"definition:{lang}")
                if lang_def:
                    _write_item(w, "langSec", DataCategory("definition", lang_def),
                                l_grouped.get("definition", []))
                _write_data(w, "langSec", l_alone, l_grouped,
                            taken=("definition",) if lang_def else ())
                dates = {i.name: i.value for i in l_alone if i.name in _TRANSACTIONS}
                _write_transactions(w, dates, l_grouped)
                for t in group:
                    _write_term(w, t)
    return True


def _write_term(w: _Writer, t: Term) -> None:
    alone, grouped = _split(t.data)
    with w.open("termSec"):
        w.leaf("term", _clean_text(t.text))
        pos = normalize_pos(t.pos)
        if pos:
            w.leaf("termNote", pos if pos in TBX_POS else ("noun" if pos == "properNoun"
                                                           else "other"),
                   {"type": "partOfSpeech"})
        if t.status:
            w.leaf("termNote", STATUS_TO_TBX[TermStatus(t.status)],
                   {"type": "administrativeStatus"})
        term_notes = [i for i in alone
                      if _writable("term", i.name, i.value, i.target) == "termNote"]
        for item in term_notes:  # termNotes come first in a termSec
            _write_item(w, "term", item, grouped.get(item.name, []))
        if t.context:
            _write_item(w, "term", DataCategory("context", t.context),
                        grouped.get("context", []))
        if t.source:
            _write_item(w, "term", DataCategory("source", t.source), grouped.get("source", []))
        taken = [n for n, v in (("context", t.context), ("source", t.source)) if v]
        _write_data(w, "term", [i for i in alone if i not in term_notes], grouped,
                    taken=[*taken, *(i.name for i in term_notes)])
        if t.status == TermStatus.FORBIDDEN:
            w.leaf("note", FORBIDDEN_NOTE)
        if pos and pos not in TBX_POS:  # written as noun or other above: the note keeps it
            item = DataCategory("partOfSpeech", pos)
            w.demoted(item, "written as a note beside partOfSpeech "
                      f"{'noun' if pos == 'properNoun' else 'other'!r} (a value TBX-Basic "
                      "does not list)")
            w.leaf("note", _clean_text(f"partOfSpeech: {pos}"))
        for line in (t.note or "").split("\n"):
            if line.strip():
                w.leaf("note", _clean_text(line))
        _write_transactions(w, _dates(t.created, t.modified),
                            grouped)


def write_tbx(entries: Iterable[TermEntry], path: str | os.PathLike[str], *,
              langs: Iterable[str] | None = None, title: str | None = None,
              source_lang: str = "en", warn: Warn | None = None) -> int:
    """Write entries as a TBX-Basic (v3, DCA) file; returns how many entries were written.

    ``langs`` keeps only terms in those languages (``fr`` every French term, ``fr-CA`` fr-CA
    and bare fr ones, as ``lang.covers`` says); entries left with no
    term are skipped. The file appears complete or not at all. A field TBX-Basic has no
    place for is written as a ``name: value`` note and passed to ``warn(message, line)``.
    """
    from lxml import etree

    target = os.fspath(path)
    keep = [normalize_lang(x) for x in langs] if langs else None
    count = 0
    with atomic_output(target) as out, etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        w = _Writer(xf, warn)
        with xf.element(f"{{{NS}}}tbx", {"type": "TBX-Basic", "style": "dca",
                                         XML_LANG: normalize_lang(source_lang)},
                        nsmap={None: NS, "xml": XML_NS}):
            w.depth = 1
            with w.open("tbxHeader"), w.open("fileDesc"):
                with w.open("titleStmt"):
                    w.leaf("title", _clean_text(title or os.path.basename(target)))
                with w.open("sourceDesc"):
                    w.leaf("p", "Exported by tmtool")
            with w.open("text"):
                it = iter(entries)
                first = None
                for e in it:  # <body> needs at least one entry
                    if any(keep is None or any(covers(x, t.lang) for x in keep) for t in e.terms):
                        first = e
                        break
                if first is not None:
                    with w.open("body"):
                        _write_entry(w, first, 1, keep)
                        count = 1
                        for e in it:
                            if _write_entry(w, e, count + 1, keep):
                                count += 1
            xf.write("\n")
    return count
