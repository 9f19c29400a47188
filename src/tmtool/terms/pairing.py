"""French-English term pairing from aligned segments.

For a French term, the English candidates are the term-shaped n-grams of the English sides of
the segments where it occurs. Each is scored on co-occurrence over segments (Dice); word-by-word
translation (word Dice across the whole bitext, best link per word in both directions, so
extra or missing words cost); word alignment inside the shared segments (English words that
another French word of the segment explains better count against, nearby positions for);
spelling (cognates, identical strings, numbers; a French word may match a whole English
compound, "cofinancement" and "co-financing"); length; and, when given, the termhood of the
English candidate. Singular and plural English forms pool their evidence, and so do spellings
that differ only by hyphens or spaces ("co-operation", "cooperation"). The weights are few
and set by hand.

The ``Bitext`` also says where French terms occur and how a term is written inside sentences
(``cased``: "Kiev", "security guarantees", not the "Security Guarantees" of a title-case
heading), which the glossary builder needs to judge and print its pairs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Indel

from ..normalize import strip_accents
from .candidates import MAX_WORDS, Token, join_words, tokenize
from .lexicon import DETERMINERS, LINKERS, STOPWORDS

PAIR_MAX_WORDS = MAX_WORDS + 2  # English spells out what French compounds ("of the")
SMOOTH = 2.0
MAX_CONTEXTS = 40  # segments read for candidates; frequent terms need no more
MAX_SCORED = 300
WEAK = 0.15  # a word linked no better than this is left unexplained
W_DICE, W_COVER, W_SAME, W_LENGTH, W_UNEXPLAINED = 0.35, 0.3, 0.2, 0.05, 0.1
W_TAKEN, W_POSITION = 0.3, 0.1
IN_SEGMENT = 5  # shared segments read for word alignment
MIN_COGNATE = 0.6  # spelling similarity below this is chance
W_TERM = 0.15  # the equivalent of a term is itself a term: breaks ties between hapaxes


@dataclass(frozen=True, slots=True)
class TermPair:
    """A French term, its English equivalent, confidence in [0, 1] and the evidence."""

    fr: str
    en: str
    confidence: float
    count: int  # aligned segments holding both
    context_fr: str = ""
    context_en: str = ""


def _words(text: str) -> list[tuple[str, str]]:
    """(written form, lower-case form) of each word; breaks become ("", "")."""
    out = []
    for t in tokenize(text):
        out.append(("", "") if t.kind == "brk" else (t.text, t.lower))
    return out


def _find(seq: Sequence[str], sub: Sequence[str]) -> bool:
    n = len(sub)
    return any(list(seq[i:i + n]) == list(sub) for i in range(len(seq) - n + 1)) if n else False


def _stem_fr(w: str) -> str:
    """French plural to singular, roughly: enough to find "douanes" for "douane"."""
    if len(w) > 3 and w[-1] in "sx" and w[-2] not in "su":
        return w[:-1]
    return w


@lru_cache(maxsize=100_000)
def _fold(w: str) -> str:
    return strip_accents(w).lower()


_QUOTES = frozenset("«\"“„")  # opening quotes
_BULLETS = frozenset("•–—-*")


# A quotation after one of these stands inside a noun phrase ('the "Danish model"'): its
# first word's capital is its own, not the quotation's.
_INSIDE = frozenset().union(*DETERMINERS.values(), *LINKERS.values())


def _starts_sentence(toks: Sequence[Token], k: int) -> bool:
    """Whether word ``k`` may be capitalised by position: a sentence or quotation start, or
    the first word after a number or mark opening the segment ("2.2 Formation", "²
    Déclaration"); an initial or a title such as "M." or "J." ends no sentence."""
    if k == 0 or not any(c.isalpha() for t in toks[:k] for c in t.text):
        return True
    prev = toks[k - 1]
    if prev.text in _QUOTES:
        return k < 2 or toks[k - 2].lower not in _INSIDE
    if prev.text in _BULLETS:
        return True
    if prev.text == "." and k >= 2 and toks[k - 2].kind == "word":
        abbr = toks[k - 2].text
        return not (len(abbr) <= 3 and abbr[:1].isupper())
    return bool(prev.kind == "brk" and prev.text in ".!?…:;")


def _title_case(toks: Sequence[Token], side: str) -> bool:
    """A heading in title case: most of its open-class words capitalised, no final stop."""
    if not toks or toks[-1].text in ".!?…;":
        return False
    stop, link = STOPWORDS[side], LINKERS[side]
    content = [t for t in toks if t.kind == "word" and t.lower not in stop
               and t.lower not in link and any(c.isalpha() for c in t.text)]
    caps = sum(next(c for c in t.text if c.isalpha()).isupper() for t in content)
    return len(content) >= 2 and caps >= 0.75 * len(content)


class Bitext:
    """Aligned segments indexed for pairing: word and n-gram occurrence sets per side."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.pairs = [(fr, en) for fr, en in pairs]
        self.fr = [_words(fr) for fr, _ in self.pairs]
        self.en = [_words(en) for _, en in self.pairs]
        self.fr_low = [[_stem_fr(lw) for _, lw in s] for s in self.fr]
        self.en_low = [[lw for _, lw in s] for s in self.en]
        self.fr_segs: dict[str, set[int]] = defaultdict(set)
        self.en_segs: dict[str, set[int]] = defaultdict(set)
        for i, s in enumerate(self.fr_low):
            for w in s:
                if w:
                    self.fr_segs[w].add(i)
        for i, s in enumerate(self.en_low):
            for w in s:
                if w:
                    self.en_segs[w].add(i)
        self._en_cands: dict[int, dict[str, str]] = {}
        self._ngram_segs: dict[str, set[int]] = {}
        self._dice: dict[tuple[str, str], float] = {}
        self._best: dict[int, dict[str, list[tuple[float, str]]]] = {}
        self._tokens: dict[str, list[list[Token]]] = {}
        self._cases: dict[str, dict[str, str]] = {}

    def segments_with_fr(self, term: str) -> list[int]:
        words = [_stem_fr(lw) for _, lw in _words(term) if lw]
        if not words:
            return []
        segs = set.intersection(*(self.fr_segs.get(w, set()) for w in words))
        return sorted(i for i in segs if _find(self.fr_low[i], words))

    def segments_with_en(self, term: str) -> set[int]:
        if term not in self._ngram_segs:
            words = [lw for _, lw in _words(term) if lw]
            segs = (set.intersection(*(self.en_segs.get(w, set()) for w in words))
                    if words else set())
            self._ngram_segs[term] = {i for i in segs if _find(self.en_low[i], words)}
        return self._ngram_segs[term]

    def en_candidates(self, i: int) -> dict[str, str]:
        """Term-shaped English n-grams of segment ``i``: lower-case key -> written form."""
        if i not in self._en_cands:
            stop, link = STOPWORDS["en"], LINKERS["en"]
            toks = self.en[i]
            out: dict[str, str] = {}
            for a in range(len(toks)):
                wa = toks[a][1]
                if not wa or wa in stop or wa in link:
                    continue
                for b in range(a, min(len(toks), a + PAIR_MAX_WORDS)):
                    wb = toks[b][1]
                    if not wb or (wb in stop and wb not in link):
                        break
                    if wb in stop or wb in link:
                        continue
                    if a == b and not any(c.isalpha() for c in wa):
                        continue  # a bare number is a term only beside a word ("article 5")
                    key = join_words(t[1] for t in toks[a:b + 1])
                    out.setdefault(key, join_words(t[0] for t in toks[a:b + 1]))
            self._en_cands[i] = out
        return self._en_cands[i]

    def written_en(self, key: str, fallback: str) -> str:
        """How an English n-gram is written inside sentences (not capitalised by position)."""
        forms: Counter[str] = Counter()
        words = key.split(" ")
        for i in self.segments_with_en(key):
            low = self.en_low[i]
            for a in range(1, len(low) - len(words) + 1):
                if low[a:a + len(words)] == words and low[a - 1]:
                    forms[join_words(t[0] for t in self.en[i][a:a + len(words)])] += 1
        if forms:
            return forms.most_common(1)[0][0]
        return fallback if sum(c.isupper() for c in fallback) > 1 else fallback.lower()

    def tokens(self, side: str) -> list[list[Token]]:
        """The tokens of every segment of one side ("fr" or "en"), as ``_words`` counts them."""
        if side not in self._tokens:
            col = 0 if side == "fr" else 1
            self._tokens[side] = [tokenize(p[col]) for p in self.pairs]
        return self._tokens[side]

    def occurrences_fr(self, term: str) -> list[tuple[int, int, int]]:
        """Where a French term occurs: (segment, first token, token after the last)."""
        words = [_stem_fr(lw) for _, lw in _words(term) if lw]
        out = []
        for i in self.segments_with_fr(term):
            seq = self.fr_low[i]
            out.extend((i, a, a + len(words)) for a in range(len(seq) - len(words) + 1)
                       if seq[a:a + len(words)] == words)
        return out

    def word_cases(self, side: str) -> dict[str, str]:
        """Each word (lower-case) as the text writes it inside sentences: "Kiev", "European",
        "guarantees". Sentence starts, quotations and title-case headings ("Lingering
        Uncertainties") say nothing about a word's case and are not counted."""
        if side not in self._cases:
            forms: dict[str, Counter[str]] = defaultdict(Counter)
            headings: dict[str, str] = {}
            for toks in self.tokens(side):
                if _title_case(toks, side):
                    headings.update((t.lower, t.text) for t in toks if t.kind == "word")
                    continue
                for k, t in enumerate(toks):
                    if t.kind == "word" and not _starts_sentence(toks, k):
                        forms[t.lower][t.text] += 1
            cases = {w: c.most_common(1)[0][0] for w, c in forms.items()}
            # a word that only headings capitalise is a common word ("NATO Takes a Harder
            # Line"), unless it is an acronym
            for w, text in headings.items():
                if w not in cases:
                    cases[w] = text if len(text) > 1 and text.isupper() else w
            self._cases[side] = cases
        return self._cases[side]

    def cased(self, term: str, side: str) -> str:
        """A term as the text writes it inside sentences: its most frequent written form
        there ("Coalition of the Willing", "security Council" -> "Security Council"), else
        each word in its own usual case."""
        low = [lw for _, lw in _words(term) if lw]
        forms: Counter[str] = Counter()
        n = len(low)
        for toks in self.tokens(side):
            if n == 0 or _title_case(toks, side):
                continue
            for a in range(len(toks) - n + 1):
                if (toks[a].lower == low[0] and [t.lower for t in toks[a:a + n]] == low
                        and not _starts_sentence(toks, a)):
                    forms[join_words(t.text for t in toks[a:a + n])] += 1
        if forms:
            return forms.most_common(1)[0][0]
        cases = self.word_cases(side)
        return join_words(cases.get(lw, text) for text, lw in _words(term) if lw)

    def best_links(self, i: int) -> dict[str, list[tuple[float, str]]]:
        """For each English word of segment ``i``, its three best French links there."""
        if i not in self._best:
            fr_words = set(_content(self.fr_low[i], "fr"))
            out: dict[str, list[tuple[float, str]]] = {}
            for e in set(_content(self.en_low[i], "en")):
                links = sorted(((_link(self, f, e), f) for f in fr_words), reverse=True)
                out[e] = links[:3]
            self._best[i] = out
        return self._best[i]

    def word_dice(self, f: str, e: str) -> float:
        k = (f, e)
        if k not in self._dice:
            a, b = self.fr_segs.get(f, set()), self.en_segs.get(e, set())
            # smoothed: two words seen once, in the same segment, are only weak evidence
            self._dice[k] = 2 * len(a & b) / (len(a) + len(b) + SMOOTH) if a and b else 0.0
        return self._dice[k]


def _spelling(f: str, e: str) -> float:
    """Cognate similarity of two words (accents and case folded), numbers exact."""
    f, e = _fold(f), _fold(e)
    if f == e:
        return 1.0
    if any(c.isdigit() for c in f + e):
        df = "".join(c for c in f if c.isdigit())
        return 0.9 if df and df == "".join(c for c in e if c.isdigit()) else 0.0
    if min(len(f), len(e)) < 4:
        return 0.0
    sim = Indel.normalized_similarity(f, e)
    prefix = 0
    for x, y in zip(f, e, strict=False):  # common prefix
        if x != y:
            break
        prefix += 1
    best = max(sim, 0.8 if prefix >= 5 else 0.7 if prefix >= 4 else 0.0)
    return best if best >= MIN_COGNATE else 0.0


def _content_words(words: Sequence[str], lang: str) -> list[str]:
    """Open-class words (all words when there is none)."""
    stop, link = STOPWORDS[lang], LINKERS[lang]
    return [w for w in words if w and w not in stop and w not in link] or [w for w in words if w]


def _content(words: Sequence[str], lang: str) -> list[str]:
    """Open-class words, English compounds split at hyphens ("decision-making")."""
    kept = _content_words(words, lang)
    return [p for w in kept for p in (w.split("-") if lang == "en" else (w,)) if p]


def _link(bt: Bitext, f: str, e: str) -> float:
    return max(bt.word_dice(f, e), _spelling(f, e))


def word_link(bt: Bitext, fr_word: str, en_word: str) -> float:
    """How well a French word (lower-case) and an English word translate each other, in [0, 1]:
    co-occurrence over the bitext or spelling, whichever says more."""
    return _link(bt, _stem_fr(fr_word), en_word)


def best_english(bt: Bitext, fr_word: str) -> set[str]:
    """The English words (lower-case) that a French word links with best, ties included,
    among those of its segments (none when it occurs in none)."""
    f = _stem_fr(fr_word)
    links = {e: _link(bt, f, e) for i in bt.fr_segs.get(f, ()) for e in _content(bt.en_low[i],
                                                                                  "en")}
    top = max(links.values(), default=0.0)
    return {e for e, x in links.items() if x >= top - 1e-9} if links else set()


def spelling(fr_word: str, en_word: str) -> float:
    """How much a French and an English word look alike (cognates, names, numbers), in [0, 1]."""
    return _spelling(fr_word, en_word)


def content_words(term: str, lang: str) -> list[str]:
    """The open-class words of a term, lower-case, in order (English compounds split at
    hyphens: "20-point" is "20", "point")."""
    return _content([lw for _, lw in _words(term) if lw], lang)


def term_words(term: str) -> list[str]:
    """Every word of a term, lower-case, in order."""
    return [lw for _, lw in _words(term) if lw]


def weakest_link(pairs: Bitext, fr_term: str, en_term: str) -> float:
    """The weakest word link of a pair, both ways: 0.5 is what a single shared segment of two
    words seen once gives, so a pair at 0.5 or below rests on co-occurrence alone."""
    fr_words = [_stem_fr(w) for w in _content([lw for _, lw in _words(fr_term)], "fr")]
    en_lower = [lw for _, lw in _words(en_term) if lw]
    if not fr_words or not _content(en_lower, "en"):
        return 0.0
    _, f_links, e_links = _word_links(pairs, fr_words, en_lower)
    return min(f_links + e_links)


def _word_links(bt: Bitext, fr_words: list[str], en_lower: Sequence[str]
                ) -> tuple[list[str], list[float], list[float]]:
    """English content words (compounds split) and the best link of each word both ways.

    A French word may match a whole English compound by spelling ("cofinancement" and
    "co-financing", "décision" and "decision-making"): the match then explains every part."""
    en_words = _content(en_lower, "en")
    f_links = [max(_link(bt, f, e) for e in en_words) for f in fr_words]
    e_links = [max(_link(bt, f, e) for f in fr_words) for e in en_words]
    compounds = [w for w in _content_words(en_lower, "en") if "-" in w]
    for comp in compounds:
        parts = set(comp.split("-"))
        whole = [_spelling(f, comp.replace("-", "")) for f in fr_words]
        f_links = [max(a, b) for a, b in zip(f_links, whole, strict=True)]
        e_links = [max(x, max(whole)) if e in parts else x
                   for e, x in zip(en_words, e_links, strict=True)]
    return en_words, f_links, e_links


def _inside(bt: Bitext, fr_words: list[str], en_key: str, en_words: list[str],
            e_links: list[float], segs: Sequence[int]) -> tuple[float, float]:
    """Word alignment inside the shared segments: how much of the English candidate other
    French words of the segment explain better (competitive linking), and how close the two
    stand in their sentences (relative position)."""
    if not segs:
        return 0.0, 0.0
    own = set(fr_words)
    taken = near = 0.0
    en_seq = en_key.split(" ")
    for i in segs:
        best = bt.best_links(i)
        for e, link in zip(en_words, e_links, strict=True):
            other = next((v for v, f in best.get(e, ()) if f not in own), 0.0)
            taken += max(0.0, other - link)
        fr_pos = _position(bt.fr_low[i], fr_words[0])
        en_pos = _position(bt.en_low[i], en_seq[0])
        near += 1.0 - abs(fr_pos - en_pos)
    return taken / (len(segs) * len(en_words)), near / len(segs)


def _position(seq: Sequence[str], word: str) -> float:
    try:
        return seq.index(word) / max(len(seq) - 1, 1)
    except ValueError:
        return 0.5


def _score(bt: Bitext, fr_words: list[str], en_key: str, f_segs: list[int],
           termhood: float = 0.0) -> tuple[float, int]:
    e_segs = bt.segments_with_en(en_key)
    shared = sorted(set(f_segs) & e_segs)
    both = len(shared)
    dice = 2 * both / (len(f_segs) + len(e_segs) + SMOOTH / 2) if e_segs else 0.0
    en_words, f_links, e_links = _word_links(bt, fr_words, en_key.split(" "))
    taken, near = _inside(bt, fr_words, en_key, en_words, e_links, shared[:IN_SEGMENT])
    f_cov, e_cov = sum(f_links) / len(f_links), sum(e_links) / len(e_links)
    unexplained = sum(x < WEAK for x in f_links) + sum(x < WEAK for x in e_links)
    whole = 1.0 if _fold(" ".join(fr_words)) == _fold(" ".join(en_words)) else 0.0
    length = abs(len(en_words) - len(fr_words))
    score = (W_DICE * dice + W_COVER * (f_cov + e_cov) + W_SAME * whole
             - W_LENGTH * length - W_UNEXPLAINED * unexplained + W_TERM * termhood
             - W_TAKEN * taken + W_POSITION * near)
    return max(0.0, min(1.0, score)), both


@dataclass(frozen=True, slots=True)
class EnglishTerms:
    """English terms indexed once for many French terms: written form and termhood by key."""

    written: dict[str, str]
    termhood: dict[str, float]

    @classmethod
    def of(cls, terms: Iterable[str] | Mapping[str, float]) -> EnglishTerms:
        if isinstance(terms, Mapping):
            items = [(str(t), float(v)) for t, v in terms.items()]
        else:
            items = [(t, 0.0) for t in terms]
        written: dict[str, str] = {}
        termhood: dict[str, float] = {}
        for t, v in items:
            k = _key(t)
            written.setdefault(k, t)
            termhood[k] = max(v, termhood.get(k, 0.0))
        return cls(written, termhood)


def rank_equivalents(pairs: Sequence[tuple[str, str]] | Bitext, fr_term: str,
                     en_terms: Iterable[str] | Mapping[str, float] | EnglishTerms | None = None,
                     *,
                     top: int = 10) -> list[TermPair]:
    """English candidates for ``fr_term`` from the segments where it occurs, best first.

    With ``en_terms``, only those (and the French term itself, used as-is in English) compete;
    otherwise every term-shaped English n-gram of those segments does. A mapping gives each
    English term its termhood in [0, 1], which then counts as evidence too.
    """
    bt = pairs if isinstance(pairs, Bitext) else Bitext(pairs)
    f_segs = bt.segments_with_fr(fr_term)
    if not f_segs:
        return []
    fr_words = [_stem_fr(w) for w in _content([lw for _, lw in _words(fr_term)], "fr")]
    index = en_terms if isinstance(en_terms, EnglishTerms) or en_terms is None \
        else EnglishTerms.of(en_terms)
    allowed = index.written if index is not None else None
    termhood = index.termhood if index is not None else {}
    own_key = _key(fr_term)
    written: dict[str, str] = {}
    seen: dict[str, int] = defaultdict(int)
    for i in f_segs[:MAX_CONTEXTS]:
        for key, form in bt.en_candidates(i).items():
            if allowed is None or key in allowed or key == own_key:
                written.setdefault(key, form)
                seen[key] += 1
    keep = sorted(written, key=lambda k: (-seen[k], len(k)))[:MAX_SCORED]
    scored = []
    for key in keep:
        form = written[key]
        s, both = _score(bt, fr_words, key, f_segs, termhood.get(key, 0.0))
        scored.append((s, both, key, form))
    scored = _agree_number(_merge_spellings(bt, scored), fr_term)
    scored.sort(key=lambda t: (-t[0], -t[1], t[2]))
    out = []
    for s, both, key, form in scored[:top]:
        # the context: the shortest full sentence holding both (a heading says little)
        ctx = min((i for i in f_segs if i in bt.segments_with_en(key)),
                  key=lambda i: (not _sentence(bt.pairs[i][0]), len(bt.pairs[i][0])),
                  default=f_segs[0])
        en = allowed[key] if allowed is not None and key in allowed else (
            fr_term if key == own_key and allowed is not None else bt.written_en(key, form))
        out.append(TermPair(fr_term, en, round(min(max(s, 0.0), 1.0), 4), both,
                            bt.pairs[ctx][0], bt.pairs[ctx][1]))
    return out


def _sentence(text: str) -> bool:
    """Whether a segment reads as a sentence: it ends with a full stop, "!", "?" or a quote."""
    return text.rstrip()[-1:] in ".!?»\"”…"


def _plural_en(key: str) -> str | None:
    """The singular of an English key whose last word looks plural, else None."""
    head, _, last = key.rpartition(" ")
    if len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
        sing = last[:-3] + "y" if last.endswith("ies") else last[:-1]
        return f"{head} {sing}".strip()
    return None


def _merge_spellings(bt: Bitext, scored: list[tuple[float, int, str, str]]
                     ) -> list[tuple[float, int, str, str]]:
    """Spellings of one term that differ by hyphens or spaces ("co-operation", "cooperation";
    "decision making", "decision-making") share their evidence; the spelling the English text
    uses most wins."""
    groups: dict[str, list[tuple[float, int, str, str]]] = defaultdict(list)
    for t in scored:
        groups[t[2].replace("-", "").replace(" ", "")].append(t)
    out = []
    for group in groups.values():
        if len(group) == 1:
            out.extend(group)
            continue
        best = max(t[0] for t in group)
        winner = max(group, key=lambda t: _usage(bt, t[2]))
        out.extend((best + 0.001 if t is winner else best - 0.001, t[1], t[2], t[3])
                   for t in group)
    return out


def _usage(bt: Bitext, key: str) -> tuple[int, int]:
    """How much the English text uses a spelling: as a whole, then word by word."""
    return (len(bt.segments_with_en(key)),
            sum(len(bt.en_segs.get(w, ())) for w in key.split(" ") if w not in STOPWORDS["en"]))


def _agree_number(scored: list[tuple[float, int, str, str]],
                  fr_term: str) -> list[tuple[float, int, str, str]]:
    """Singular and plural English forms share their evidence; the French number decides."""
    last = fr_term.split()[-1].lower() if fr_term.split() else ""
    fr_plural = len(last) > 3 and last[-1] in "sx"
    by_key = {t[2]: t for t in scored}
    for key in list(by_key):
        sing = _plural_en(key)
        if sing is None or sing not in by_key:
            continue
        best = max(by_key[key][0], by_key[sing][0])
        winner, loser = (key, sing) if fr_plural else (sing, key)
        w, lo = by_key[winner], by_key[loser]
        by_key[winner] = (best + 0.001, w[1] + lo[1], w[2], w[3])
        by_key[loser] = (best - 0.001, lo[1], lo[2], lo[3])
    return list(by_key.values())


@lru_cache(maxsize=100_000)
def _key(term: str) -> str:
    return join_words(lw for _, lw in _words(term) if lw)


def pair_terms(pairs: Sequence[tuple[str, str]] | Bitext, fr_terms: Iterable[str],
               en_terms: Iterable[str] | Mapping[str, float] | None = None, *,
               min_confidence: float = 0.3) -> list[TermPair]:
    """The best English equivalent of each French term, when the evidence is strong enough."""
    bt = pairs if isinstance(pairs, Bitext) else Bitext(pairs)
    en_list = EnglishTerms.of(en_terms) if en_terms is not None else None
    out = []
    for fr in fr_terms:
        ranked = rank_equivalents(bt, fr, en_list, top=1)
        if ranked and ranked[0].confidence >= min_confidence:
            out.append(ranked[0])
    out.sort(key=lambda p: (-p.confidence, p.fr))
    return out
