"""From aligned French-English segments to glossary pairs and termbase entries.

Monolingual termhood alone is weak on a short document (every count is one or two), so the
builder lets the two languages vouch for each other: every French candidate is paired against
the English candidates of its segments, and a pair is kept when the pairing evidence and the
termhood of both sides (as ranks within their document) are strong together. Acronyms defined
in either text ("OTAN (Organisation du traité ...)") are paired through their expansions.
A pair whose only evidence is that its words share a segment or two is a guess between all the
words of those segments, so it is stored only when it clearly beats every unrelated rival.

Good pairing evidence is not enough on a news text: a headline's subject and verb ("OTAN
durcit" = "NATO Takes") translate each other perfectly. So both sides must also have the shape
of a term (``flaw``: no tagger, only closed word classes, word order across the two languages
and where the French phrase stands in its sentences), a term that never occurs outside longer
kept terms is dropped ("Leyen"), and terms are written as their texts write them inside
sentences, not as title-case headings do.

``merge_curated`` makes one termbase of a curated glossary and a build, and ``write_termbase``
writes it as TBX or CSV: ``tmtool glossary build --glossary FILE -o FILE.tbx``, which is
``glossary_from_documents`` (or ``glossary_from_tmx``) then ``write_termbase``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import regex

from ..errors import UsageError
from ..lang import primary
from ..model import Term, TermEntry
from ..normalize import fold
from .acronyms import find_acronyms
from .candidates import Token, tokenize
from .lexicon import DETERMINERS, LINKERS, STOPWORDS
from .pairing import (
    Bitext,
    EnglishTerms,
    TermPair,
    best_english,
    content_words,
    rank_equivalents,
    spelling,
    term_words,
    weakest_link,
    word_link,
)
from .rank import score_candidates

MIN_PAIR = 0.55  # pairing confidence below this is a guess
MIN_COMBINED = 0.6
# A pair resting on co-occurrence alone (no word linked better than one shared segment of
# hapaxes gives, see pairing.weakest_link) is kept only when it clearly beats the best
# unrelated rival: in a short text every hapax of a segment co-occurs with every other.
ALONE = 0.5
MIN_MARGIN = 0.05
MIN_WEAKEST = 0.35  # below this some word of the pair is explained by nothing
RIVALS = 10
W_PAIR = 0.6  # combined = W_PAIR * pairing + (1 - W_PAIR) * mean termhood rank of both sides
MAX_PAIRED = 1500  # French candidates paired at most (time grows with each)
EVERYDAY = 4.5  # Zipf frequency (log10 per billion words) of a common word ("date", "type")
HEAD_LINK = 0.5  # a word linked better than two hapaxes of one segment has found its translation
HEAD_MARGIN = 0.05

# Adjectives that stand before a noun without classifying it ("un éventuel cessez-le-feu",
# "the next step"): no term starts with one.
EVALUATIVE: dict[str, frozenset[str]] = {
    "fr": frozenset("éventuel éventuelle éventuels éventuelles possible possibles prochain "
                    "prochaine prochains prochaines principal principale principaux "
                    "principales certain certaine certains certaines autre autres même mêmes "
                    "seul seule seuls seules simple simples vrai vraie vrais vraies véritable "
                    "véritables divers diverses différents différentes nombreux nombreuses tel "
                    "telle tels telles dernier dernière derniers dernières".split()),
    "en": frozenset("possible potential next main certain other same only sole simple real "
                    "true various different numerous many several last latest recent "
                    "further".split()),
}
# French adjectives that may come before the noun (the head is then not the first word).
PRENOMINAL = EVALUATIVE["fr"] | frozenset(
    "grand grande grands grandes petit petite petits petites bon bonne bons bonnes mauvais "
    "mauvaise mauvaises haut haute hauts hautes bas basse basses premier première premiers "
    "premières deuxième second seconde nouveau nouvel nouvelle nouveaux nouvelles vieux vieil "
    "vieille vieilles jeune jeunes beau bel belle beaux belles long longue longs longues gros "
    "grosse ancien ancienne anciens anciennes futur future futurs futures libre libres double "
    "triple".split())
PREPOSITIONS_FR = frozenset("de d' à en sur par pour sans contre entre avec dans sous vers chez "
                            "après avant selon".split())
ARTICLES_FR = frozenset("le la les l' un une".split())
INVERTED = ("-il", "-ils", "-elle", "-elles", "-on", "-je", "-nous", "-vous")  # "a-t-il"
INFINITIVE = ("er", "ir")  # French infinitives (after "à", "de" they need no determiner)
QUOTES = frozenset("«»\"“”")
LIST_MARKS = frozenset("•–—-*:")
CONJUNCTIONS = {"fr": frozenset(("et", "ou")), "en": frozenset(("and", "or"))}
# A number right after one of these ends no term: the date or count it begins is cut
# ("réunion des 19 [et 20 mars]"); after a noun it names ("article 5", "Protocole 16").
NUMBER_BEFORE: dict[str, frozenset[str]] = {
    "fr": frozenset("des du le les au aux de en à sur par pour dès depuis".split()),
    "en": frozenset("on of the in at by for from to since".split()),
}
MONTHS: dict[str, frozenset[str]] = {
    "fr": frozenset("janvier février mars avril mai juin juillet août septembre octobre "
                    "novembre décembre".split()),
    "en": frozenset("january february march april may june july august september october "
                    "november december".split()),
}
NUMBERS: dict[str, frozenset[str]] = {
    "fr": frozenset("un une deux trois quatre cinq six sept huit neuf dix cent cents mille "
                    "million millions milliard milliards".split()),
    "en": frozenset("one two three four five six seven eight nine ten hundred hundreds thousand "
                    "thousands million millions billion billions".split()),
}


def _ranks(texts: Sequence[str], lang: str) -> dict[str, float]:
    """Each candidate (as written) with its termhood as a rank in [0, 1], 1 = best, best first."""
    scored = score_candidates(texts, lang)
    n = max(len(scored) - 1, 1)
    return {c.surface: 1.0 - i / n for i, (c, _) in enumerate(scored)}


def build_glossary(pairs: Sequence[tuple[str, str]], *, fr_texts: Sequence[str] | None = None,
                   en_texts: Sequence[str] | None = None,
                   progress: Callable[[int, int], None] | None = None) -> list[TermPair]:
    """Term pairs of an aligned French-English text, best first, one English term per French.

    ``fr_texts``/``en_texts`` are the whole documents (for termhood); by default the two sides
    of ``pairs`` joined. ``progress(done, total)`` is called while French terms are paired.
    """
    fr_docs = list(fr_texts) if fr_texts is not None else ["\n".join(p[0] for p in pairs)]
    en_docs = list(en_texts) if en_texts is not None else ["\n".join(p[1] for p in pairs)]
    fr_rank = _ranks(fr_docs, "fr")
    en_rank = _ranks(en_docs, "en")
    bt = Bitext(pairs)
    en_index = EnglishTerms.of(en_rank)
    out: dict[str, TermPair] = {}
    todo = list(fr_rank.items())[:MAX_PAIRED]  # best first: a long text's tail is noise
    total = len(todo)
    for done, (fr, fr_r) in enumerate(todo, 1):
        if progress and done % 50 == 0:
            progress(done, total)
        if _letters(fr) < 2:
            continue
        ranked = rank_equivalents(bt, fr, en_index, top=RIVALS)
        if not ranked:
            continue
        best = ranked[0]
        en_r = en_rank.get(best.en, 0.0)
        combined = W_PAIR * best.confidence + (1 - W_PAIR) * (fr_r + en_r) / 2
        if (best.confidence >= MIN_PAIR and combined >= MIN_COMBINED and _letters(best.en) >= 2
                and _supported(bt, best, ranked[1:])):
            out[fr.lower()] = TermPair(best.fr, best.en, round(combined, 4), best.count,
                                       best.context_fr, best.context_en)
    defined = _add_acronyms(out, fr_docs, en_docs, bt)
    by_en: dict[str, list[TermPair]] = {}  # one French term per English term: the best one
    for p in sorted(out.values(), key=lambda p: (-p.confidence, len(p.fr), p.fr.lower())):
        by_en.setdefault(p.en.lower(), []).append(p)

    def sound(p: TermPair) -> bool:
        return flaw(bt, _written(bt, p), defined) is None

    written = [_written(bt, _fullest(bt, rivals, sound)) for rivals in by_en.values()]
    kept = _drop_fragments(bt, [p for p in written if flaw(bt, p, defined) is None])
    return _one_per_lemma(sorted(kept, key=lambda p: (-p.confidence, p.fr.lower())))


# A longer French term this much less confident than a word cut out of it still wins their
# English term (pairing scores of the two differ by noise: the word occurs wherever the term
# does).
_CLOSE = 0.05


def _fullest(bt: Bitext, rivals: Sequence[TermPair],
             sound: Callable[[TermPair], bool] = lambda p: True) -> TermPair:
    """The French term kept for one English term, from its rivals (most confident first):
    the most confident, unless a longer term that holds its words, in order, is nearly as
    confident: "feuille de route" = "roadmap", not "feuille", which always comes with it.
    Not when a word the longer term adds links best with an English word the English term
    lacks: "coalition des volontaires" is not "Coalition" ("volontaires" goes with "Willing"),
    nor "surveillance aérienne" "surveillance". A longer term that is no term (``sound``)
    never displaces the best one."""
    best = rivals[0]
    for p in rivals[1:]:
        if (p.confidence >= rivals[0].confidence - _CLOSE and _holds(p.fr, best.fr)
                and not _adds_a_word(bt, p, best) and sound(p)):
            best = p
    return best


def _adds_a_word(bt: Bitext, longer: TermPair, shorter: TermPair) -> bool:
    """Whether a word ``longer`` has beyond ``shorter`` translates a word missing from their
    English term."""
    en = set(content_words(longer.en, "en"))
    extra = set(content_words(longer.fr, "fr")) - set(content_words(shorter.fr, "fr"))
    return any(not best_english(bt, w) <= en for w in extra)


def _holds(longer: str, shorter: str) -> bool:
    """Whether the words of ``shorter`` occur, in order and together, in ``longer``."""
    a, b = [fold(w) for w in term_words(longer)], [fold(w) for w in term_words(shorter)]
    return len(a) > len(b) and any(a[i:i + len(b)] == b for i in range(len(a) - len(b) + 1))


def _one_per_lemma(pairs: list[TermPair]) -> list[TermPair]:
    """One pair per inflected form ("allié = ally" and "alliés = allies" are one entry): the
    best one, which lookup finds from either form."""
    from ..inflect import term_keys

    seen: set[tuple[str, str]] = set()
    out = []
    for p in pairs:
        key = (term_keys(p.fr, "fr")[0], term_keys(p.en, "en")[0])
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _written(bt: Bitext, p: TermPair) -> TermPair:
    """The pair with both terms in the case their texts give them inside sentences, and an
    initialism's last dot given back (words end before a dot: "U.N" for "U.N.")."""
    return replace(p, fr=_dotted(bt.cased(p.fr, "fr")), en=_dotted(bt.cased(p.en, "en")))


_CUT_INITIALISM = regex.compile(r"(?<![\p{L}\p{N}.])(?:\p{Lu}\.)+\p{Lu}$")


def _dotted(term: str) -> str:
    return term + "." if _CUT_INITIALISM.search(term) else term


def _capitalised(term: str, lang: str) -> bool:
    """Whether every open-class word is capitalised: a name ("Atlantique Nord", "OTAN")."""
    words = [w for t in tokenize(term) if t.kind == "word" for w in t.text.split("-")
             if w.lower() not in STOPWORDS[lang] and w.lower() not in LINKERS[lang]
             and any(c.isalpha() for c in w)]
    if len(words) > 1 and all(w.isupper() for w in words):
        return False  # a heading in capitals ("SAVOIR-FAIRE"), not a name
    # particles of names stay lower-case ("Ursula von der Leyen")
    return (bool(words) and words[0][:1].isupper()
            and all(w[:1].isupper() or len(w) <= 3 for w in words))


def _number(word: str) -> bool:
    """A number written in figures ("19", "2,5"), not a name holding one ("CO2", "G20")."""
    return any(c.isdigit() for c in word) and not any(c.isalpha() for c in word)


def _quantity(word: str, lang: str) -> bool:
    return not any(c.isalpha() for c in word) or word in NUMBERS[lang]


def flaw(bt: Bitext, p: TermPair, defined: frozenset[str] = frozenset()) -> str | None:
    """Why a pair does not have the shape of a term on both sides, or None when it does.

    No tagger is needed. Not terms: dates, counts and bare quantities; a first word that only
    evaluates ("éventuel", "next"); an inverted French verb ("participeront-ils"); an English
    side ending in a participle ("peace imposed") or always followed by a determiner ("makes
    a"); a coordination seen once; an article that no preposition introduces ("insisté le
    président"); a name paired with a common phrase; an English name cut out of a longer one; a
    French phrase that no determiner or preposition ever introduces (verbs and adjectives are
    not); heads out of place across the languages ("Kiev redoute" = "Kyiv fears"); a term cut
    short beside a cognate of the other term's words ("omission intentionnelle" = "omission");
    and an everyday word that the document uses only a few times. ``defined`` holds the
    French long forms (lower-cased) the text defines an acronym for: one is written once, by
    definition, and may hold a coordination ("politique étrangère et de sécurité commune").
    """
    fr_all, en_all = term_words(p.fr), term_words(p.en)
    fr_cw, en_cw = content_words(p.fr, "fr"), content_words(p.en, "en")
    if not fr_cw or not en_cw:
        return "no open-class word"
    same = fold(p.fr) == fold(p.en)
    for words, lang in ((fr_cw, "fr"), (en_cw, "en")):
        if any(w in MONTHS[lang] or (w.isdigit() and len(w) == 4 and w[:2] in ("19", "20"))
               for w in words):
            return "date"
        if all(_quantity(w, lang) for w in words):
            return "quantity"
    if fr_cw[0] in EVALUATIVE["fr"] or en_cw[0] in EVALUATIVE["en"]:
        return "evaluative first word"
    if _quantity(fr_all[0], "fr") or _quantity(en_all[0], "en"):
        return "count of things"  # "deux hommes", "1,1 million d'hommes"
    for words, lang in ((fr_all, "fr"), (en_all, "en")):
        if any(w in NUMBERS[lang] and _number(words[k - 1]) for k, w in enumerate(words) if k):
            return "amount"  # "tranche de 2,5 milliards d'euros", "EUR 2.5 billion"
        if len(words) > 1 and _number(words[-1]) and words[-2] in NUMBER_BEFORE[lang]:
            return "number cut from its date or count"  # "réunion des 19", "meeting on 19"
    if any(w.endswith(INVERTED) for w in fr_all):
        return "inverted verb"  # "participeront-ils"
    last = en_cw[-1]
    if not same and len(last) > 4 and last.endswith("ed") and not last.endswith("eed"):
        return "English participle"
    if p.count < 2 and p.fr.lower() not in defined and (
            CONJUNCTIONS["fr"] & set(fr_all) or CONJUNCTIONS["en"] & set(en_all)):
        return "coordination"
    if any(w in ARTICLES_FR and fr_all[k - 1] not in PREPOSITIONS_FR
           for k, w in enumerate(fr_all) if k):
        return "article inside"
    fr_name, en_name = _capitalised(p.fr, "fr"), _capitalised(p.en, "en")
    if fr_name and not en_name:
        return "name paired with a common phrase"
    if not fr_name and not _introduced(bt, p.fr):
        return "never introduced by a determiner or preposition"
    if en_name and _inside_name(bt, en_all):
        return "cut out of a longer name"
    if not en_name and _takes_object(bt, en_all):
        return "English verb"
    if not en_name and not same and not _head_in_place(bt, fr_cw, en_all):
        return "head out of place"
    if not same and _incomplete(p, fr_cw, en_cw):
        return "cut short beside a cognate"
    if len(fr_cw) == 1 and len(en_cw) == 1 and not fr_name and _everyday(bt, p.fr, fr_cw[0]):
        return "everyday word"
    return None


def _introduced(bt: Bitext, term: str) -> bool:
    """Whether some occurrence of a French term follows a determiner or a preposition, maybe
    past a number or an adjective that comes before nouns ("un éventuel cessez-le-feu"): the
    mark of a noun phrase, which verbs ("redoute") and adjectives ("solides") never get. The
    start of a heading or list item counts too (not the start of a sentence: "Trois données
    résument"), and so does a conjunction ("et") joining noun phrases, but not for a word
    shaped like an infinitive, which needs a determiner ("à sacrifier", "Renforcer la
    coopération" are verbs)."""
    first = term_words(term)[0] if term_words(term) else ""
    verb_like = len(first) > 4 and first.endswith(INFINITIVE)
    intro = DETERMINERS["fr"] if verb_like else DETERMINERS["fr"] | PREPOSITIONS_FR
    for i, a, _ in bt.occurrences_fr(term):
        toks = bt.tokens("fr")[i]
        k = a - 1
        while k >= 0 and toks[k].lower not in intro and (
                toks[k].lower in PRENOMINAL or _quantity(toks[k].lower, "fr")
                or toks[k].text in QUOTES):
            k -= 1
        if k >= 0 and toks[k].lower in intro:
            return True
        heading = k < 0 and toks[-1].text not in ".!?…:;"  # not a sentence's first word
        if not verb_like and (heading or (k >= 0 and (toks[k].text in LIST_MARKS
                                                      or toks[k].lower in CONJUNCTIONS["fr"]))):
            return True
    return False


def _inside_name(bt: Bitext, words: list[str]) -> bool:
    """Whether an English name is always cut out of a longer one ("President Emmanuel" of
    "French President Emmanuel Macron"): capitalised words always stand right before and after
    it, or it ends on an initial ("President J")."""
    if len(words[-1]) == 1 and words[-1].isalpha():
        return True
    n = len(words)
    seen = False
    for i in bt.segments_with_en(" ".join(words)):
        toks, low = bt.tokens("en")[i], bt.en_low[i]
        for a in range(len(low) - n + 1):
            if low[a:a + n] != words:
                continue
            seen = True
            if not (_capital_word(toks, a - 1) and _capital_word(toks, a + n)):
                return False
    return seen


def _takes_object(bt: Bitext, words: list[str]) -> bool:
    """Whether an English term is always followed by a determiner ("makes a", "fears a"):
    a verb and its object, since an English noun phrase ends before the next one starts."""
    dets = DETERMINERS["en"] - {"that", "no", "all", "both", "either", "neither", "such"}
    n = len(words)
    seen = False
    for i in bt.segments_with_en(" ".join(words)):
        low = bt.en_low[i]
        for a in range(len(low) - n + 1):
            if low[a:a + n] == words:
                seen = True
                if a + n >= len(low) or low[a + n] not in dets:
                    return False
    return seen


def _capital_word(toks: Sequence[Token], k: int) -> bool:
    return 0 <= k < len(toks) and toks[k].kind == "word" and toks[k].text[:1].isupper()


def _head_in_place(bt: Bitext, fr_cw: list[str], en_all: list[str]) -> bool:
    """French puts the head noun first ("ligne de front"); English puts it last in a compound
    ("front line") and before "of"/"to" in a phrase ("obstacle to peace"). A pair whose French
    first word clearly translates another English word, or whose English head clearly
    translates a French modifier, is a subject and its verb ("Kiev redoute" = "Kyiv fears") or
    a phrase cut at the wrong place ("engagements de sécurité comparables" = "security
    commitments comparable"). English compounds count as one word ("decision-making"); idioms
    whose words have no clear equivalent ("État de droit" = "rule of law") pass."""
    stop, links = STOPWORDS["en"], set(LINKERS["en"]) - CONJUNCTIONS["en"] - {"the"}
    units = [w for w in en_all if w not in stop and w not in LINKERS["en"]]
    if len(fr_cw) < 2 or len(units) < 2 or fr_cw[0] in PRENOMINAL or _quantity(fr_cw[0], "fr"):
        return True
    cut = next((k for k, w in enumerate(en_all) if w in links and k), len(en_all))
    zone = [w for w in en_all[:cut] if w not in stop and w not in LINKERS["en"]] or units

    def link(fr: str, unit: str) -> float:
        return max((word_link(bt, fr, part) for part in unit.split("-") if part), default=0.0)

    head = zone[-1]
    best = max(link(fr_cw[0], u) for u in units)  # the French head's clear translation...
    if best > HEAD_LINK and link(fr_cw[0], head) < best - HEAD_MARGIN:
        return False
    # ...and no French modifier ("sécurité" of "engagements de sécurité", "comparables") is
    # clearly translated by the English head
    own = link(fr_cw[0], head)
    for f in fr_cw[1:]:
        mine = link(f, head)
        if mine > HEAD_LINK and mine > own + HEAD_MARGIN and mine >= max(link(f, u)
                                                                          for u in units):
            return False
    return True


def _incomplete(p: TermPair, fr_cw: list[str], en_cw: list[str]) -> bool:
    """Whether a term is cut short: a word right beside it in its context sentence is a
    cognate of a word of the other term that nothing inside explains as well ("omission
    intentionnelle" = "omission" in "intentional omission", "vice-président" = "Vice" in "Vice
    President")."""
    sides = ((p.context_en, term_words(p.en), fr_cw, "en"),
             (p.context_fr, term_words(p.fr), en_cw, "fr"))
    for context, words, others, lang in sides:
        for near in _neighbours(context, words, lang):
            for w in others:
                fr, en = (w, near) if lang == "en" else (near, w)
                inside = max(spelling(w, o) if lang == "en" else spelling(o, w)
                             for o in content_words(" ".join(words), lang) or words)
                out = spelling(fr, en)  # not co-occurrence: neighbours always co-occur
                if out > HEAD_LINK and out > inside + HEAD_MARGIN:
                    return True
    return False


def _neighbours(context: str, words: list[str], lang: str) -> list[str]:
    """The open-class words right before and right after the first occurrence of a term in a
    sentence."""
    toks = tokenize(context)
    low = [t.lower for t in toks]
    n = len(words)
    for a in range(len(low) - n + 1):
        if n and low[a:a + n] == words:
            out = []
            for k in (a - 1, a + n):
                if 0 <= k < len(toks) and toks[k].kind == "word" and low[k] not in (
                        STOPWORDS[lang] | LINKERS[lang]):
                    out.extend(part for part in low[k].split("-") if part)
            return out
    return []


def _everyday(bt: Bitext, term: str, word: str) -> bool:
    """A frequent word of the language that the document uses only a few times: nothing says
    it makes a term of it ("date", "question", "situation"). The more frequent the word in
    general, the more often the document must use it."""
    from wordfreq import zipf_frequency

    zipf = zipf_frequency(word, "fr")
    return zipf >= EVERYDAY and len(bt.occurrences_fr(term)) < 2 + 4 * (zipf - EVERYDAY)


def _drop_fragments(bt: Bitext, pairs: list[TermPair]) -> list[TermPair]:
    """Drop a French term that never occurs outside longer kept terms ("Leyen", "Union" of
    "Union européenne", "européenne"): it is part of them, not a term of its own. Longer terms
    are decided first, so only kept terms count as containers."""
    spans: dict[int, list[tuple[int, int]]] = {}
    kept = []
    for p in sorted(pairs, key=lambda p: (-len(term_words(p.fr)), -p.confidence, p.fr)):
        occ = bt.occurrences_fr(p.fr)
        inside = occ and all(any(s <= a and b <= e and (e - s) > (b - a)
                                 for s, e in spans.get(i, ())) for i, a, b in occ)
        if inside:
            continue
        kept.append(p)
        for i, a, b in occ:
            spans.setdefault(i, []).append((a, b))
    return kept


def _supported(bt: Bitext, best: TermPair, rivals: Sequence[TermPair]) -> bool:
    """Whether the pair rests on more than a coin toss between the words of one segment."""
    weakest = weakest_link(bt, best.fr, best.en)
    if weakest < MIN_WEAKEST:
        return False
    if weakest > ALONE:
        return True
    stems = {w[:4] for w in best.en.lower().split()}  # "country" is no rival of "countries"
    rival = next((r.confidence for r in rivals
                  if not stems & {w[:4] for w in r.en.lower().split()}), 0.0)
    return best.confidence - rival >= MIN_MARGIN


def _letters(term: str) -> int:
    return sum(ch.isalpha() for ch in term)


def _add_acronyms(out: dict[str, TermPair], fr_docs: Sequence[str], en_docs: Sequence[str],
                  bt: Bitext) -> frozenset[str]:
    """"OTAN" = "NATO" when their expansions were paired, and expansions paired when missing;
    returns the French expansions (lower-cased)."""
    fr_acr = {s: long for d in fr_docs for s, long in find_acronyms(d)}
    en_acr = {long.lower(): s for d in en_docs for s, long in find_acronyms(d)}
    for short, long in fr_acr.items():
        p = out.get(long.lower())
        if p is None:
            ranked = rank_equivalents(bt, long, top=1)
            if not ranked or ranked[0].confidence < MIN_PAIR:
                continue
            p = ranked[0]
            out[long.lower()] = p
        en_short = en_acr.get(p.en.lower())
        if en_short and short.lower() not in out:
            out[short.lower()] = TermPair(short, en_short, p.confidence, p.count,
                                          p.context_fr, p.context_en)
    return frozenset(long.lower() for long in fr_acr.values())


def to_entries(pairs: Sequence[TermPair], *, source: str | None = None,
               en_source: str | None = None) -> list[TermEntry]:
    """Termbase concept entries, one per pair, with the pair's contexts and confidence.

    ``source`` names where the French terms were found, ``en_source`` the English ones
    (default: ``source``)."""
    en_src = en_source if en_source is not None else source
    return [
        TermEntry(
            terms=(Term(p.fr, "fr", context=p.context_fr or None, source=source),
                   Term(p.en, "en", context=p.context_en or None, source=en_src)),
            confidence=p.confidence,
            note=f"glossary build: {p.count} aligned segment(s)",
        )
        for p in pairs
    ]


def _term_key(t: Term) -> tuple[str, str]:
    return primary(t.lang), fold(t.text)


def _lang_tags(entries: Sequence[TermEntry]) -> dict[str, str]:
    """The one tag a glossary uses for each language ("fr" -> "fr-FR"), when it uses one."""
    seen: dict[str, set[str]] = {}
    for e in entries:
        for t in e.terms:
            seen.setdefault(primary(t.lang), set()).add(t.lang)
    return {lang: next(iter(tags)) for lang, tags in seen.items() if len(tags) == 1}


def merge_curated(curated: Iterable[TermEntry], built: Iterable[TermEntry]) -> list[TermEntry]:
    """One termbase from a curated glossary and the entries a build proposes.

    Curated entries come first, in their order and as written (terms, statuses, definitions):
    a person decided them. A built entry that shares a term with a curated one is not added
    (the curated entry says what the equivalents are); it only lends its corpus context to the
    curated terms it attests that have neither context nor source. The other built entries
    follow in their order, with the curated glossary's language tags ("fr-FR", not "fr") so
    that each language is one column when exported.
    """
    cur = list(curated)
    tags = _lang_tags(cur)
    index: dict[tuple[str, str], int] = {}
    for i, e in enumerate(cur):
        for t in e.terms:
            index.setdefault(_term_key(t), i)
    attested: dict[int, dict[tuple[str, str], Term]] = {}
    rest: list[TermEntry] = []
    for e in built:
        hits = sorted({index[k] for k in map(_term_key, e.terms) if k in index})
        for i in hits:
            for t in e.terms:
                attested.setdefault(i, {}).setdefault(_term_key(t), t)
        if not hits:
            terms = tuple(replace(t, lang=tags.get(primary(t.lang), t.lang)) for t in e.terms)
            rest.append(replace(e, terms=terms))
    out = []
    for i, e in enumerate(cur):
        seen = attested.get(i, {})
        out.append(replace(e, terms=tuple(_attest(t, seen.get(_term_key(t))) for t in e.terms)))
    return out + rest


def _attest(term: Term, found: Term | None) -> Term:
    if found is None or term.context or term.source:
        return term
    return replace(term, context=found.context, source=found.source)


def curated_pairs(entries: Iterable[TermEntry], src: str = "fr",
                  tgt: str = "en") -> list[tuple[str, str]]:
    """Every source-target term pair of the entries (synonyms crossed), as alignment evidence."""
    out = []
    for e in entries:
        srcs = [t.text for t in e.terms if primary(t.lang) == src]
        tgts = [t.text for t in e.terms if primary(t.lang) == tgt]
        out.extend((s, t) for s in srcs for t in tgts)
    return out


def write_termbase(entries: Sequence[TermEntry], path: str | os.PathLike[str], *,
                   title: str | None = None) -> int:
    """Write entries as TBX-Basic (``.tbx``) or CSV/TSV by the file's extension; the file
    appears whole or not at all. Returns how many entries were written."""
    low = os.fspath(path).lower()
    if low.endswith(".tbx"):
        from ..formats.tbx import write_tbx

        return write_tbx(entries, path, title=title)
    if low.endswith((".csv", ".tsv")):
        from ..formats.glossary_csv import write_glossary_csv

        return write_glossary_csv(entries, path)
    raise UsageError(f"{os.fspath(path)}: the output must end in .tbx, .csv or .tsv")


# -- a whole build ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Glossary:
    """What a build makes of a document pair: the pairs found, best first, and the entries
    to store or write (a curated glossary's first, then the pairs it does not already give)."""

    pairs: list[TermPair]
    entries: list[TermEntry]
    title: str  # what it was built from, as a termbase file's title


def glossary_from_documents(fr_text: str, en_text: str, *,
                            curated: Iterable[TermEntry] = (),
                            fr_name: str | os.PathLike[str] = "the French document",
                            en_name: str | os.PathLike[str] = "the English document",
                            progress: Callable[[int, int], None] | None = None) -> Glossary:
    """Segment and align a French document with its English translation (the curated
    entries' pairs guide the alignment), then pair their terms (``build_glossary``).

    ``fr_name``/``en_name`` name the documents (their files) in warnings, errors and the
    terms' sources; a document that reads as another language gives a TmtoolWarning.
    """
    from ..bitext import align_texts
    from ..langid import warn_if_other_language

    curated = list(curated)  # read twice (a file reader gives an iterator)
    warn_if_other_language(fr_name, fr_text, "fr")
    warn_if_other_language(en_name, en_text, "en")
    bt = align_texts(fr_text, en_text, src_lang="fr", tgt_lang="en",
                     glossary=curated_pairs(curated) or None)
    pairs = [bt.pair_text(link) for link, _ in bt.written()]  # no untranslated pair
    fr, en = os.fspath(fr_name), os.fspath(en_name)
    if not pairs:
        raise UsageError(f"{fr} and {en}: no aligned French-English pairs to build a glossary "
                         "from")
    return _glossary(pairs, [fr_text], [en_text], curated, Path(fr).name, Path(en).name,
                     f"{Path(fr).name} and {Path(en).name}", progress)


def glossary_from_tmx(path: str | os.PathLike[str], *, curated: Iterable[TermEntry] = (),
                      progress: Callable[[int, int], None] | None = None) -> Glossary:
    """``glossary_from_documents`` for the French-English pairs of a translation memory."""
    pairs = pairs_from_tmx(path)
    if not pairs:
        raise UsageError(f"{os.fspath(path)}: no unit with both French and English text to "
                         "build a glossary from")
    name = Path(path).name
    return _glossary(pairs, None, None, list(curated), name, name, name, progress)


def pairs_from_tmx(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """The (French, English) texts of a TMX file's units that hold both."""
    from ..formats.tmx import read_tmx

    out = []
    for unit in read_tmx(path):
        fr, en = unit.variant("fr"), unit.variant("en")
        if fr is not None and en is not None and fr.text.strip() and en.text.strip():
            out.append((fr.text, en.text))
    return out


def _glossary(pairs: list[tuple[str, str]], fr_texts: list[str] | None,
              en_texts: list[str] | None, curated: Sequence[TermEntry], fr_source: str,
              en_source: str, built_from: str,
              progress: Callable[[int, int], None] | None) -> Glossary:
    found = build_glossary(pairs, fr_texts=fr_texts, en_texts=en_texts, progress=progress)
    entries = to_entries(found, source=fr_source, en_source=en_source)
    if curated:
        entries = merge_curated(curated, entries)
    return Glossary(found, entries, f"Termbase built from {built_from}")
