"""Term candidates without a tagger: word n-grams bounded by function words and punctuation.

A term is a run of open-class words, possibly joined by a few linking words ("secrétaire
général de l'OTAN", "abuse of functions"); a function word, a punctuation mark or a line
break ends it. For each candidate the collector keeps the counts that ranking needs:
frequency, documents, capitalisation, what precedes it (a determiner is a cheap noun-phrase
signal) and how often it occurs inside a longer candidate (the nesting that C-value corrects
for).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import regex

from .lexicon import DETERMINERS, LINKERS, STOPWORDS

MAX_WORDS = 6

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

    @property
    def n(self) -> int:
        return len(self.words)

    @property
    def surface(self) -> str:
        """The most frequent written form, lower-cased unless it is a name or acronym."""
        form, _ = self.forms.most_common(1)[0]
        if self.non_initial and self.capitalised * 2 > self.non_initial:
            return form
        if any(w.isupper() and len(w) > 1 for w in regex.split(r"[\s']", form)):
            return form
        return form.lower()


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
        out.append(Token(s, s.lower(), kind, initial))
        if kind == "brk":
            initial = s in _SENTENCE_END or initial
        else:
            initial = False
    return out


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


def _doc_runs(texts: Iterable[str]) -> Iterator[tuple[int, list[Token]]]:
    """Runs of each document, line by line: a line break ends a candidate (a title, list item
    or table cell is not continued by the next line)."""
    for doc_id, text in enumerate(texts):
        for line in text.split("\n"):
            for run in _runs(tokenize(line)):
                yield doc_id, run


def collect(texts: Iterable[str], lang: str,
            max_words: int = MAX_WORDS) -> tuple[dict[str, Candidate], int]:
    """All candidates of ``texts`` with their counts, and the number of word tokens seen."""
    stop = STOPWORDS[lang]
    linkers = LINKERS[lang]
    dets = DETERMINERS[lang]
    cands: dict[str, Candidate] = {}
    n_tokens = 0
    for doc_id, run in _doc_runs(texts):
        n_tokens += len(run)
        lowers = [t.lower for t in run]
        ok_edge = [not (w in stop or w in linkers or t.kind == "elided")
                   for w, t in zip(lowers, run, strict=True)]
        ok_inner = [ok_edge[i] or lowers[i] in linkers for i in range(len(run))]
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
                c.docs.add(doc_id)
                c.forms[join_words(words)] += 1
                if not run[i].initial:
                    c.non_initial += 1
                    if all(w[0].isupper() or not ok_edge[i + k] or _is_number(w)
                           for k, w in enumerate(words)):
                        c.capitalised += 1
                if prev_det:
                    c.after_determiner += 1
                if i > 0 and ok_inner[i - 1] or j + 1 < len(run) and ok_inner[j + 1]:
                    c.nested += 1
    _link_containers(cands)
    return cands, n_tokens


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
