"""Term candidates without a tagger: word n-grams bounded by function words and punctuation.

A term is a run of open-class words, possibly joined by a few linking words ("secrétaire
général de l'OTAN", "abuse of functions"); a function word, a punctuation mark or a line
break ends it. For each candidate the collector keeps the counts that ranking needs:
frequency, documents, capitalisation, the class of the word before and after it (a determiner
before is a cheap noun-phrase signal; a determiner after, a verb's), how often it occurs inside
a longer candidate (the nesting that C-value corrects for) and what the lines it is on are like
(short lines: headings and table cells; foreign words; domain-specific words).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import regex

from ..segment import TITLES
from .lexicon import CONTEXT_CLASSES, DETERMINERS, LINKERS, STOPWORDS, context_class

MAX_WORDS = 6
SHORT_LINE = 8  # words

_TYPO = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2011": "-", "\u2010": "-",
                       "\u00a0": " ", "\u202f": " "})
# A word: letters/digits with inner hyphens, dots or apostrophes, numbers with a decimal or
# thousands comma ("1,1 million", "1,100"); French elided articles ("l'", "d'", "qu'") are
# split off as their own token; anything else breaks a run.
_TOKEN = regex.compile(
    r"(?P<elided>(?i:[ldjmnst]|qu|jusqu|lorsqu|puisqu|quelqu)')(?=\p{L})"
    r"|(?P<word>[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}]|[-.'](?=[\p{L}\p{N}])|(?<=\p{N}),(?=\p{N}))*)"
    r"|(?P<brk>\S)"
)
_SENTENCE_END = frozenset(".!?:;…")


@dataclass(slots=True)
class Candidate:
    """Counts gathered for one candidate (keyed by its lower-cased form)."""

    key: str
    words: tuple[str, ...]
    freq: int = 0
    docs: set[int] = field(default_factory=set)
    capitalised: int = 0  # occurrences, not sentence-initial, whose words are capitalised
    non_initial: int = 0
    after_determiner: int = 0
    nested: int = 0  # occurrences inside a longer candidate occurrence
    containers: set[str] = field(default_factory=set)
    forms: Counter[str] = field(default_factory=Counter)
    inner_forms: Counter[str] = field(default_factory=Counter)  # not sentence-initial
    opening: str | None = None  # its form when it only opens sentences, each word truly cased
    # classes (lexicon.CONTEXT_CLASSES) of the word before and after each occurrence
    left: list[int] = field(default_factory=lambda: [0] * len(CONTEXT_CLASSES))
    right: list[int] = field(default_factory=lambda: [0] * len(CONTEXT_CLASSES))
    short_line: int = 0  # occurrences on a short line: a heading, list item or table cell
    foreign: float = 0.0  # summed share of words unknown to the language around each occurrence
    specific: float = 0.0  # summed mean specificity of the words around each occurrence

    @property
    def n(self) -> int:
        return len(self.words)

    @property
    def surface(self) -> str:
        """The most frequent written form, lower-cased unless it is a name or acronym."""
        form, _ = self.forms.most_common(1)[0]
        if self.non_initial and self.capitalised * 2 > self.non_initial:
            return form
        if not self.non_initial and self.opening is not None:
            return self.opening
        if any(w.isupper() and len(w) > 1 for w in regex.split(r"[\s']", form)):
            return form
        return form.lower()

    @property
    def written(self) -> str:
        """The form the text writes inside sentences ("Union européenne", "accords de Minsk",
        "cessez-le-feu"), for showing; when the term only opens sentences, its first word in
        the case the text gives it elsewhere (``surface``)."""
        if self.inner_forms:
            return self.inner_forms.most_common(1)[0][0]
        return self.surface


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    lower: str
    kind: str  # "word", "elided" or "brk"
    initial: bool  # first word of a sentence


def tokenize(text: str) -> list[Token]:
    """Words, elided articles and breaks, with a sentence-initial flag for capitalisation."""
    text = text.translate(_TYPO)
    out: list[Token] = []
    initial = True
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "brk"
        s = m.group()
        if kind == "word" and s[-2:].lower() == "'s" and len(s) > 2:  # English possessive
            out.append(Token(s[:-2], s[:-2].lower(), kind, initial))
            s, kind, initial = "'s", "brk", False
        if kind == "brk" and s == "." and out and _before_a_name(out[-1]):
            out.append(Token(s, s, kind, False))  # "M. Jean Dupont": no sentence ends
            continue
        out.append(Token(s, s.lower(), kind, initial))
        if kind == "brk":
            initial = s in _SENTENCE_END or initial
        else:
            initial = False
    return out


def _before_a_name(t: Token) -> bool:
    """A title or an initial, whose full stop ends no sentence ("M. Dupont", "J. D. Vance")."""
    return t.kind == "word" and (t.text in TITLES or len(t.text) == 1 and t.text.isupper())


def join_words(words: Iterable[str]) -> str:
    """Words back to text: no space after an elided article ("d'équitation")."""
    out = ""
    for w in words:
        out += w if (not out or out.endswith("'")) else " " + w
    return out


def _runs(tokens: list[Token]) -> Iterator[list[Token]]:
    """Maximal runs of word tokens between breaks."""
    run: list[Token] = []
    for t in tokens:
        if t.kind == "brk":
            if run:
                yield run
            run = []
        else:
            run.append(t)
    if run:
        yield run


def _is_number(w: str) -> bool:
    return not any(c.isalpha() for c in w)


def _doc_lines(texts: Iterable[str]) -> Iterator[tuple[int, list[list[Token]]]]:
    """The runs of each line of each document: a line break ends a candidate (a title, list
    item or table cell is not continued by the next line)."""
    for doc_id, text in enumerate(texts):
        for line in text.split("\n"):
            runs = list(_runs(tokenize(line)))
            if runs:
                yield doc_id, runs


def collect(texts: Iterable[str], lang: str, max_words: int = MAX_WORDS,
            general: Callable[[str], float] | None = None) -> tuple[dict[str, Candidate], int]:
    """All candidates of ``texts`` with their counts, and the number of word tokens seen.

    ``general(word)`` is a lower-cased word's general-language frequency on the Zipf scale
    (0: unknown). With it, each candidate also gets two facts about the lines it is on: the
    share of unknown words (a passage in another language, an abstract in Turkish, is not a
    run of names or rare terms) and how specific to these texts the line's words are (terms
    are found among other terms, not in boilerplate).
    """
    lines = list(_doc_lines(texts))
    stop = STOPWORDS[lang]
    counts: Counter[str] = Counter()
    for _, runs in lines:
        counts.update(t.lower for r in runs for t in r if t.lower not in stop)
    total = max(sum(counts.values()), 1)
    cands: dict[str, Candidate] = {}
    n_tokens = 0
    for doc_id, runs in lines:
        foreign = specific = 0.0
        if general is not None:
            words = [t.lower for r in runs for t in r
                     if t.lower not in stop and any(ch.isalpha() for ch in t.lower)]
            if words:
                zs = [general(w) for w in words]
                foreign = sum(z <= 0 for z in zs) / len(zs)
                specific = sum(min(math.log10(counts[w] / total * 1e9) - z, 6.0)
                               for w, z in zip(words, zs, strict=True) if z > 0) / len(zs)
        short = sum(len(r) for r in runs) <= SHORT_LINE
        for run in runs:
            n_tokens += _collect_run(run, doc_id, (foreign, specific), short, cands, lang,
                                     max_words)
    _link_containers(cands)
    _true_case_openings(cands, lines, lang, general)
    return cands, n_tokens


def _true_case_openings(cands: dict[str, Candidate], lines: list[tuple[int, list[list[Token]]]],
                        lang: str, general: Callable[[str], float] | None) -> None:
    """Give each candidate met only at sentence starts the case its first word has inside
    sentences elsewhere in the texts ("Vance said" -> "Vance" when the text also writes "JD
    Vance"; "Officials said" -> "officials"). The other words keep the case they are written
    in. A word never met inside a sentence is taken for a name when the next word of the term
    is capitalised ("Christmas Eve conversation") or when the language does not know it."""
    capitals: Counter[str] = Counter()
    inner: Counter[str] = Counter()
    for _, runs in lines:
        for run in runs:
            for t in run:
                if not t.initial and t.kind == "word":
                    inner[t.lower] += 1
                    capitals[t.lower] += t.text[:1].isupper()

    def cased(word: str) -> str:
        if len(word) > 1 and word.isupper() or not inner[word.lower()]:
            return word  # an acronym, or a word the texts write nowhere else
        return word if capitals[word.lower()] * 2 > inner[word.lower()] else word.lower()

    stop = STOPWORDS[lang]
    for c in cands.values():
        if c.non_initial:
            continue
        form = c.forms.most_common(1)[0][0]
        words = [cased(w) for w in form.split(" ")]
        first = words[0]
        if not inner[first.lower()] and not (len(first) > 1 and first.isupper()):
            later = [w for w in words[1:] if w.lower() not in stop]
            name = (bool(later) and later[0][:1].isupper() and not later[0].isupper()
                    or general is not None and general(c.words[0]) <= 0)
            words[0] = first if name else first.lower()
        c.opening = " ".join(words)


def _collect_run(run: list[Token], doc_id: int, line: tuple[float, float], short: bool,
                 cands: dict[str, Candidate], lang: str, max_words: int) -> int:
    """Count every candidate of one run into ``cands``; returns the run's length."""
    stop = STOPWORDS[lang]
    linkers = LINKERS[lang]
    dets = DETERMINERS[lang]
    lowers = [t.lower for t in run]
    ok_edge = [not (w in stop or w in linkers or t.kind == "elided")
               for w, t in zip(lowers, run, strict=True)]
    ok_inner = [ok_edge[i] or lowers[i] in linkers for i in range(len(run))]
    ctx = [context_class(w, lang) for w in lowers] + [0]
    for i in range(len(run)):
        if not ok_edge[i]:
            continue
        prev_det = i > 0 and lowers[i - 1] in dets
        for j in range(i, min(len(run), i + max_words)):
            if not ok_inner[j]:
                break
            if not ok_edge[j]:
                continue
            if j == i and _is_number(lowers[i]):
                continue
            if _is_number(lowers[i]) and j > i and _is_number(lowers[j]):
                continue
            words = [t.text for t in run[i:j + 1]]
            key = join_words(lowers[i:j + 1])
            c = cands.get(key)
            if c is None:
                c = cands[key] = Candidate(key, tuple(lowers[i:j + 1]))
            c.freq += 1
            c.foreign += line[0]
            c.specific += line[1]
            c.short_line += short
            c.docs.add(doc_id)
            c.forms[join_words(words)] += 1
            if not run[i].initial:
                c.non_initial += 1
                c.inner_forms[join_words(words)] += 1
                if all(w[0].isupper() or not ok_edge[i + k] or _is_number(w)
                       for k, w in enumerate(words)):
                    c.capitalised += 1
            if prev_det:
                c.after_determiner += 1
            c.left[ctx[i - 1] if i else 0] += 1
            c.right[ctx[j + 1]] += 1
            if i > 0 and ok_inner[i - 1] or j + 1 < len(run) and ok_inner[j + 1]:
                c.nested += 1
    return len(run)


def _link_containers(cands: dict[str, Candidate]) -> None:
    """For each candidate, the longer candidates that contain it (for C-value)."""
    for key, c in cands.items():
        w = c.words
        for a in range(len(w)):
            for b in range(a + 1, len(w) + 1):
                if b - a == len(w):
                    continue
                s = cands.get(join_words(w[a:b]))
                if s is not None:
                    s.containers.add(key)
