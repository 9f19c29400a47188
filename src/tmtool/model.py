"""Plain, typed domain objects shared by every module.

Frozen and slotted: they are values passed from one stage to the next (text -> segments ->
links -> units -> store -> files), never wrappers around live XML or database rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple


class StrEnum(str, Enum):  # enum.StrEnum is 3.11+; the project supports 3.10
    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True, slots=True)
class Segment:
    """A sentence (or headline, list item) cut from a document.

    ``start``/``end`` are character offsets into the text given to the segmenter, so that a
    segment can always be traced back to its source; ``para`` counts paragraphs from 0.
    """

    text: str
    start: int
    end: int
    para: int = 0
    lang: str | None = None


class LinkKind(StrEnum):
    """Closed set of alignment link shapes ("source count-target count")."""

    DELETION = "1-0"
    INSERTION = "0-1"
    ONE_ONE = "1-1"
    ONE_TWO = "1-2"
    TWO_ONE = "2-1"
    TWO_TWO = "2-2"
    ONE_THREE = "1-3"
    THREE_ONE = "3-1"


@dataclass(frozen=True, slots=True)
class Link:
    """One alignment link: consecutive source and target segment indices (0-based)."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 1.0  # confidence in [0, 1]

    @property
    def kind(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    def __str__(self) -> str:  # the "[3, 4]:[2]" form used by gold alignment files
        return f"{list(self.src)}:{list(self.tgt)}"


@dataclass(frozen=True, slots=True)
class Variant:
    """One language side of a translation unit (a TMX ``<tuv>``).

    ``text`` is the plain text used for matching and search; ``markup`` is the ``<seg>``
    content as TMX XML (inline codes bpt/ept/ph/it/hi/ut/sub kept) so export gives it back.
    ``markup`` is None when the segment has no inline codes (then it equals escaped text).
    """

    lang: str
    text: str
    markup: str | None = None
    props: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    creationdate: str | None = None
    changedate: str | None = None
    creationid: str | None = None
    changeid: str | None = None
    attrs: tuple[tuple[str, str], ...] = ()  # other TMX attributes (lastusagedate...)


@dataclass(frozen=True, slots=True)
class TranslationUnit:
    """A TMX ``<tu>``: two or more language variants of one segment, with metadata."""

    variants: tuple[Variant, ...]
    tuid: str | None = None
    srclang: str | None = None
    props: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    creationdate: str | None = None
    changedate: str | None = None
    creationid: str | None = None
    changeid: str | None = None
    usagecount: int | None = None
    origin: str | None = None  # the file the unit came from, when known
    attrs: tuple[tuple[str, str], ...] = ()  # other TMX attributes (lastusagedate, segtype...)

    def variant(self, lang: str) -> Variant | None:
        """The variant for ``lang``: exact BCP 47 tag first, then same primary language."""
        from .lang import primary

        lang_l = lang.lower()
        for v in self.variants:
            if v.lang.lower() == lang_l:
                return v
        p = primary(lang)
        for v in self.variants:
            if primary(v.lang) == p:
                return v
        return None


class TermStatus(StrEnum):
    PREFERRED = "preferred"
    ADMITTED = "admitted"
    DEPRECATED = "deprecated"
    FORBIDDEN = "forbidden"


class DataCategory(NamedTuple):
    """A termbase field the named attributes do not cover (TBX ``termType``, ``xGraphic``...),
    kept as read so that export gives it back at the level it came from.

    ``name`` is the data category; ``main.sub`` names an item grouped with ``main``
    (``definition.source``: the source of the definition; ``origination.responsibility``: who
    created it). ``target`` is the reference a ``ref``/``xref`` points to; ``lang`` is the
    language section of an entry-held item (None: the entry or term itself).
    """

    name: str
    value: str
    target: str | None = None
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Term:
    """One term (a designation) in one language inside a concept entry."""

    text: str
    lang: str
    pos: str | None = None
    status: TermStatus | None = None
    context: str | None = None
    source: str | None = None
    note: str | None = None
    created: str | None = None  # the term's own dates, when its file gave them
    modified: str | None = None
    data: tuple[DataCategory, ...] = ()  # other fields, in file order


@dataclass(frozen=True, slots=True)
class TermEntry:
    """A concept entry of the termbase: terms in two or more languages for one concept."""

    terms: tuple[Term, ...]
    id: int | None = None
    subject: str | None = None
    definition: str | None = None
    note: str | None = None
    confidence: float | None = None  # for pairs proposed by the glossary builder
    created: str | None = None
    modified: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    data: tuple[DataCategory, ...] = ()  # entry and language-section fields, in file order


@dataclass(frozen=True, slots=True)
class Match:
    """A fuzzy-match hit from the translation memory."""

    score: float  # percentage 0-100, CAT style
    source: str
    target: str
    unit_id: int | None = None
    penalties: tuple[str, ...] = ()  # e.g. ("numbers", "case"): what differs besides words
    origin: str | None = None
    source_lang: str | None = None  # the stored tags, which may differ from those asked for
    target_lang: str | None = None  # (fr-CA asked, fr-FR found)
    # the segments with their inline codes, as TMX <seg> content (None: plain text), for a
    # tool that puts the translation back with its tags
    source_markup: str | None = None
    target_markup: str | None = None


# The prop ``tmtool align --keep-unaligned`` marks a pair with whose target is its source left
# untranslated: written by ``bitext.to_units``, and left out by a memory import.
UNTRANSLATED_PROP = ("x-untranslated", "yes")
