"""Acronyms and their expansions, from "long form (SHORT)" and "SHORT (long form)".

The matching is Schwartz and Hearst's (2003): the letters of the short form are found, right to
left, in the long form, and the first one must begin a word. Words start after a space, a
hyphen or an apostrophe, so "l'Organisation du traité de l'Atlantique Nord (OTAN)" gives OTAN.
"""

from __future__ import annotations

import regex

WINDOW = 600  # characters
_PAREN = regex.compile(r"\(([^()]{1,200})\)")
_SHORT = regex.compile(r"^(?=.*\p{Lu})[\p{L}\p{N}][\p{L}\p{N}&./-]{1,11}$")
_CLAUSE_END = regex.compile(r"[.;:!?()\[\]]|,(?=\s)")
_LEADING = frozenset(
    "the a an of l' la le les d' de du des un une its their our this".split()
)
_TYPO = str.maketrans({"\u2019": "'", "\u00a0": " ", "\u202f": " "})


def _is_short(s: str) -> bool:
    s = s.strip()
    letters = [c for c in s if c.isalpha()]
    return bool(_SHORT.match(s)) and sum(c.isupper() for c in letters) * 2 >= len(letters) >= 1


def _word_start(text: str, i: int) -> bool:
    return i == 0 or not text[i - 1].isalnum()


def _best_long_form(short: str, long: str) -> str | None:
    """The shortest tail of ``long`` whose word initials spell ``short`` (Schwartz-Hearst)."""
    chars = [c.lower() for c in short if c.isalnum()]
    if not chars:
        return None
    li = len(long) - 1
    for si in range(len(chars) - 1, -1, -1):
        c = chars[si]
        while li >= 0 and (long[li].lower() != c or (si == 0 and not _word_start(long, li))):
            li -= 1
        if li < 0:
            return None
        li -= 1
    start = li + 1
    # start at the beginning of the word holding the first letter, minus leading articles
    while start > 0 and long[start - 1].isalnum():
        start -= 1
    form = long[start:].strip()
    words = form.split()
    while words and (words[0].lower() in _LEADING or words[0].lower()[:2] in ("l'", "d'")
                     and len(words[0]) > 2 and words[0][2:3].isupper() is False):
        words = words[1:]
    form = " ".join(words)
    for art in ("l'", "d'", "L'", "D'"):
        if form.startswith(art):
            form = form[2:]
    if len(form.split()) < 2 and "-" not in form:
        return None
    if form.lower().replace(" ", "") == short.lower():
        return None
    return form


def find_acronyms(text: str) -> list[tuple[str, str]]:
    """(short form, long form) pairs defined in ``text``, in order of first definition."""
    text = text.translate(_TYPO)
    seen: set[tuple[str, str]] = set()
    out: list[tuple[str, str]] = []
    for m in _PAREN.finditer(text):
        inside = m.group(1).strip()
        # the clause before the parenthesis; a long form is never longer than the window
        before = text[max(0, m.start() - WINDOW): m.start()]
        cut = max((x.end() for x in _CLAUSE_END.finditer(before)), default=0)
        clause = before[cut:].strip()
        pair: tuple[str, str] | None = None
        first = regex.split(r"[,;]\s", inside)[0].strip()
        if _is_short(first):
            words = clause.split()
            window = words[-min(len(first) + 5, len(first) * 2):]
            long = _best_long_form(first, " ".join(window))
            if long:
                pair = (first, long)
        elif len(inside.split()) >= 2:
            words = clause.split()
            last = regex.sub(r"^(?i:[ld]')", "", words[-1]) if words else ""
            if last and _is_short(last):
                long = _best_long_form(last, inside)
                if long:
                    pair = (last, long)
        if pair and pair not in seen:
            seen.add(pair)
            out.append(pair)
    return out
