"""From two documents to aligned sentence pairs: segment, align, build translation units.

This is the main job of tmtool (``tmtool align``) as a library: the CLI only reads files and
writes the result. Single documents that mix French and English paragraphs go through
:func:`align_mixed`, which separates the languages first.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from . import __version__
from .errors import TmtoolWarning
from .lang import primary, with_region
from .model import UNTRANSLATED_PROP, Link, Segment, TranslationUnit, Variant

if TYPE_CHECKING:
    from .mixed import Paragraph


@dataclass(frozen=True, slots=True)
class Bitext:
    """Two segmented documents and the links between their segments."""

    src: tuple[Segment, ...]
    tgt: tuple[Segment, ...]
    links: tuple[Link, ...]
    src_lang: str
    tgt_lang: str
    settings: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # positions in ``links`` of pairs whose target reads as the source language (left
    # untranslated): kept out of memories with the one-sided links
    untranslated: frozenset[int] = frozenset()

    def pair_text(self, link: Link) -> tuple[str, str]:
        """Source and target text of a link, on one line (``segment.one_line``); sentences of
        a many-to-one link joined by a space."""
        from .segment import one_line

        return (one_line(" ".join(self.src[i].text for i in link.src)),
                one_line(" ".join(self.tgt[j].text for j in link.tgt)))

    def one_sided(self) -> list[Link]:
        return [link for link in self.links if not link.src or not link.tgt]

    def wordless(self) -> list[Link]:
        """Pairs with no letter or digit on either side (a separator "_____", "* * *"): no
        translation to keep, and a memory's lookups would only offer them for marks."""
        return [link for link in self.links if link.src and link.tgt and not any(
            ch.isalnum() for text in self.pair_text(link) for ch in text)]

    def written(self, keep_unaligned: bool = False) -> Iterator[tuple[Link, bool]]:
        """The links a memory gets, each with whether it is an untranslated pair: the pairs
        with words, and with ``keep_unaligned`` the one-sided links, untranslated pairs and
        pairs without words too."""
        wordless = set() if keep_unaligned else set(self.wordless())
        for k, link in enumerate(self.links):
            untranslated = k in self.untranslated
            if keep_unaligned or (link.src and link.tgt and not untranslated
                                  and link not in wordless):
                yield link, untranslated


# A target side left untranslated reads as the source language past doubt (at least this
# many letters, where a quoted name or motto kept in the original is shorter, and this
# probability) and is the source copied, or nearly (this similarity of their folded texts):
# an English sentence naming a French law or institution reads as French too.
_UNTRANSLATED_LETTERS = 30
_UNTRANSLATED_P = 1 - 1e-6
_UNTRANSLATED_SIMILARITY = 90.0


def untranslated_links(src: Sequence[Segment], tgt: Sequence[Segment], links: Sequence[Link],
                       src_lang: str, tgt_lang: str) -> frozenset[int]:
    """Positions of the pairs whose target side is the source left as it was: it reads as the
    source language, among every language with a profile, and is the source text or nearly
    (a paragraph the translator left in French, which a memory would otherwise offer as the
    English of that French). A Latin motto kept on both sides reads as no one language past
    doubt, and "The Conseil d'État ruled on ..." is no copy of its French: both stay."""
    from rapidfuzz import fuzz

    from . import langid
    from .normalize import fold

    code = primary(src_lang)
    known = langid.languages()
    if code == primary(tgt_lang) or code not in known:
        return frozenset()
    found = []
    for k, link in enumerate(links):
        if not (link.src and link.tgt):
            continue
        text = " ".join(tgt[j].text for j in link.tgt)
        # the cheap tests first: language identification costs 25 times the similarity
        if (sum(ch.isalpha() for ch in text) >= _UNTRANSLATED_LETTERS
                and fuzz.ratio(fold(" ".join(src[i].text for i in link.src)), fold(text))
                >= _UNTRANSLATED_SIMILARITY
                and langid.scores(text, known)[code] >= _UNTRANSLATED_P):
            found.append(k)
    return frozenset(found)


def segments_from_lines(text: str, lang: str) -> list[Segment]:
    """Segments of a file already split one segment per line (blank lines end paragraphs)."""
    from .segment import without_bom

    text = without_bom(text)
    segments: list[Segment] = []
    para, pos, blank = 0, 0, False
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            if blank and segments:
                para += 1
            start = pos + line.index(stripped[0])
            segments.append(Segment(stripped, start, start + len(stripped), para, lang))
            blank = False
        else:
            blank = True
        pos += len(line) + 1
    return segments


def segment_document(text: str, lang: str, *, segmented: bool = False) -> list[Segment]:
    """Split a document into sentences, or take its lines as they are when ``segmented``."""
    if segmented:
        return segments_from_lines(text, lang)
    from .segment import split_text

    return split_text(text, lang)


# Fewer pairs than this say too little about whether two texts are translations.
_SUPPORT_MIN_LINKS = 5


def align_segments(src: Sequence[Segment], tgt: Sequence[Segment], *, src_lang: str = "fr",
                   tgt_lang: str = "en",
                   glossary: Iterable[tuple[str, str]] | None = None) -> Bitext:
    """Align two lists of segments, using their paragraph numbers as soft anchors."""
    from . import alignment

    links, (shared, paired) = alignment.align_with_support(
        [s.text for s in src], [t.text for t in tgt], src_lang=src_lang, tgt_lang=tgt_lang,
        src_paras=[s.para for s in src], tgt_paras=[t.para for t in tgt], glossary=glossary,
    )
    if paired >= _SUPPORT_MIN_LINKS and shared < paired / 2:
        warnings.warn(TmtoolWarning(
            f"only {shared} of {paired} aligned pairs share a number, a name or a cognate "
            f"word: are these documents translations of each other?"), stacklevel=2)
    settings = {"aligner": json.dumps(alignment.settings(), sort_keys=True)}
    return Bitext(tuple(src), tuple(tgt), tuple(links), src_lang, tgt_lang, settings,
                  untranslated_links(src, tgt, links, src_lang, tgt_lang))


def align_texts(src_text: str, tgt_text: str, *, src_lang: str = "fr", tgt_lang: str = "en",
                segmented: bool = False,
                glossary: Iterable[tuple[str, str]] | None = None) -> Bitext:
    """Segment a document and its translation, then align their sentences."""
    src = segment_document(src_text, src_lang, segmented=segmented)
    tgt = segment_document(tgt_text, tgt_lang, segmented=segmented)
    bitext = align_segments(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, glossary=glossary)
    bitext.settings["segmenter"] = segmenter_settings(src_lang, tgt_lang, segmented)
    return bitext


def segmenter_settings(src_lang: str, tgt_lang: str, segmented: bool = False) -> str:
    """The segmentation behind a memory, as its header records it."""
    if segmented:
        return "none: one segment per input line"
    from .segment import settings

    return json.dumps([settings(src_lang), settings(tgt_lang)], sort_keys=True)


def align_mixed(text: str, *, src_lang: str = "fr", tgt_lang: str = "en",
                glossary: Iterable[tuple[str, str]] | None = None) -> Bitext:
    """Pair the translated paragraphs of a mixed-language document with their originals.

    A French article that carries its English headline (or summary) beside the French one:
    each run of target-language paragraphs is a translation of the neighbouring run of
    source-language paragraphs just before or just after it, whichever aligns better. Other
    source sentences stay one-sided (1-0); quoted English words inside French sentences stay
    in the French sentences.
    """
    from .mixed import split_languages

    doc = split_languages(text, (src_lang, tgt_lang))
    src_code, tgt_code = primary(src_lang), primary(tgt_lang)
    src = _segment_paragraphs(doc.side(src_lang), src_lang)
    tgt = _segment_paragraphs(doc.side(tgt_lang), tgt_lang)
    by_para_src: dict[int, list[int]] = {}
    for i, seg in enumerate(src):
        by_para_src.setdefault(seg.para, []).append(i)
    by_para_tgt: dict[int, list[int]] = {}
    for j, seg in enumerate(tgt):
        by_para_tgt.setdefault(seg.para, []).append(j)

    glossary = list(glossary) if glossary is not None else None
    paras = [p for p in doc.paragraphs if p.lang in (src_code, tgt_code)]
    links: list[Link] = []
    used_src: set[int] = set()
    used_tgt: set[int] = set()
    pos = 0
    while pos < len(paras):
        if paras[pos].lang != tgt_code:
            pos += 1
            continue
        end = pos
        while end < len(paras) and paras[end].lang == tgt_code:
            end += 1
        run = [j for p in paras[pos:end] for j in by_para_tgt.get(p.index, [])]
        k = end - pos
        before = _src_run(paras[max(0, pos - k):pos], src_code)
        after = _src_run(paras[end:end + k], src_code)
        best: list[Link] | None = None
        best_score = -1.0
        for cand in (before, after):
            cand_src = [i for p in cand for i in by_para_src.get(p.index, []) if i not in used_src]
            if not cand_src or not run:
                continue
            local = _align_lists(src, tgt, cand_src, run, src_lang, tgt_lang, glossary)
            score = sum(link.score for link in local if link.src and link.tgt)
            score /= max(len(cand_src), len(run))
            if score > best_score:
                best, best_score = local, score
        for link in best or []:
            if link.src and link.tgt:
                links.append(link)
                used_src.update(link.src)
                used_tgt.update(link.tgt)
        pos = end
    links.extend(Link((i,), (), 0.0) for i in range(len(src)) if i not in used_src)
    links.extend(Link((), (j,), 0.0) for j in range(len(tgt)) if j not in used_tgt)
    links.sort(key=lambda link: src[link.src[0]].start if link.src else tgt[link.tgt[0]].start)
    from . import alignment

    settings = {"aligner": json.dumps(alignment.settings(), sort_keys=True),
                "mixed-document": "paragraph runs paired with their neighbours",
                "segmenter": segmenter_settings(src_lang, tgt_lang)}
    return Bitext(tuple(src), tuple(tgt), tuple(links), src_lang, tgt_lang, settings)


def _src_run(paragraphs: Sequence[Paragraph], code: str) -> list[Paragraph]:
    """The source paragraphs next to a translated run, stopping at another translated one."""
    return [p for p in paragraphs if p.lang == code]


def _align_lists(src: Sequence[Segment], tgt: Sequence[Segment], src_ids: Sequence[int],
                 tgt_ids: Sequence[int], src_lang: str, tgt_lang: str,
                 glossary: list[tuple[str, str]] | None) -> list[Link]:
    """Align a subset of the segments, returning links over the full lists' indexes."""
    from . import alignment

    local = alignment.align([src[i].text for i in src_ids], [tgt[j].text for j in tgt_ids],
                            src_lang=src_lang, tgt_lang=tgt_lang, glossary=glossary)
    return [Link(tuple(src_ids[i] for i in link.src), tuple(tgt_ids[j] for j in link.tgt),
                 link.score) for link in local]


def _segment_paragraphs(paragraphs: Iterable[Paragraph], lang: str) -> list[Segment]:
    """Segments of one language's paragraphs, with document-wide offsets and paragraph indexes."""
    from .segment import split_text

    out: list[Segment] = []
    for para in paragraphs:
        for seg in split_text(para.text, lang):
            out.append(Segment(seg.text, para.start + seg.start, para.start + seg.end,
                               para.index, lang))
    return out


def tmx_date(moment: datetime | None = None) -> str:
    """TMX date format, YYYYMMDDThhmmssZ, in UTC."""
    return (moment or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")


def to_units(bitext: Bitext, *, src_tag: str | None = None, tgt_tag: str | None = None,
             keep_one_sided: bool = False, origin: str | None = None,
             date: str | None = None) -> Iterator[TranslationUnit]:
    """Translation units for the links; one-sided links (1-0, 0-1) and untranslated pairs only
    when asked (an untranslated pair's unit is marked so)."""
    src_tag = with_region(src_tag or bitext.src_lang)
    tgt_tag = with_region(tgt_tag or bitext.tgt_lang)
    date = date or tmx_date()
    for link, untranslated in bitext.written(keep_one_sided):
        src_text, tgt_text = bitext.pair_text(link)
        variants = []
        if link.src:
            variants.append(Variant(src_tag, src_text))
        if link.tgt:
            variants.append(Variant(tgt_tag, tgt_text))
        yield TranslationUnit(
            variants=tuple(variants),
            srclang=src_tag,
            props=(("x-link-kind", link.kind), ("x-confidence", f"{link.score:.3f}"),
                   ("x-source-segments", ",".join(map(str, link.src))),
                   ("x-target-segments", ",".join(map(str, link.tgt))),
                   *((UNTRANSLATED_PROP,) if untranslated else ())),
            creationdate=date,
            creationid="tmtool",
            origin=origin,
        )


def header_props(bitext: Bitext) -> list[tuple[str, str]]:
    """Settings that produced a memory, recorded in its header so it can be reproduced."""
    props = [("x-tmtool-version", __version__),
             ("x-languages", f"{primary(bitext.src_lang)}-{primary(bitext.tgt_lang)}")]
    props.extend((f"x-{k}", v) for k, v in sorted(bitext.settings.items()))
    return props


def glossary_pairs(path: str, src_lang: str = "fr", tgt_lang: str = "en") -> list[tuple[str, str]]:
    """Term pairs to use as alignment evidence, from any glossary a translator has.

    TBX (v2 or v3) and CSV/TSV with language columns go through the termbase readers (every
    source synonym paired with every target synonym); a bare two-column file is read as
    (source term, target term) lines.
    """
    from .formats.glossary_csv import language_of
    from .lang import same_language
    from .termbase import file_kind, read_file
    from .textio import read_text

    if file_kind(path) != "tbx":
        first = next((line for line in read_text(path).split("\n") if line.strip()), "")
        cells = [c.strip().strip('"') for c in first.replace(";", "\t").replace(",", "\t")
                 .split("\t")]
        if sum(1 for c in cells if language_of(c)) < 2:
            from .alignment import load_glossary

            return load_glossary(path)
    pairs: list[tuple[str, str]] = []
    for entry in read_file(path):
        sources = [t.text for t in entry.terms if same_language(t.lang, src_lang)]
        targets = [t.text for t in entry.terms if same_language(t.lang, tgt_lang)]
        pairs.extend((s, t) for s in sources for t in targets)
    return pairs
