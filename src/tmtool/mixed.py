"""Documents in two languages at once: a French article with its English headline beside it.

``split_languages`` cuts a text into paragraphs (blocks separated by blank lines; a line inside a
block becomes a paragraph of its own when it is a headline in another language) and gives each
its language, so each side can be segmented and the two sides aligned. A paragraph's language is
that of its body: quoted or bracketed words (``« Coalition of the Willing »``) and names do not
turn a French paragraph English. Web-page furniture (comment forms, share buttons, copyright
lines) is set aside rather than put on either side, since it translates nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from . import langid
from .errors import UsageError
from .lang import primary
from .segment import split_paragraphs

_LINE = regex.compile(r"[^\n]+")
_LETTER_WORD = regex.compile(r"\p{L}+")
# Spans that quote or gloss rather than speak: «…», “…”, "…", (…), […].
_ASIDE = regex.compile(r"«[^«»]*»|“[^“”]*”|\"[^\"\n]*\"|\([^()]*\)|\[[^\[\]]*\]")
_LIST_ITEM = regex.compile(r"^\s*(?:[•·▪◦‣*–—-]|\d{1,3}[.)]|[a-zA-Z][.)])\s")
# A line may start a new paragraph only if it does not continue the line before in lower case.
_CONTINUES = regex.compile(r"^\s*\p{Ll}")
# Least probability, and least number of words, for a line to leave its block.
_LINE_CONFIDENCE = 0.99
_LINE_MIN_WORDS = 3
# Standard strings of blog and news page templates (WordPress, Blogger and the like) in English
# and French; a short paragraph made only of these is page furniture.
_FURNITURE = regex.compile(
    r"leave an? (?:reply|comment)|cancel reply|your (?:e-?mail )?address will not be published"
    r"|required fields are marked|share this|like this|related posts?|post navigation"
    r"|click to share on \w+|all rights reserved|subscribe to (?:our|the) newsletter"
    r"|laisser (?:un commentaire|une réponse)|annuler la réponse"
    r"|votre adresse (?:e-?mail |électronique |de messagerie )?ne sera pas publiée"
    r"|les champs obligatoires sont (?:indiqués|marqués)(?: avec)?|partager ?:|j[’']aime ?:"
    r"|articles? (?:similaires|liés)|navigation des articles|tous droits réservés"
    r"|abonnez-vous à (?:notre|la) newsletter",
    regex.IGNORECASE,
)
_FURNITURE_MAX_WORDS = 25


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of the input: ``text == source[start:end]``, ``index`` counts paragraphs
    (furniture included) in input order, ``score`` is the probability of ``lang``."""

    index: int
    start: int
    end: int
    text: str
    lang: str
    score: float


@dataclass(frozen=True, slots=True)
class MixedDocument:
    """A text cut into paragraphs by language; ``furniture`` holds page furniture set aside."""

    langs: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]
    furniture: tuple[Paragraph, ...] = ()

    def side(self, lang: str) -> tuple[Paragraph, ...]:
        """The paragraphs in ``lang`` (any tag with that primary subtag), in input order."""
        code = primary(lang)
        return tuple(p for p in self.paragraphs if p.lang == code)

    def side_text(self, lang: str) -> str:
        """The paragraphs in ``lang`` joined by blank lines, ready for the segmenter."""
        return "\n\n".join(p.text for p in self.side(lang))

    @property
    def main_language(self) -> str:
        """The language with the most letters; the first of ``langs`` when there is no text."""
        size = dict.fromkeys(self.langs, 0)
        for p in self.paragraphs:
            size[p.lang] += sum(ch.isalpha() for ch in p.text)
        return max(self.langs, key=lambda code: size[code])

    @property
    def is_mixed(self) -> bool:
        """True when more than one language has paragraphs."""
        return len({p.lang for p in self.paragraphs}) > 1


def body(text: str) -> str:
    """The text without quoted or bracketed asides, when enough words remain to judge by."""
    rest = _ASIDE.sub(" ", text)
    return rest if len(_LETTER_WORD.findall(rest)) >= 2 else text


def paragraph_language(text: str, langs: Sequence[str] = ("fr", "en")) -> tuple[str, float]:
    """The language of a paragraph's body and its probability."""
    probs = langid.scores(body(text), langs)
    best = max(probs, key=lambda code: probs[code])
    return best, probs[best]


def split_languages(text: str, langs: Sequence[str] = ("fr", "en")) -> MixedDocument:
    """Cut ``text`` into paragraphs and give each one of ``langs``.

    Raises UsageError when ``langs`` is empty or names a language tmtool has no profile for.
    """
    if not langs:
        raise UsageError("split_languages needs at least one language")
    codes = tuple(langid.resolve(langs))
    paragraphs: list[Paragraph] = []
    furniture: list[Paragraph] = []
    index = 0
    for start, end in split_paragraphs(text):
        for sub_start, sub_end, lang, score in _split_block(text, start, end, codes):
            para = Paragraph(index, sub_start, sub_end, text[sub_start:sub_end], lang, score)
            (furniture if _is_furniture(para.text) else paragraphs).append(para)
            index += 1
    return MixedDocument(codes, tuple(paragraphs), tuple(furniture))


def _split_block(
    text: str, start: int, end: int, codes: tuple[str, ...]
) -> list[tuple[int, int, str, float]]:
    """One block as one paragraph, or as several when some of its lines are headlines in
    another language than their neighbours."""
    block = text[start:end]
    whole = paragraph_language(block, codes)
    lines = [_strip_span(text, start + m.start(), start + m.end()) for m in _LINE.finditer(block)]
    lines = [(a, b) for a, b in lines if a < b]
    if len(lines) < 2 or len(codes) < 2 or any(_LIST_ITEM.match(text[a:b]) for a, b in lines):
        return [(start, end, *whole)]
    labels = _line_labels(text, lines, whole[0], codes)
    runs: list[list[tuple[int, int]]] = []
    for i, span in enumerate(lines):
        if runs and labels[i] == labels[i - 1]:
            runs[-1].append(span)
        else:
            runs.append([span])
    if len(runs) == 1:
        return [(start, end, *whole)]
    out: list[tuple[int, int, str, float]] = []
    for run in runs:
        a, b = run[0][0], run[-1][1]
        out.append((a, b, *paragraph_language(text[a:b], codes)))
    return out


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the whitespace at its two ends."""
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip()), start + len(piece.rstrip())


def _line_labels(
    text: str, lines: list[tuple[int, int]], block_lang: str, codes: tuple[str, ...]
) -> list[str]:
    """Each line's language when it is confident and may stand alone, else its neighbour's."""
    labels: list[str | None] = []
    open_quotes = 0
    for i, (a, b) in enumerate(lines):
        line = text[a:b]
        label: str | None = None
        continues = i > 0 and _CONTINUES.match(line) is not None
        if not open_quotes and not continues and len(_LETTER_WORD.findall(line)) >= _LINE_MIN_WORDS:
            lang, score = paragraph_language(line, codes)
            if score >= _LINE_CONFIDENCE:
                label = lang
        if i + 1 < len(lines) and _CONTINUES.match(text[lines[i + 1][0] : lines[i + 1][1]]):
            label = None  # the next line carries on this one's sentence
        open_quotes = max(0, open_quotes + line.count("«") + line.count("“"))
        open_quotes = max(0, open_quotes - line.count("»") - line.count("”"))
        labels.append(label)
    # Unsure lines join the line before them (or after, at the start), else the block's language.
    filled: list[str] = []
    for i, label in enumerate(labels):
        if label is None:
            label = filled[-1] if filled else next((x for x in labels[i:] if x), block_lang)
        filled.append(label)
    return filled


def _is_furniture(text: str) -> bool:
    """True for a short paragraph made only of page-template strings."""
    if len(text.split()) > _FURNITURE_MAX_WORDS or not _FURNITURE.search(text):
        return False
    rest = _FURNITURE.sub(" ", text)
    return len(_LETTER_WORD.findall(rest)) <= 2
