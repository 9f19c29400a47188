"""Sentence segmentation for French and English, with offsets back into the input.

Rules and word lists, no model. A sentence ends at terminal punctuation (``. ! ? …`` with any
closing quotes, brackets, emoticon or citation number) unless the context says otherwise: a
known abbreviation (Moses' nonbreaking-prefix lists from sacremoses, extended in
``data/nonbreaking_*.txt``), an initial, a reference number (``art. 5``), a list number (but
``art. 5. Elle``: a number after an abbreviation is its reference, not a list number). Control
codes and zero-width characters after the punctuation are transparent. An
ambiguous abbreviation (``etc.``, ``U.S.``) ends a sentence only before a usual
sentence-initial word (``data/segment_starters_*.txt``). Lower case after a period ends a
sentence too unless the period belongs to an abbreviation: web text often starts sentences in
lower case; after ``?`` or ``!`` it does unless a short clause with a verb of saying follows
(``Quelle surprise ! s'est exclamé le ministre.``). French also ends sentences at a spaced
semicolon or colon when a sentence-initial word follows (``... du Gâtinais ; Naturellement
...``). On request, a quotation that its sentence goes on after (``« Non. C'est exclu »,
a-t-il dit.``) is kept in one segment.

Unpunctuated ends are found where the text shows them: a blank line always ends a paragraph;
a single line break ends a headline or list item ("a)", "(a)", "(ii)", "2."); a paragraph number
or list label opening a line stays with the text after it on that line (``1.1 Le présent
document ...``, as CAT tools keep it), and is its own segment alone on its line; a
sentence-initial word in capitals followed by a lower-case word (``... vasculaires Les
données ...``) starts a sentence; web addresses, an e-mail address alone on its line, rules,
e-mail date stamps, greetings and sign-offs stand alone.

Each language's rules are compiled once per process (:func:`segmenter`).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path

from .errors import UsageError
from .lang import primary
from .model import Segment

__all__ = ["LANGS", "Segmenter", "segmenter", "split_text", "split_paragraphs"]

LANGS = ("fr", "en")

# A blank line (spaces allowed on it) separates paragraphs.
_PARA_SEP = re.compile(r"\n[^\S\n]*\n\s*")

# -- candidate ends: punctuation, closers, then white space -----------------------------------

# Candidates are found in two steps: str.find locates the punctuation (_TRIGGERS, many times
# faster than a regular expression scanning a character class), _CANDIDATE reads it there.
_TRIGGERS = (".", "!", "?", "…", "‽", ";", " :", " =", " —")
_EMOTICON_TAIL = "-^o'()DPp/\\|][O3*"
_EMOTICON = r"[:;=][-^o']?[()DPp/\\|\]\[oO3*]+(?!\w)"
# Characters that show nothing and are no white space (control codes left by converters,
# zero-width spaces, direction marks): transparent after a sentence end ("signé.\x01 Le").
_INVISIBLE = "".join(
    [chr(c) for c in range(0x20) if not chr(c).isspace()]
    + [chr(c) for c in range(0x7F, 0xA0) if not chr(c).isspace()]
    + ["\u200b", "\u200e", "\u200f", "\u2060", "\ufeff"]
)
_DROP_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE))
_CLOSER = "[\"'”’»)\\]" + re.escape(_INVISIBLE) + "]"
_CANDIDATE = re.compile(
    # The punctuation and closers are read inside a lookahead and then matched again by
    # reference: a lookahead never backtracks, which keeps long runs such as "!!!!!!!)))))"
    # linear (an atomic group, without needing Python 3.11).
    r"(?: ?)(?=(?P<p>\.{2,}|…+|[.!?‽]+…?|;|(?<=\s)—|(?<=\s)" + _EMOTICON + r"|(?<=\s):)"
    # closing quotes and brackets (French puts a space before » and sometimes before a
    # closing "), emoticons and citation numbers that belong to the sentence
    r"(?P<c>(?:" + _CLOSER + r"|[ \u00a0\u202f](?:»|”|\"(?=\s))"
    r"|[ \u00a0\u202f]?\[(?:\d+(?:[-–,] ?\d+)*|[a-z])\]"  # "1824. [17]", "décembre.[3]"
    r"|[ \u00a0\u202f]?" + _EMOTICON + r")*))(?P=p)(?P=c)"
    r"(?=(?P<ws>\s+)(?P<n>\S{0,40}))"
)
_PUNCT_RUN = re.compile(r"[.!?‽…]*")
_SPACES = " \t\n\r\f\v\u00a0\u202f\u2009"
# What may follow a trigger in a candidate: white space, closers, punctuation, emoticons.
_MAY_FOLLOW = frozenset(_SPACES + ".!?…‽\"'”’»)[]:;=—" + _EMOTICON_TAIL + _INVISIBLE)
# First characters after ". " that only _CANDIDATE reads right (closers, emoticons, space).
_NOT_PLAIN_NEXT = frozenset(_SPACES + '»”"[:;=')
_OPENERS = "\"'“‘«([¿¡ \u00a0\u202f"
_LONE_OPENERS = frozenset(("«", '"', "“", "-", "–", "—", "•", "(", "["))
_TOKEN_STRIP = "\"'“‘«([{¿¡"
_NEXT = re.compile(r"\s*(\S{0,40})")
_WORD_TAIL = re.compile(r"[^\w'’-].*$", re.S)
_GLUED_WORD = re.compile(r"([A-Z][a-z]*)(?:['’][a-z]+)?\b")
# Tokens shaped like dotted abbreviations: U.S, e.g, J.-M, Ph.D, a.m (letters, not 6.1).
_DOTTED = re.compile(r"^(?:[^\W\d_]{1,3}\.-?)+[^\W\d_]{1,3}$")
_ELIDED = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.I)
_ELISION = re.compile(r"^([A-Z][a-z]{0,6})['’]([a-zà-öø-ÿ])")
_PLAIN, _NUMERIC, _MAY_END, _DATE = 0, 1, 2, 3  # kinds of abbreviation
_ROMAN = re.compile(r"[IVXLC]+\b(?!['’])")
# Sentence-initial words that also open names and titles ("Le Pen", "The Hague").
_TIMES = frozenset(("h", "a.m", "p.m", "A.M", "P.M"))  # "8 h.", "5 p.m."
# Capitalised words that follow an English time inside its sentence: days, months, zones.
_AFTER_TIME = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs "
    "fri sat sun january february march april may june july august september october november "
    "december jan feb mar apr jun jul aug sep sept oct nov dec eastern central pacific "
    "mountain atlantic alaska hawaii local universal greenwich".split())
# Titles before a name: "M. Dupont", "Mme Martin", "Mr. Smith"
TITLES = frozenset(("M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Me", "Mgr", "Dr", "Pr", "Mr",
                     "Mrs", "Ms", "Messrs", "Prof"))
_NAME_ARTICLES = frozenset(("Le", "La", "Les", "Un", "Une", "Des", "Du", "De", "The", "A", "An"))
_LOWER = "a-zà-öø-ÿ"
_UPPER = "A-ZÀ-ÖØ-Þ"

# -- ends without punctuation ------------------------------------------------------------------

# A line that opens a list item: bullet, dash, or "1." / "1)" / "a)" / "(a)" / "(ii)" numbering.
# A Roman numeral as numbered parts and list items use them (I to CCCXCIX): "CIVIL" is none.
_ROMAN_UP = r"(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_LOW = _ROMAN_UP.lower()
_BULLET = re.compile(
    r"[ \t]*(?:(?P<sign>[•\-*–—▪◦●·‣⁃])|\d{1,3}[.)]|[a-zA-Z][)]|(?:" + _ROMAN_LOW + r")[)]"
    r"|\((?:\d{1,3}|[a-zA-Z]|" + _ROMAN_LOW + "|" + _ROMAN_UP + r")\))\s"
)
# The label of a numbered paragraph, heading or list item, without its full stop: "2", "2.1",
# "2.1.3", "IV", "a", "a)", "(a)", "(iii)". Opening a line, it belongs to the text after it on
# that line ("1.1 Le présent document ...", as CAT tools keep it); alone, it is its own line.
_LABEL = re.compile(
    r"(?:\d{1,2}|\d{1,3}(?:\.\d{1,3})+|" + _ROMAN_UP + r"|[a-zA-Z]|(?:" + _ROMAN_LOW + r")\)"
    r"|\(?(?:\d{1,3}|[a-zA-Z]|" + _ROMAN_LOW + "|" + _ROMAN_UP + r")\))$"
)
# A letter alone on its line is a word of wrapped text ("a", "I"), not a label.
_LONE_LETTER = re.compile(r"[^\W\d_]$")
# A paragraph number: "2", "2.1", "2.1.3" (up to three digits each, not a year).
_NUMBERING = re.compile(r"\d{1,3}(?:\.\d{1,3})*$")
_LINE_END_OK = ".!?…:;\"'”’»)]"
# Rules (*****, _____, =====) and e-mail date stamps stand alone. The stamp pattern opens with
# a literal, which is searched fast; the day before the first slash is found backwards.
_RULES = {c * 4: re.compile(re.escape(c * 4) + re.escape(c) + "*") for c in "*_=-"}
_STAMP = re.compile(r"/\d{1,2}/\d{2,4},? \d{1,2}:\d\d(?::\d\d)? ?[AaPp][Mm]")
_PREV_WORD = re.compile(r"\b(?:on|at|le|du|sent|envoyé)\s+$")
_URL_STARTS = ("http://", "https://", "www.")
# A line holding only an e-mail or web address (a contact block: "Tél. : 01 49 27 38 38",
# then "presse@interieur.gouv.fr").
_ADDRESS_LINE = re.compile(r"<?(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)\S+?)>?")
# A greeting that opens a paragraph: "Dear All,", "Hi Tom,", "Bonjour Marie,".
_SALUTATION = re.compile(
    r"(?:Dear|Hi|Hello|Hey|Good (?:morning|afternoon|evening)|Bonjour|Cher|Chère|Salut)"
    r"\b[^,.!?\n]{0,40},",
    re.I,
)
_CLOSINGS = {
    "en": (
        "regards,",
        "thanks,",
        "thank you,",
        "sincerely,",
        "cheers,",
        "best,",
        "yours,",
        "respectfully,",
    ),
    "fr": ("cordialement,", "salutations,", "amitiés,", "bien à vous,", "bises,"),
}
# Grammatical words that leave a phrase open: a line ending with one goes on on the next line,
# and a capitalised word after one is more likely a name or a title than a new sentence.
_FUNCTION_WORDS = {
    "fr": frozenset(
        "et ou de du des à la le les l' d' un une par sur dans en au aux avec pour que qui où "
        "mais ni car donc or entre vers chez sans sous selon après avant depuis pendant contre "
        "comme lesquelles lesquels laquelle lequel est sont a ont était".split()
    ),
    "en": frozenset(
        "the a an of to in on at by for with from and or nor but as than that which who whom "
        "whose is are was were be been being".split()
    ),
}
# Verbs of saying: a short lower-case clause holding one after "?" or "!" reports the
# exclamation or question ("Quelle surprise ! s'est exclamé le ministre.", "What a surprise! the
# minister exclaimed."), where a lower-case clause without one is a sentence of web text written
# in lower case ("where did you grow up? india?").
_SPEECH_VERBS = {
    "fr": frozenset(
        "dit dis disait dira déclaré déclare déclara demandé demande demanda exclamé exclame "
        "exclama écrié écrie écria répondu répond répondit ajouté ajoute ajouta lancé lance lança "
        "affirmé affirme affirma expliqué explique expliqua poursuivi poursuit poursuivit "
        "souligné souligne souligna insisté insiste insista conclu conclut interrogé interroge "
        "interrogea étonné étonne étonna soupiré soupire soupira murmuré murmure murmura crié "
        "crie cria répliqué réplique répliqua commenté commente commenta fit fait raconté "
        "raconte raconta".split()
    ),
    "en": frozenset(
        "said says asked asks exclaimed exclaims cried cries shouted shouts replied replies "
        "answered answers added adds continued continues wondered wonders whispered whispers "
        "yelled yells screamed screams muttered mutters insisted insists explained explains "
        "declared declares announced announces protested protests sighed sighs retorted "
        "demanded demands".split()
    ),
}
# Abbreviations that may end a sentence but are followed by their number when one comes
# ("doc. 5", "doc. ST 12"): the number's full stop ends the sentence, as after "p. 5".
_NUMBERED_MAY_END = frozenset({"doc", "Doc"})
# Words that tie a reference to its sentence after a number or letter in brackets: "paragraph
# (1) of this Article", "point (a) de l'article 3", "Article 5(1) and (2)".
_REFERENCE_TIES = {
    "fr": frozenset("de du des d' et ou à au aux ci-dessus ci-dessous précité précitée est sont "
                    "sera seront doit doivent".split()),
    "en": frozenset("of and or to in above below thereof hereof shall is are was were must may "
                    "applies apply".split()),
}
_CLAUSE_END = re.compile(r"[.,;:!?…\n]")
_AGREEMENT = re.compile(r"é(?:e|s|es)$")  # a French participle agreeing: "écriée", "exclamés"
# Words that announce a title or a name ("l'album Un homme nature", "the book The Road").
_TITLE_CUES = {
    "fr": frozenset(
        "telle tel telles tels intitulé intitulée intitulés album albums film films livre roman "
        "titre label radio journal dit nommé nommée appelé appelée".split()
    ),
    "en": frozenset(
        "titled entitled called named album film book song novel show magazine newspaper".split()
    ),
}


def _data_lines(name: str) -> list[str]:
    """Non-comment lines of a word list shipped in ``tmtool/data``."""
    text = resources.files("tmtool").joinpath("data", name).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _moses_prefixes(lang: str) -> list[str]:
    """Moses' nonbreaking prefixes for ``lang`` as shipped by sacremoses.

    Only the data module is loaded: importing the sacremoses package pulls in joblib and costs
    a noticeable fraction of a second for a plain dictionary.
    """
    spec = importlib.util.find_spec("sacremoses")
    raw: str | None = None
    if spec is not None and spec.submodule_search_locations:
        base = Path(next(iter(spec.submodule_search_locations)))
        data_file = base / "data" / "nonbreaking_prefixes" / f"nonbreaking_prefix.{lang}"
        module_file = base / "_data_nonbreaking_prefixes.py"
        if data_file.is_file():  # older sacremoses releases ship the plain files
            raw = data_file.read_text(encoding="utf-8")
        elif module_file.is_file():
            mspec = importlib.util.spec_from_file_location("_tmtool_moses_nbp", module_file)
            if mspec is not None and mspec.loader is not None:
                module = importlib.util.module_from_spec(mspec)
                mspec.loader.exec_module(module)
                raw = module.NONBREAKING_PREFIXES.get(f"nonbreaking_prefix.{lang}")
    if raw is None:
        return []
    return [ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]


class Segmenter:
    """Compiled sentence-splitting rules for one language (``fr`` or ``en``).

    Build it once and reuse it (:func:`segmenter` caches one per language): loading the word
    lists is the only costly step.
    """

    def __init__(self, lang: str) -> None:
        code = primary(lang)
        if code not in LANGS:
            raise UsageError(f"no sentence rules for language {lang!r} (use fr or en)")
        self.lang = code
        # abbreviation -> _PLAIN (never ends a sentence), _NUMERIC (does not end one before a
        # number), _MAY_END (ends one only before a sentence-initial word) or _DATE (a month
        # or day: as _MAY_END, and a number after it is a date, "Jan. 3."); later lists win
        # (Moses' single lower-case letters are left to the rule for "p. ex." and "10 h.")
        self._abbr: dict[str, int] = {}
        moses = [w for w in _moses_prefixes(code) if not (len(w) == 1 and w.islower())]
        for entry in moses + _data_lines(f"nonbreaking_{code}.txt"):
            word, _, flag = entry.partition(" ")
            kind = (_NUMERIC if "NUMERIC_ONLY" in flag else _MAY_END if "MAY_END" in flag
                    else _DATE if "DATE" in flag else _PLAIN)
            self._abbr[word.rstrip(".")] = kind
        for word, kind in list(self._abbr.items()):  # "Cf.", "Etc." opening a sentence
            if kind != _NUMERIC and word.islower() and word.title() not in self._abbr:
                self._abbr[word.title()] = _PLAIN
        self.starters = frozenset(_data_lines(f"segment_starters_{code}.txt"))
        # "I", "A", "À", "Y", "Or" are too often a pronoun, an article, a preposition or an
        # initial inside a sentence to mark an unpunctuated sentence start.
        mid = self.starters - {"I", "A", "À", "Y", "Or"}
        mid |= {w.replace("'", "’") for w in mid if w.endswith("'")}
        # A sentence-initial word in capitals after a space and a word without punctuation,
        # followed by a lower-case word ("... vasculaires Les données ..."). The words are
        # compiled as a trie: an alternation of a hundred words would be scanned too slowly.
        self._mid_start = re.compile(
            rf" (?=[{_UPPER}])(?<=[\w)] )({_trie_pattern(mid)})(?:(?<=['’])|,?[ \t]+)[{_LOWER}]"
        )
        self._function_words = _FUNCTION_WORDS[code]
        self._speech_verbs = _SPEECH_VERBS[code]
        self._reference_ties = _REFERENCE_TIES[code]
        self._elision = _ELIDED if code == "fr" else None
        self._before_name = _FUNCTION_WORDS[code] | _TITLE_CUES[code]
        # searched without their first letter, which may be a capital: one scan each
        self._closings = [(c[1:], c[0]) for c in _CLOSINGS[code]]

    # -- public API -------------------------------------------------------------------------

    def split(self, text: str, *, keep_quotations: bool = False) -> list[Segment]:
        """Sentences of ``text`` as Segments whose offsets index ``text``.

        With ``keep_quotations``, a quotation that its sentence goes on after (``« Non. C'est
        exclu », a-t-il dit.``) stays in one segment, as translation memories want it; by
        default its inner sentences are split, as treebanks annotate them.
        """
        lang = self.lang
        make = _make_segment
        return [
            make(piece, a, b, para, lang)
            for piece, a, b, para in self._pieces(text, keep_quotations)
        ]

    def spans(self, text: str, *, keep_quotations: bool = False) -> list[tuple[int, int, int]]:
        """``(start, end, para)`` of each sentence: :meth:`split` without the objects."""
        return [(a, b, para) for _, a, b, para in self._pieces(text, keep_quotations)]

    def _pieces(self, text: str, keep_quotations: bool) -> list[tuple[str, int, int, int]]:
        """``(text, start, end, para)`` of each sentence, white space trimmed."""
        paras = split_paragraphs(text)
        cuts = self._punctuation_cuts(text)
        cuts.extend(self._unpunctuated_cuts(text, paras))
        cuts = sorted(set(cuts))
        if keep_quotations and cuts and ('"' in text or "»" in text or "”" in text):
            cuts = _outside_continued_quotes(text, cuts)
        out: list[tuple[str, int, int, int]] = []
        append = out.append
        i, n = 0, len(cuts)
        for para, (ps, pe) in enumerate(paras):
            while i < n and cuts[i] <= ps:
                i += 1
            start = ps
            while True:
                if i < n and cuts[i] < pe:
                    cut = cuts[i]
                    i += 1
                else:
                    cut = pe
                piece = text[start:cut]
                if piece[:1].isspace() or piece[-1:].isspace():  # a cut before white space
                    stripped = piece.strip()
                    if stripped:
                        a = start + piece.find(stripped[0])
                        append((stripped, a, a + len(stripped), para))
                elif piece:
                    append((piece, start, cut, para))
                if cut == pe:
                    break
                start = cut
        return out

    # -- punctuated ends ----------------------------------------------------------------------

    def _punctuation_cuts(self, text: str) -> list[int]:
        """Offsets just after each punctuation mark (and closers) that ends a sentence."""
        positions: list[int] = []
        for ch in _TRIGGERS:
            k = text.find(ch)
            while k >= 0:
                positions.append(k)
                k = text.find(ch, k + 1)
        positions.sort()
        cuts: list[int] = []
        match = _CANDIDATE.match
        decide = self._decide
        abbr = self._abbr
        skip_to = 0
        n = len(text)
        for pos in positions:
            if pos < skip_to:
                continue
            if pos + 1 < n and text[pos + 1] not in _MAY_FOLLOW:
                # "6.1", "www.example.org", "U.S.A": not followed by a space or closer; but
                # web text glues sentences: "of high quality.You'll", "escaped....Julie"
                if text[pos + 1].isupper() and self._glued_end(text, pos):
                    cuts.append(pos + 1)
                continue
            if text[pos] == "." and text[pos + 1 : pos + 2] == " " and pos + 2 < n:
                # the common ". Next" without closers: read the next token without the regex
                ch = text[pos + 2]
                if ch.isupper():  # most often a plain word, then a capital: decided here
                    lo = pos - 40 if pos > 40 else 0
                    start = max(text.rfind(" ", lo, pos), text.rfind("\n", lo, pos), lo - 1)
                    token = text[start + 1 : pos]
                    if (len(token) > 1 and token.isalpha() and token not in abbr
                            and not (token.isupper() and _LABEL.match(token)
                                     and _opens_line(text, start + 1))):  # "IV. Scope"
                        skip_to = pos + 1
                        cuts.append(pos + 1)
                        continue
                if ch not in _NOT_PLAIN_NEXT:
                    e = text.find(" ", pos + 2, pos + 42)
                    if e < 0:
                        e = min(n, pos + 42)
                    nxt = text[pos + 2 : e]
                    if nxt.isprintable():  # no other white space (tab, line break, nbsp)
                        skip_to = pos + 1
                        if decide(text, pos, ".", "", nxt, e):
                            cuts.append(pos + 1)
                        continue
            m = match(text, pos)
            if m is None:
                if text[pos + 1 : pos + 2].isupper() and self._glued_end(text, pos):
                    cuts.append(pos + 1)  # "escaped....Out", "?Ok" (also emoticon letters)
                # the rest of a run such as "!!!!x" fails too, but its last mark may be glued
                skip_to = _PUNCT_RUN.match(text, pos + 1).end() - 1
                continue
            skip_to = m.end()
            p, c, ws, nxt = m.groups()
            if c:
                c = c.translate(_DROP_INVISIBLE)  # "M.\x01 Dupont" is still "M. Dupont"
            if nxt and (len(ws) == 1 or ws.count("\n") < 2):  # else a paragraph ends anyway
                if decide(text, m.start(1), p, c, nxt, m.end(4)):
                    cuts.append(skip_to)
        return cuts

    def _glued_end(self, text: str, pos: int) -> bool:
        """Does the punctuation at ``pos``, glued to a capitalised word, end a sentence?"""
        ch = text[pos]
        if ch not in ".?!" or pos < 2:
            return False
        lo = pos - 60 if pos > 60 else 0
        start = max(text.rfind(" ", lo, pos), text.rfind("\n", lo, pos), lo - 1) + 1
        token = text[start : pos + 20]
        if "/" in token or "@" in token or "www." in token or "=" in token:
            return False  # a web or mail address: "index.php?Id=5"
        before = text[pos - 1]
        if ch != "." or before == ".":  # "home?Thanks", "escaped....Julie"
            return before.isalpha() or before in ".?!"
        if not (before.islower() and text[pos - 2].islower()):
            return False  # "U.S.Army", "Newsfeed.Com" (after a capital), "1.The"
        word = _GLUED_WORD.match(text, pos + 1)
        return word is not None and word.group(1) in self.starters

    def _decide(self, text: str, pos: int, p: str, c: str, nxt: str, after: int) -> bool:
        """Does punctuation ``p`` at ``pos`` (then closers ``c``, token ``nxt``) end a sentence?"""
        if nxt in _LONE_OPENERS:
            nxt += _NEXT.match(text, after).group(1)
        first = nxt.lstrip(_OPENERS)[:1] or nxt[:1]
        if first in ")]}":
            return False  # "(... next day. )": the closing bracket belongs here
        lower = first.islower() and not nxt.startswith(("http", "www."))
        last = p[-1]
        if last == ".":
            if len(p) > 1:  # ellipsis: ends a sentence before a capital
                return not lower and not first.isdigit() and first not in ".,;:!?)"
            if first in ".,;:":
                return False  # ". . ." spaced ellipsis, "..., 2000"
            if c:
                return not lower
            lo = pos - 40 if pos > 40 else 0  # longer tokens are no abbreviations
            start = max(text.rfind(" ", lo, pos), text.rfind("\n", lo, pos)) + 1
            if start == 0 and lo:
                return True
            token = text[start:pos].lstrip(_TOKEN_STRIP)
            if not token:
                return True
            if self._elision is not None and ("'" in token or "’" in token):
                token = self._elision.sub("", token)  # "l'art. 5", "d'env. 3 km"
            if _LABEL.match(token) and _opens_line(text, start):
                return _alone_on_line(text, pos)  # "1.1. Le présent ..." but "1.1.\nLe ..."
            kind = self._abbr.get(token)
            if kind is not None:
                if kind == _PLAIN:  # but "at 5 p.m. Mr. Smith left"
                    return self._time_then_title(text, start, token, nxt, after)
                # "art. 5", "chap. IV", "fig. ci-dessous", but "Read No. It is": after an
                # abbreviation, lower case goes on with the sentence whatever its kind
                if kind == _NUMERIC:
                    return not (lower or first.isdigit() or _ROMAN.match(nxt))
                return (self._opens_sentence(text, nxt, after)  # _MAY_END, _DATE
                        or self._time_then_title(text, start, token, nxt, after))
            if _NUMBERING.match(token) and not (token.isdigit() and len(token) > 2):
                # "... point. 2. Second", "... scope. 2.1. Rules": a list or paragraph number
                # opening a sentence; after an abbreviation the number is its reference ("art.
                # 5. Elle", "Jan. 3. They"), whose full stop ends the sentence
                return not _after_end(text, start) or (
                    not lower and self._abbreviation_before(text, start)
                )
            if len(token) == 1:
                if token.isupper():
                    return False  # an initial: "J. D. Vance"
                # "p. ex." but "à 10 h. Selon", "à 8 h. Mme Martin"
                return (not token.isalpha() or self._opens_sentence(text, nxt, after)
                        or self._time_then_title(text, start, token, nxt, after))
            if "." in token and _DOTTED.match(token):
                # "U.S. The ..." ends a sentence, "J.-M. Le Pen" does not; "5 p.m. Mr. Smith"
                return "-" not in token and (
                    self._opens_sentence(text, nxt, after)
                    or self._time_then_title(text, start, token, nxt, after))
            return True  # a plain word; before lower case too: web text without capitals
        if last in "?!‽":
            # "« Vraiment ? » dit-il", "“Really?” he asked", "Quoi ? dit-il", "Quelle surprise !
            # s'est exclamé le ministre": the sentence goes on; otherwise lower case after ? or !
            # is a sentence written in lower case
            return not lower or not (c or (self.lang == "fr" and "-" in nxt)
                                     or self._reporting_clause(nxt + text[after : after + 60]))
        if last == "…":
            return not lower and not first.isdigit() and first not in ".,;:!?)"
        if last == ";":
            return (
                self.lang == "fr"
                and not lower
                and (first in '"«“-–—•' or _word(nxt) in self.starters)
            )
        if last == ":":
            # French writes a capital after a colon for quoted speech and names, rarely for a
            # pronoun or conjunction: "... nationales : Il s'agit ..." starts a sentence.
            return (
                self.lang == "fr"
                and not c
                and nxt[0].isupper()  # not a quotation: « Pour moi ... »
                and _word(nxt) not in _NAME_ARTICLES
                and self._opens_sentence(text, nxt, after)
            )
        if last == "—":  # a spaced dash before a capital: an interrupted sentence (speech)
            return self.lang == "en" and first.isupper()
        return not lower and first not in ".,;:!?"  # an emoticon

    def _reporting_clause(self, clause: str) -> bool:
        """Does ``clause`` (the text after "?" or "!") open with a short clause holding a verb
        of saying ("the minister exclaimed.", "s'est écrié le ministre", "asked Ann")?"""
        words = _CLAUSE_END.split(clause, 1)[0].split()
        if len(words) > 5:
            return False
        for i, word in enumerate(words):
            word = word.split("-", 1)[0]  # "s'écria-t-il"
            if self._elision is not None:
                word = _AGREEMENT.sub("é", self._elision.sub("", word))  # "s'est écriée"
            if word.lower() not in self._speech_verbs:
                continue
            if i or len(words) == 1:
                return True  # "the minister exclaimed", "a demandé Paul"
            # a verb first has its subject after it ("asked Ann", "répondit le ministre"), not
            # an object ("answered all my questions": a sentence without its subject)
            subject = words[1]
            return subject[:1].isupper() or _word(subject).title() in _NAME_ARTICLES
        return False

    def _time_then_title(self, text: str, start: int, token: str, nxt: str, after: int
                         ) -> bool:
        """A time ("8 h.", "5 p.m.": ``token`` at ``start`` after a number) followed by a title
        ("Mme", "Mr."): the title opens the next sentence, since no title follows a time inside
        one. French writes "8 h" without a full stop: after "8 h." any capitalised word but an
        acronym (GMT) opens one. In English, what follows a time inside a sentence is a day, a
        month or a time zone ("5 p.m. Monday", "5 p.m. Eastern", "5 p.m. GMT", "5 p.m. Paris
        time"); any other capitalised word opens the next sentence ("5 p.m. Passengers")."""
        if token not in _TIMES or not text[:start].rstrip()[-1:].isdigit():
            return False
        word = _word(nxt)
        if word in TITLES:
            return True
        if not word[:1].isupper() or word.isupper():
            return False
        if self.lang == "fr":
            return token == "h"
        if token == "h" or word.lower() in _AFTER_TIME:
            return False
        # a place's time: "Paris time", "New York time", "Rio de Janeiro time"
        for word in text[after:after + 40].split()[:3]:
            word = _word(word)
            if word.lower() in ("time", "standard", "daylight"):
                return False
            if not word[:1].isupper() and word not in ("de", "du", "da", "of"):
                break
        return True

    def _abbreviation_before(self, text: str, k: int) -> bool:
        """Does the word before ``k`` end with an abbreviation's period ("p. 12", "l'art. 5")?"""
        head = text[k - 30 if k > 30 else 0 : k].rstrip()
        if not head.endswith("."):
            return False
        token = head[:-1].rsplit(None, 1)[-1:]
        word = token[0].lstrip(_TOKEN_STRIP) if token else ""
        if self._elision is not None and ("'" in word or "’" in word):
            word = self._elision.sub("", word)
        if len(word) == 1:
            return word.isalpha()  # "p. 12", "n. 3"
        if word in _NUMBERED_MAY_END:
            return True  # "See doc. 5. The next ...": the number is the document's
        return self._abbr.get(word, _MAY_END) != _MAY_END  # "etc. 2. Next" opens a list item

    def _opens_sentence(self, text: str, nxt: str, after: int) -> bool:
        """Is ``nxt`` a usual sentence-initial word, not the start of a name ("Le Pen")?"""
        word = _word(nxt)
        if word not in self.starters:
            return False
        if word not in _NAME_ARTICLES or len(word) < len(nxt):
            return True  # "Dans Paris", "L'étude", "Le," : not a name
        return not _NEXT.match(text, after).group(1)[:1].isupper()

    # -- unpunctuated ends --------------------------------------------------------------------

    def _unpunctuated_cuts(self, text: str, paras: list[tuple[int, int]]) -> list[int]:
        """Sentence ends that no punctuation marks."""
        cuts: list[int] = []
        for ps, pe in paras:
            if text.find("\n", ps, pe) >= 0:
                cuts.extend(self._line_cuts(text, ps, pe))
            m = _SALUTATION.match(text, ps, pe)
            if m and _NEXT.match(text, m.end()).group(1)[:1].isupper():
                cuts.append(m.end())  # "Dear All, | My name is ..."
        cuts.extend(_standalone_cuts(text))
        cuts.extend(_url_cuts(text))
        before_name = self._before_name
        for m in self._mid_start.finditer(text):
            s = m.start()
            lo = s - 20 if s > 20 else 0
            prev = text[max(text.rfind(" ", lo, s), text.rfind("\n", lo, s), lo - 1) + 1 : s]
            if self._elision is not None:
                prev = self._elision.sub("", prev)  # "l'album Un homme nature"
            if prev.lower() in before_name:
                continue
            if _LABEL.match(prev) and (
                _opens_line(text, s - len(prev))
                or ((_NUMBERING.match(prev) or ")" in prev) and _after_end(text, s - len(prev)))
            ):
                continue  # "2.1 Les câbles ...", "... listed. (b) The others": a numbered item
            cuts.append(s)
        if self.lang == "fr":
            cuts.extend(self._dash_item_cuts(text))
        for tail, head in self._closings:
            k = text.find(tail, 1)
            while k >= 0:
                end = k + len(tail)
                k -= 1
                if text[k].lower() != head:
                    k = text.find(tail, end)
                    continue
                name = _NEXT.match(text, end).group(1)
                # "Best regards, | Debra", but "Thanks, John, for the help"
                if name[:1].isupper() and name[-1:] != "," and _is_sign_off(text, k):
                    cuts.append(end)
                k = text.find(tail, end)
        return cuts

    def _dash_item_cuts(self, text: str) -> list[int]:
        """French lists run into one line: "... la piste Clearstream - Dans l'ombre du ..."."""
        cuts: list[int] = []
        for dash in (" - ", " – "):
            k = text.find(dash)
            while k >= 0:
                if k and (text[k - 1].isalnum() or text[k - 1] == ")"):
                    nxt = _NEXT.match(text, k + 3).group(1)
                    if nxt[:1].isupper() and self._opens_sentence(text, nxt, k + 3 + len(nxt)):
                        cuts.append(k)
                k = text.find(dash, k + 3)
        return cuts

    def _line_cuts(self, text: str, ps: int, pe: int) -> list[int]:
        """Sentence ends at single line breaks: after headlines and list items."""
        lines = text[ps:pe].split("\n")
        widths = [len(ln.rstrip()) for ln in lines]
        # Hard-wrapped prose: every line but the last filled to about the same width.
        wrapped = (
            len(lines) >= 3
            and max(widths) >= 40
            and min(widths[:-1]) >= 0.7 * max(widths)
            and not any(_BULLET.match(ln) for ln in lines)
        )
        # An address alone on its line stands alone ("Tél. : 01 49 27 38 38", then
        # "presse@interieur.gouv.fr"), unless the sentence runs through it: the line before
        # leaves its phrase open or ends on a small letter ("please e-mail\njobs@example.com"),
        # or the line after goes on in lower case ("before Friday.").
        alone = set() if wrapped else {
            i for i, ln in enumerate(lines)
            if ("@" in ln or "www." in ln or "://" in ln) and _ADDRESS_LINE.fullmatch(ln.strip())
        }
        addresses = {
            i for i in alone
            if not (i and i - 1 not in alone and self._runs_on(lines[i - 1].rstrip()))
            and not (i + 1 < len(lines) and i + 1 not in alone
                     and lines[i + 1].lstrip()[:1].islower())
        }
        cuts = []
        pos = ps
        for i in range(len(lines) - 1):
            line = lines[i].rstrip()
            pos += len(lines[i]) + 1
            nxt = lines[i + 1].lstrip()
            if not line.strip() or not nxt:
                continue
            bullet = _BULLET.match(lines[i + 1])
            if bullet and self._wrapped_reference(line, lines[i + 1], bullet):
                continue
            if bullet or (_LABEL.match(line.strip()) and not _LONE_LETTER.match(line.strip())):
                cuts.append(pos - 1)  # a list item, or a number alone on its line ("2.1")
                continue
            if i in addresses or i + 1 in addresses:
                cuts.append(pos - 1)
                continue
            last = line[-1]
            if wrapped or (last in _LINE_END_OK and last != ":"):
                continue  # punctuation rules decide, or the line break is just wrapping
            if not _starts_sentence(nxt) or self._leaves_open(line):
                continue
            cuts.append(pos - 1)
        return cuts

    def _wrapped_reference(self, line: str, nxt: str, bullet: re.Match[str]) -> bool:
        """Is a line opening with a number or letter in brackets the rest of a sentence
        wrapped before a reference ("... paragraph\n(1) of this Article", "au point\n(a) de
        l'article 3")? The line before ends on a word and is no list item itself, and the
        label is followed by a word that ties it to the sentence ("of", "de", "and")."""
        if bullet.group("sign") is not None or not line[-1:].isalnum() or _BULLET.match(line):
            return False
        follows = nxt[bullet.end():].split(None, 1)
        if not follows:
            return False
        word = _word(follows[0]).lower().replace("’", "'")
        return word in self._reference_ties or word.split("'", 1)[0] + "'" in self._reference_ties

    def _runs_on(self, line: str) -> bool:
        """Does ``line`` (not blank, right-stripped) run on into the next line: its phrase
        left open, or its last word in lower case ("please e-mail")?"""
        return self._leaves_open(line) or line[-1:].islower()

    def _leaves_open(self, line: str) -> bool:
        """Does ``line`` (not blank, right-stripped) end mid-phrase, so that the next line goes
        on with it ("... of the\nUnited States", "Paris,\nLyon")?"""
        if line[-1] in ",-–/(&":
            return True
        return line.rsplit(None, 1)[-1].lower() in self._function_words


def _standalone_cuts(text: str) -> list[int]:
    """Cuts around e-mail date stamps and rules (*****, _____) that stand alone."""
    cuts: list[int] = []
    for m in _STAMP.finditer(text):
        a, b = m.start(), m.end()
        while a > 0 and text[a - 1].isdigit():
            a -= 1  # the day: the pattern starts at the first slash
        if a > 0 and not text[a - 1].isspace():
            continue
        if b < len(text) and not text[b].isspace():
            continue
        if _PREV_WORD.search(text, max(0, a - 8), a) is None:  # not "... sent on 03/27/2001"
            cuts.append(a)
        cuts.append(b)
    for mark, rx in _RULES.items():
        if mark in text:
            for m in rx.finditer(text):
                a, b = m.start(), m.end()
                if a > 0 and not text[a - 1].isspace():
                    continue
                while b < len(text) and not text[b].isspace():
                    b += 1
                if not any(ch.isalnum() for ch in text[a:b]):  # a line of symbols only
                    cuts.append(a)
                    cuts.append(b)
    return cuts


def _outside_continued_quotes(text: str, cuts: list[int]) -> list[int]:
    """``cuts`` without those inside a quotation that the sentence goes on after.

    ``« Non. C'est exclu », a déclaré le ministre.`` and ``"No. It is out," he said.`` are one
    sentence each (as CAT tools' SRX rules keep them): a cut inside would leave a segment that
    opens mid-quotation and closes it.
    """
    spans = _continued_quotes(text)
    if not spans:
        return cuts
    out = []
    i, n = 0, len(spans)
    for cut in cuts:  # both sorted
        while i < n and spans[i][1] < cut:
            i += 1
        if not (i < n and spans[i][0] < cut <= spans[i][1]):
            out.append(cut)
    return out


def _continued_quotes(text: str) -> list[tuple[int, int]]:
    """``(open, close)`` offsets of the quotations, within a paragraph, followed by more of
    their sentence: a comma (inside or after the closing mark) or a lower-case word."""
    spans: list[tuple[int, int]] = []
    for op, cl in (("«", "»"), ("“", "”")):
        k = text.find(op)
        while k >= 0:
            e = text.find(cl, k + 1)
            if e < 0:
                break
            inner = text.find(op, k + 1, e)
            if inner >= 0:  # a quotation inside: the innermost pair first
                k = inner
                continue
            if _continues(text, k, e):
                spans.append((k, e))
            k = text.find(op, e + 1)
    if '"' in text:
        spans.extend(_continued_straight_quotes(text))
    spans.sort()
    return spans


def _continued_straight_quotes(text: str) -> list[tuple[int, int]]:
    """:func:`_continued_quotes` for ``"``, an opening or a closing mark by what surrounds it."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    start = -1
    k = text.find('"')
    while k >= 0:
        before = text[k - 1] if k else " "
        after = text[k + 1] if k + 1 < n else " "
        may_open = before.isspace() or before in "([{—–-"
        may_close = not after.isalnum()
        if may_open != may_close:
            opens = may_open  # '"Non', 'non,"', '5" wide'
        else:
            opens = start < 0  # spaced, '" Non ... "': the marks alternate
        if opens:
            start = k
        elif start >= 0:
            if _continues(text, start, k):
                spans.append((start, k))
            start = -1
        k = text.find('"', k + 1)
    return spans


_AFTER_QUOTE = re.compile(r"[^\S\n]*(?:,|[" + _LOWER + r"])")


def _continues(text: str, k: int, e: int) -> bool:
    """Does the sentence go on after the quotation from ``k`` to its closing mark at ``e``?"""
    if _PARA_SEP.search(text, k, e):
        return False  # unmatched marks in different paragraphs
    if text[k:e].rstrip().endswith(","):
        return True  # '"No," he said', "“No,” Smith said"
    return _AFTER_QUOTE.match(text, e + 1) is not None  # "», a déclaré", '" he said'


def _opens_line(text: str, k: int) -> bool:
    """Is ``k`` the first non-blank position of its line?"""
    while k and text[k - 1] in " \t":
        k -= 1
    return k == 0 or text[k - 1] == "\n"


def _alone_on_line(text: str, pos: int) -> bool:
    """Is the rest of the line after the punctuation at ``pos`` blank ("2.1.\nScope")?"""
    end = text.find("\n", pos)
    return end >= 0 and not text[pos + 1 : end].strip()


def _after_end(text: str, k: int) -> bool:
    """Does the text before ``k`` end with sentence-final punctuation ("... point. 2. Second")?"""
    return text[k - 4 if k > 4 else 0 : k].rstrip()[-1:] in (".", "!", "?", ":", ";", "…")


def _is_sign_off(text: str, k: int) -> bool:
    """Is the closing word at ``k`` a sign-off of its own ("Best regards,"), not mid-sentence?"""
    if k and not text[k - 1].isspace():
        return False
    lo = k - 30 if k > 30 else 0
    start = max(text.rfind(ch, lo, k) for ch in ".!?\n") + 1
    if start == 0 and lo:
        return False
    return len(text[start:k].split()) <= 1  # "Thanks,", "Best regards," but not "I said thanks,"


def _url_cuts(text: str) -> list[int]:
    """A web address stands alone when another address or a capitalised word follows it."""
    cuts: list[int] = []
    for scheme in ("http", "www."):
        k = text.find(scheme)
        while k >= 0:
            e = k
            while e < len(text) and not text[e].isspace():
                e += 1
            if (k == 0 or text[k - 1].isspace()) and text.startswith(_URL_STARTS, k):
                nxt = _NEXT.match(text, e).group(1)
                if nxt[:1].isupper() or nxt.startswith(_URL_STARTS):
                    cuts.append(e)
            k = text.find(scheme, e)
    return cuts


def _segment_maker() -> Callable[[str, int, int, int, str], Segment]:
    """A Segment constructor that fills the slots directly.

    The frozen dataclass ``__init__`` goes through ``object.__setattr__`` once per field, which
    makes building the objects a third of the cost of splitting a text; setting the slots
    through their descriptors is about twice as fast. Falls back to the plain constructor if
    Segment's fields ever change.
    """
    names = ("text", "start", "end", "para", "lang")
    if tuple(f.name for f in dataclasses.fields(Segment)) != names:
        return Segment
    set_text, set_start, set_end, set_para, set_lang = (vars(Segment)[n].__set__ for n in names)
    new = object.__new__

    def make(text: str, start: int, end: int, para: int, lang: str) -> Segment:
        seg = new(Segment)
        set_text(seg, text)
        set_start(seg, start)
        set_end(seg, end)
        set_para(seg, para)
        set_lang(seg, lang)
        return seg

    return make


_make_segment = _segment_maker()


def _trie_pattern(words: set[str]) -> str:
    """A regular expression matching exactly ``words``, factored as a trie."""
    root: dict[str, dict] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and "" not in node else "(?:" + "|".join(alts) + ")"
        return body + ("?" if "" in node else "")

    return build(root)


def _word(tok: str) -> str:
    """A token without opening quotes and trailing punctuation: ``«Il,`` -> ``Il``."""
    tok = tok.lstrip(_OPENERS + "-–—•")
    el = _ELISION.match(tok)
    if el:
        return el.group(1) + "'"
    return _WORD_TAIL.sub("", tok)


def _starts_sentence(line: str) -> bool:
    """Does a line open like a sentence (capital, digit, opening quote or bracket)?"""
    ch = line.lstrip(_OPENERS)[:1]
    return bool(ch) and (ch.isupper() or ch.isdigit())


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Narrow ``[a, b)`` to exclude surrounding white space."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


_LINE_BREAK = re.compile(r"[\n\r\v\f\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """A segment's text as one line: each line break of a hard-wrapped text, with the spaces
    and tabs around it, becomes one space. A CAT tool's segment never holds the line ends of
    the file it came from, and a 100% match needs the same text. Other spaces (the no-break
    space before "%" or ":") stay as they are."""
    if _LINE_BREAK.search(text) is None:
        return text
    pieces = _LINE_BREAK.split(text)  # each stripped where it meets a break: linear
    last = len(pieces) - 1
    parts = []
    for k, piece in enumerate(pieces):
        if k:
            piece = piece.lstrip(" \t")
        if k < last:
            piece = piece.rstrip(" \t")
        if piece:
            parts.append(piece)
    return " ".join(parts)


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the paragraphs of ``text`` (blank-line separated), trimmed."""
    out = []
    start = 0
    for m in _PARA_SEP.finditer(text):
        a, b = _trim(text, start, m.start())
        if a < b:
            out.append((a, b))
        start = m.end()
    a, b = _trim(text, start, len(text))
    if a < b:
        out.append((a, b))
    return out


def segmenter(lang: str) -> Segmenter:
    """The shared :class:`Segmenter` for ``lang`` (``fr``, ``fr-CA``, ``en-GB``...)."""
    return _segmenter(primary(lang))


@cache
def _segmenter(code: str) -> Segmenter:
    return Segmenter(code)


def split_text(text: str, lang: str, *, keep_quotations: bool = False) -> list[Segment]:
    """Split ``text`` into sentences (headlines, list items) with offsets into ``text``.

    ``keep_quotations``: see :meth:`Segmenter.split`. A byte-order mark opening the text
    (read without ``utf-8-sig``) is no part of its first segment.
    """
    return segmenter(lang).split(without_bom(text), keep_quotations=keep_quotations)


def without_bom(text: str) -> str:
    """``text`` with the byte-order mark a file read without ``utf-8-sig`` may open with made
    a space, so that offsets into the text given stay true."""
    return " " + text[1:] if text.startswith("\ufeff") else text


def settings(lang: str) -> dict[str, object]:
    """What decides where ``lang``'s sentences end, written into a memory's header so that a
    translator can tell which rules produced its segments (and reproduce them)."""
    from . import __version__

    seg = segmenter(lang)
    return {"lang": seg.lang, "rules": f"tmtool {__version__}", "abbreviations": len(seg._abbr),
            "sentence_starters": len(seg.starters),
            "paragraphs": "blank line; headline and list lines end a segment"}
