"""Glossaries as CSV/TSV, the way memoQ and Trados MultiTerm users exchange them.

One row per concept, one column per language (header: a language code such as ``fr-FR`` or
a name such as ``French``), synonyms in one cell separated by ``|``. Optional columns:
``definition``, ``note``, ``subject``, ``confidence`` for the concept, and per language
``fr-FR_status``, ``fr-FR_pos``, ``fr-FR_context``, ``fr-FR_source``, ``fr-FR_note``,
``fr-FR_definition``. Per-language cells hold one value for every synonym, or one value per
synonym separated by ``|``. A literal ``|`` or ``\\`` in a cell is written ``\\|``, ``\\\\``.
Other columns are kept as the entry's extra fields and written back on export.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from ..errors import FormatError, TmtoolError
from ..lang import covers
from ..lang import normalize as normalize_lang
from ..model import Term, TermEntry
from ..termbase import Warn, parse_status
from ..textio import atomic_output, read_text

TERM_FIELDS = ("status", "pos", "context", "source", "note")
LANG_ONLY_FIELDS = ("definition",)
CONCEPT_FIELDS = ("subject", "definition", "note", "confidence")
_CONCEPT_ALIASES = {
    "subject": "subject", "subject field": "subject", "subjectfield": "subject",
    "domain": "subject", "domaine": "subject", "definition": "definition",
    "définition": "definition", "note": "note", "notes": "note", "comment": "note",
    "comments": "note", "remarque": "note", "confidence": "confidence",
    # memoQ's CSV export names its entry-level columns so
    "entry_subject": "subject", "entry_domain": "subject", "entry_note": "note",
}
_FIELD_ALIASES = {
    "status": "status", "statut": "status", "administrativestatus": "status",
    "pos": "pos", "partofspeech": "pos", "part of speech": "pos", "context": "context",
    "contexte": "context", "example": "context", "source": "source", "note": "note",
    "comment": "note", "definition": "definition", "définition": "definition",
    "def": "definition",  # memoQ: English_Def
}
LANGUAGE_NAMES = {
    "french": "fr", "français": "fr", "francais": "fr", "english": "en", "anglais": "en",
    "german": "de", "deutsch": "de", "allemand": "de", "spanish": "es", "español": "es",
    "espagnol": "es", "italian": "it", "italiano": "it", "italien": "it", "dutch": "nl",
    "nederlands": "nl", "néerlandais": "nl", "portuguese": "pt", "português": "pt",
    "portugais": "pt", "russian": "ru", "chinese": "zh", "japanese": "ja", "arabic": "ar",
    "polish": "pl", "swedish": "sv", "danish": "da", "finnish": "fi", "norwegian": "no",
    "greek": "el", "czech": "cs", "turkish": "tr", "korean": "ko",
}
REGION_NAMES = {
    "france": "FR", "united kingdom": "GB", "uk": "GB", "great britain": "GB",
    "united states": "US", "usa": "US", "us": "US", "canada": "CA", "belgium": "BE",
    "belgique": "BE", "switzerland": "CH", "suisse": "CH", "germany": "DE", "austria": "AT",
    "spain": "ES", "mexico": "MX", "italy": "IT", "brazil": "BR", "portugal": "PT",
    "australia": "AU", "ireland": "IE", "luxembourg": "LU",
    # as French headers name them ("Anglais (Royaume-Uni)")
    "royaume-uni": "GB", "grande-bretagne": "GB", "états-unis": "US", "etats-unis": "US",
    "allemagne": "DE", "autriche": "AT", "espagne": "ES", "mexique": "MX", "italie": "IT",
    "brésil": "BR", "irlande": "IE", "australie": "AU", "québec": "CA", "r-u": "GB",
    "é-u": "US", "e-u": "US",
}
# Short headers that are not language codes although they look like them.
_NOT_LANGS = frozenset({"id", "no", "nr", "num", "ref", "tag", "key", "pos", "src", "tgt",
                        "typ", "uri", "url"})
_LANG_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_SPLIT = re.compile(r"(?<!\\)((?:\\\\)*)\|")
_SUFFIX = re.compile(r"^(.+?)\s*[_:]\s*([^_:]+)$|^(.+?)\s+\(?(status|pos|context|source|note|"
                     r"definition)\)?$", re.IGNORECASE)


def language_of(header: str) -> str | None:
    """The language tag a column header names (``fr-FR``, ``French``, ``English (UK)``)."""
    h = header.strip()
    if not h:
        return None
    low = h.lower()
    if low in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[low]
    m = re.fullmatch(r"(.+?)\s*\((.+)\)", low)
    if m and m.group(1) in LANGUAGE_NAMES:
        place = m.group(2).strip()
        region = REGION_NAMES.get(place) or REGION_NAMES.get(place.replace(".", ""))
        # a region not known: the column is reported, not read as the bare language
        return f"{LANGUAGE_NAMES[m.group(1)]}-{region}" if region else None
    name, _, place = low.partition("_")  # memoQ: English_United_Kingdom
    if place and name in LANGUAGE_NAMES and place.replace("_", " ") in REGION_NAMES:
        return f"{LANGUAGE_NAMES[name]}-{REGION_NAMES[place.replace('_', ' ')]}"
    if (_LANG_CODE.match(h) and low not in _NOT_LANGS and low not in _CONCEPT_ALIASES
            and low not in _FIELD_ALIASES):
        return _registered(h)
    return None


def _registered(code: str) -> str | None:
    """The standard form of ``code`` when it is a language tag of the IANA registry ("fra"
    and "fre" are "fr", "en-UK" is "en-GB"); None for column names ("foo", "xyz-12")."""
    import langcodes

    code = code.replace("_", "-")
    if not langcodes.tag_is_valid(code):
        return None
    return normalize_lang(langcodes.standardize_tag(code))


# -- reading -------------------------------------------------------------------------------


def split_cell(cell: str) -> list[str]:
    """Values of a cell split on unescaped ``|``, unescaped and stripped; empty ones kept."""
    parts: list[str] = []
    last = 0
    for m in _SPLIT.finditer(cell):
        parts.append(cell[last:m.end() - 1])
        last = m.end()
    parts.append(cell[last:])
    return [p.replace("\\|", "|").replace("\\\\", "\\").strip() for p in parts]


def _unescape(cell: str) -> str:
    return cell.replace("\\|", "|").replace("\\\\", "\\").strip()


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|")


def sniff_delimiter(header_line: str, path: str) -> str:
    """Tab, semicolon or comma: the one the header line uses most (outside quotes)."""
    if path.lower().endswith((".tsv", ".tab")):
        return "\t"
    outside = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: outside.count(d) for d in ("\t", ";", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


class _Column:
    __slots__ = ("kind", "lang", "field", "name")

    def __init__(self, kind: str, lang: str | None, field: str | None, name: str) -> None:
        self.kind = kind  # "term", "lang", "concept", "extra"
        self.lang = lang
        self.field = field
        self.name = name


def _columns(header: list[str], path: str) -> list[_Column]:
    cols: list[_Column] = []
    for name in header:
        h = name.strip()
        low = h.lower()
        m = _SUFFIX.match(h)
        if m:
            base, suffix = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            lang = language_of(base)
            field = _FIELD_ALIASES.get(suffix.strip().lower())
            if lang and field:
                kind = "lang" if field in LANG_ONLY_FIELDS else "term"
                cols.append(_Column(kind, lang, field, h))
                continue
        lang = language_of(h)
        if lang:
            cols.append(_Column("term", lang, None, h))
        elif low in _CONCEPT_ALIASES:
            cols.append(_Column("concept", None, _CONCEPT_ALIASES[low], h))
        else:
            cols.append(_Column("extra", None, None, h))
    if not any(c.kind == "term" and c.field is None for c in cols):
        raise FormatError(path, "no language column in the header (expected codes such as "
                          "fr-FR, en-GB or names such as French, English)", 1)
    return cols


def _row_entry(cols: list[_Column], row: list[str], path: str, line: int) -> TermEntry | None:
    texts: dict[str, list[str]] = {}
    attrs: dict[str, dict[str, list[str]]] = {}
    concept: dict[str, str] = {}
    extra: dict[str, str] = {}
    for col, cell in zip(cols, row, strict=False):
        if not cell.strip():
            continue
        if col.kind == "term" and col.field is None:
            texts.setdefault(col.lang or "", []).extend(v for v in split_cell(cell) if v)
        elif col.kind == "term":
            attrs.setdefault(col.lang or "", {})[col.field or ""] = split_cell(cell)
        elif col.kind == "lang":
            extra[f"{col.field}:{col.lang}"] = _unescape(cell)
        elif col.kind == "concept":  # two columns of one field (memoQ's subject and
            field = col.field or ""      # domain): both values kept
            concept[field] = "; ".join(filter(None, (concept.get(field), cell.strip())))
        else:
            extra[col.name] = cell.strip()
    terms: list[Term] = []
    for lang, values in texts.items():
        per_field = attrs.get(lang, {})
        for i, text in enumerate(values):
            fields: dict[str, str | None] = {}
            for field, vals in per_field.items():
                if len(vals) == 1:
                    v = vals[0]
                elif len(vals) == len(values):
                    v = vals[i]
                else:
                    raise FormatError(path, f"column {lang}_{field} has {len(vals)} values "
                                      f"for {len(values)} terms", line)
                fields[field] = v or None
            status = None
            if fields.get("status"):
                try:
                    status = parse_status(fields["status"] or "")
                except TmtoolError as e:
                    raise FormatError(path, str(e), line) from e
            terms.append(Term(text=text, lang=lang, status=status, pos=fields.get("pos"),
                              context=fields.get("context"), source=fields.get("source"),
                              note=fields.get("note")))
    if not terms:
        return None
    confidence = None
    if concept.get("confidence"):
        try:
            confidence = float(concept["confidence"].replace(",", "."))
        except ValueError as e:
            raise FormatError(path, f"confidence {concept['confidence']!r} is not a number",
                              line) from e
    # A language's definition stays that language's, as in TBX: export writes it back to
    # its own column.
    return TermEntry(terms=tuple(terms), subject=concept.get("subject"),
                     definition=concept.get("definition"), note=concept.get("note"),
                     confidence=confidence, extra=extra)


def read_glossary_csv(path: str | os.PathLike[str], *, encoding: str | None = None,
                      warn: Warn | None = None) -> Iterator[TermEntry]:
    """Entries of a CSV/TSV glossary (delimiter and BOM detected).

    Rows with values but no term are skipped and passed to ``warn(message, line)``.
    """
    name = str(path)
    text = read_text(path, encoding)
    first = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first, name)
    # strict: a quote never closed must not swallow the rest of the file into one term
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as e:
        raise FormatError(name, f"cannot read the header row ({e})", 1) from e
    cols = _columns(header, name)
    unknown = [c.name for c in cols if c.kind == "extra" and c.name]
    if unknown and warn is not None:
        warn(f"column(s) {', '.join(unknown)} not recognised: kept as extra fields of each "
             f"entry", 1)
    line = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            if "end of data" in str(e):
                raise FormatError(name, "a quote opened in this row is never closed",
                                  line + 1) from e
            raise FormatError(name, f"malformed row ({e})", reader.line_num) from e
        start, line = line + 1, reader.line_num
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(cols):
            raise FormatError(name, f"row has {len(row)} fields but the header has "
                              f"{len(cols)}", start)
        entry = _row_entry(cols, row, name, start)
        if entry is not None:
            yield entry
        elif warn is not None:
            warn("row without any term skipped", start)


# -- writing -------------------------------------------------------------------------------


def _cell(values: list[str | None]) -> str:
    """One value when all synonyms share it, else one per synonym."""
    if len(set(values)) == 1:
        return _escape(values[0] or "")
    return "|".join(_escape(v or "") for v in values)


def write_glossary_csv(entries: Iterable[TermEntry], path: str | os.PathLike[str], *,
                       langs: Iterable[str] | None = None, delimiter: str | None = None,
                       warn: Warn | None = None) -> int:
    """Write entries as CSV (comma, UTF-8 with BOM) or TSV (by extension); returns the count.

    ``langs`` keeps only terms in those languages (``lang.covers``), in that column order.
    Fields only TBX can hold (term type, cross references, dates...) have no column: how many
    were left out is passed to ``warn(message, None)``, one message per field name.
    """
    target = os.fspath(path)
    keep = [normalize_lang(x) for x in langs] if langs else None
    rows: list[TermEntry] = []
    for e in entries:
        terms = tuple(t for t in e.terms if keep is None or any(covers(x, t.lang) for x in keep))
        if terms:
            rows.append(replace(e, terms=terms))
    tags: list[str] = []
    used: dict[str, set[str]] = {}
    concept_used: set[str] = set()
    extra_keys: dict[str, None] = {}
    left_out: dict[str, int] = {}
    for e in rows:
        for item in (*e.data, *(d for t in e.terms for d in t.data)):
            left_out[item.name] = left_out.get(item.name, 0) + 1
        for t in e.terms:
            tag = normalize_lang(t.lang)
            if tag not in used:
                tags.append(tag)
                used[tag] = set()
            for f in TERM_FIELDS:
                if getattr(t, f):
                    used[tag].add(f)
        for f in CONCEPT_FIELDS:
            if getattr(e, f) is not None:
                concept_used.add(f)
        for k in e.extra:
            if k.startswith("definition:") and normalize_lang(k.split(":", 1)[1]) in used:
                used[normalize_lang(k.split(":", 1)[1])].add("definition")
            elif not k.startswith("definition:") and k != "source":
                extra_keys.setdefault(k, None)
    if keep:
        tags.sort(key=lambda tg: next(i for i, x in enumerate(keep) if covers(x, tg)))
    header: list[str] = []
    for tag in tags:
        header.append(tag)
        header.extend(f"{tag}_{f}" for f in (*TERM_FIELDS, *LANG_ONLY_FIELDS) if f in used[tag])
    header.extend(f for f in CONCEPT_FIELDS if f in concept_used)
    header.extend(extra_keys)
    if delimiter is None:
        delimiter = "\t" if target.lower().endswith((".tsv", ".tab", ".txt")) else ","
    bom = delimiter != "\t"
    with atomic_output(target, encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        w = csv.writer(f, delimiter=delimiter, lineterminator="\n")
        w.writerow(header)
        for e in rows:
            w.writerow(_row(e, tags, used, concept_used, extra_keys))
    if warn is not None:
        for name, n in left_out.items():
            warn(f"{n} {name} field(s) not written (CSV has no column for them; a .tbx "
                 "export keeps them)", None)
    return len(rows)


def _row(e: TermEntry, tags: list[str], used: dict[str, set[str]], concept_used: set[str],
         extra_keys: dict[str, None]) -> list[str]:
    out: list[str] = []
    for tag in tags:
        terms = [t for t in e.terms if normalize_lang(t.lang) == tag]
        out.append("|".join(_escape(t.text) for t in terms))
        for f in TERM_FIELDS:
            if f in used[tag]:
                out.append(_cell([str(getattr(t, f)) if getattr(t, f) else None
                                  for t in terms]) if terms else "")
        if "definition" in used[tag]:
            out.append(_escape(e.extra.get(f"definition:{tag}", "")))
    for f in CONCEPT_FIELDS:
        if f in concept_used:
            v = getattr(e, f)
            out.append("" if v is None else (repr(v) if isinstance(v, float) else str(v)))
    out.extend(e.extra.get(k, "") for k in extra_keys)
    return out
