"""TBX termbases: TBX v3 (ISO 30042:2019) export in the TBX-Basic DCA dialect; import of v3
(DCA and DCT styles) and of the older v2 ``martif`` files that CAT tools still write.

Both directions stream: the reader parses one concept entry at a time with the hardened
parser of ``formats.xml`` and frees it, the writer emits entries as they come with
``lxml.etree.xmlfile`` into a temporary file renamed at the end, so a failed export never
leaves half a file behind.

Field mapping (both ways): subject = ``descrip subjectField``, definition = ``descrip
definition`` (concept level; other languages' definitions at langSec level), term status =
``termNote administrativeStatus`` (``preferredTerm-admn-sts``...), part of speech = ``termNote
partOfSpeech``, context = ``descrip context``, term source = ``admin source``, notes = ``note``.
TBX-Basic has no "forbidden" status: a forbidden term is written as deprecated plus a note
``forbiddenTerm-admn-sts``, which the reader turns back into FORBIDDEN.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from ..errors import FormatError, TmtoolError
from ..lang import normalize as normalize_lang
from ..lang import primary
from ..model import Term, TermEntry, TermStatus
from ..termbase import POS_VALUES, normalize_pos, parse_status
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
    """The data category an element carries: ``@type`` (DCA) or the element name (DCT)."""
    t = el.get("type")
    if t:
        return t
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


class _EntryBuilder:
    """Collects one concept entry's fields while walking its element tree."""

    def __init__(self) -> None:
        self.subjects: list[str] = []
        self.definition: str | None = None
        self.notes: list[str] = []
        self.confidence: float | None = None
        self.created: str | None = None
        self.modified: str | None = None
        self.extra: dict[str, str] = {}
        self.terms: list[Term] = []

    def transac(self, grp: Any) -> tuple[str | None, str | None]:
        kind = date = None
        for c in grp:
            cat = _category(c)
            if _local(c.tag) == "transac" or cat == "transactionType":
                kind = _text(c)
            elif _local(c.tag) == "date":
                date = _date(_text(c))
        return kind, date

    def concept_child(self, el: Any, path: str) -> None:
        name, cat = _local(el.tag), _category(el)
        if name in ("langSec", "langSet"):
            self.lang_sec(el, path)
        elif name == "transacGrp":
            kind, date = self.transac(el)
            if date and kind == "origination" and not self.created:
                self.created = date
            elif date and kind == "modification":
                self.modified = date
        elif name == "note":
            text = _text(el)
            m = _CONFIDENCE_NOTE.match(text)
            if m and _float(m.group(1)) is not None:
                self.confidence = _float(m.group(1))
            elif text:
                self.notes.append(text)
        elif name.endswith("Grp"):
            for c in el:
                if _local(c.tag) not in ("admin", "transacGrp", "note"):
                    self.concept_child(c, path)
        elif cat in ("subjectField", "domain"):
            if _text(el):
                self.subjects.append(_text(el))
        elif cat == "definition":
            if self.definition is None and _text(el):
                self.definition = _text(el)
        elif cat and _text(el) and cat not in ("xGraphic", "externalCrossReference",
                                               "crossReference"):
            self.extra.setdefault(cat, _text(el))

    def lang_sec(self, el: Any, path: str) -> None:
        lang = el.get(XML_LANG) or el.get("lang")
        if not lang or not lang.strip():
            raise FormatError(path, f"<{_local(el.tag)}> without xml:lang", el.sourceline)
        lang = normalize_lang(lang)
        for c in el:
            name, cat = _local(c.tag), _category(c)
            if name in ("termSec", "tig", "ntig"):
                term = self.term(c, lang)
                if term is not None:
                    self.terms.append(term)
            elif name == "note":  # a note on the language section: kept with the concept's
                if _text(c):
                    self.notes.append(_text(c))
            elif cat == "definition" or (name == "descripGrp" and len(c)):
                d = c if cat == "definition" else next(
                    (g for g in c if _category(g) == "definition"), None)
                if d is not None and _text(d):
                    if self.definition is None:
                        self.definition = _text(d)
                    elif _text(d) != self.definition:
                        self.extra.setdefault(f"definition:{lang}", _text(d))

    def term(self, sec: Any, lang: str) -> Term | None:
        text: str | None = None
        fields: dict[str, Any] = {}
        notes: list[str] = []
        flags: dict[str, bool] = {}
        for el in sec.iter():
            if el is sec or not isinstance(el.tag, str):
                continue
            name, cat = _local(el.tag), _category(el)
            value = _text(el)
            if name == "term":
                if text is None:
                    text = value
            elif name == "note" or cat == "usageNote":
                if value == FORBIDDEN_NOTE:
                    flags["forbidden"] = True
                elif value:
                    notes.append(value)
            elif cat == "partOfSpeech":
                fields.setdefault("pos", normalize_pos(value))
            elif cat in ("administrativeStatus", "normativeAuthorization"):
                st = _status(value)
                if st is not None:
                    fields.setdefault("status", st)
            elif cat in ("forbidden", "preferred"):
                flags[cat] = flags.get(cat, False) or value.lower() in ("true", "yes", "1")
            elif cat == "context" and value:
                fields.setdefault("context", value)
            elif cat == "source" and value and el.getparent() is not None and (
                    _local(el.getparent().tag) in ("termSec", "tig", "ntig")):
                fields.setdefault("source", value)
        if not text:
            return None
        status = fields.pop("status", None)
        if flags.get("forbidden"):
            status = TermStatus.FORBIDDEN
        elif status is None and flags.get("preferred"):
            status = TermStatus.PREFERRED
        return Term(text=text, lang=lang, status=status, note="\n".join(notes) or None, **fields)

    def entry(self) -> TermEntry | None:
        if not self.terms:
            return None
        return TermEntry(terms=tuple(self.terms), subject="; ".join(self.subjects) or None,
                         definition=self.definition, note="\n".join(self.notes) or None,
                         confidence=self.confidence, created=self.created,
                         modified=self.modified or self.created, extra=self.extra)


def read_tbx(path: str | os.PathLike[str]) -> Iterator[TermEntry]:
    """Concept entries of a TBX file (v3 ``tbx`` or v2 ``martif``), one at a time.

    Entries without any term are skipped. Raises FormatError (with the line) for XML that is
    malformed, hostile (entity declarations) or not TBX.
    """
    from .xml import XmlSource, check_no_entities, iterparse, release

    name = str(path)
    with XmlSource(name) as src:
        root = _local(src.root_tag or "").split(":")[-1]
        if root not in ("tbx", "martif"):
            raise FormatError(name, f"not a TBX file (root element <{src.root_tag or '?'}>, "
                              "expected <tbx> or <martif>)", 1)
        for _event, el in iterparse(src, tag=("{*}conceptEntry", "{*}termEntry")):
            check_no_entities(el, name)
            b = _EntryBuilder()
            for child in el:
                if isinstance(child.tag, str):
                    b.concept_child(child, name)
            entry = b.entry()
            release(el)
            if entry is not None:
                yield entry


# -- writing -------------------------------------------------------------------------------


class _Writer:
    """Indented streaming output on top of ``xmlfile`` (every element in the TBX namespace)."""

    def __init__(self, xf: Any) -> None:
        self.xf = xf
        self.depth = 0

    def _indent(self) -> None:
        self.xf.write("\n" + "\t" * self.depth)

    def leaf(self, tag: str, text: str, attrs: dict[str, str] | None = None) -> None:
        self._indent()
        with self.xf.element(f"{{{NS}}}{tag}", attrs or {}):
            self.xf.write(text)

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


def _write_entry(w: _Writer, e: TermEntry, n: int, langs: list[str] | None) -> bool:
    terms = [t for t in e.terms if langs is None or primary(t.lang) in langs]
    if not terms:
        return False
    with w.open("conceptEntry", {"id": f"c{e.id}" if e.id is not None else f"n{n}"}):
        if e.subject:
            w.leaf("descrip", _clean_text(e.subject), {"type": "subjectField"})
        if e.definition:
            w.leaf("descrip", _clean_text(e.definition), {"type": "definition"})
        for line in (e.note or "").split("\n"):
            if line.strip():
                w.leaf("note", _clean_text(line))
        if e.confidence is not None:
            w.leaf("note", f"confidence: {e.confidence!r}")
        for kind, date in (("origination", _tbx_date(e.created)),
                           ("modification", _tbx_date(e.modified))):
            if date:
                with w.open("transacGrp"):
                    w.leaf("transac", kind, {"type": "transactionType"})
                    w.leaf("date", date)
        by_lang: dict[str, list[Term]] = {}
        for t in terms:
            by_lang.setdefault(normalize_lang(t.lang), []).append(t)
        for lang, group in by_lang.items():
            with w.open("langSec", {XML_LANG: lang}):
                lang_def = e.extra.get(f"definition:{lang}")
                if lang_def:
                    w.leaf("descrip", _clean_text(lang_def), {"type": "definition"})
                for t in group:
                    _write_term(w, t)
    return True


def _write_term(w: _Writer, t: Term) -> None:
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
        if t.context:
            w.leaf("descrip", _clean_text(t.context), {"type": "context"})
        if t.source:
            w.leaf("admin", _clean_text(t.source), {"type": "source"})
        if t.status == TermStatus.FORBIDDEN:
            w.leaf("note", FORBIDDEN_NOTE)
        for line in (t.note or "").split("\n"):
            if line.strip():
                w.leaf("note", _clean_text(line))


def write_tbx(entries: Iterable[TermEntry], path: str | os.PathLike[str], *,
              langs: Iterable[str] | None = None, title: str | None = None,
              source_lang: str = "en") -> int:
    """Write entries as a TBX-Basic (v3, DCA) file; returns how many entries were written.

    ``langs`` keeps only terms in those languages (primary subtags); entries left with no
    term are skipped. The file appears complete or not at all.
    """
    from lxml import etree

    target = os.fspath(path)
    keep = [primary(x) for x in langs] if langs else None
    count = 0
    with atomic_output(target) as out, etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        w = _Writer(xf)
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
                    if any(keep is None or primary(t.lang) in keep for t in e.terms):
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
