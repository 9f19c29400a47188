"""The gold-file form of links: ``[3, 4]:[2]`` per line, 0-based, ``[]:[5]`` for a 0-1 link."""

from __future__ import annotations

import re

from ..errors import FormatError
from ..model import Link

_SIDE = re.compile(r"\s*\[\s*(\d+(?:\s*,\s*\d+)*)?\s*\]\s*")


def format_link(link: Link) -> str:
    """``[3, 4]:[2]``: the form vecalign, bertalign and the scoring script read."""
    return f"{list(link.src)}:{list(link.tgt)}"


def parse_links(text: str, name: str = "<links>") -> list[Link]:
    """Links from gold-file text; anything after a second ``:`` (a score) is kept as score.

    Raises FormatError with the line number on a malformed line.
    """
    out: list[Link] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split(":")
        if len(parts) < 2:
            raise FormatError(name, f"not a link: {line.strip()!r}", n)
        sides = []
        for part in parts[:2]:
            m = _SIDE.fullmatch(part)
            if m is None:
                raise FormatError(name, f"not a link: {line.strip()!r}", n)
            sides.append(tuple(int(x) for x in m.group(1).split(",")) if m.group(1) else ())
        score = 1.0
        if len(parts) > 2 and parts[2].strip():
            try:
                score = float(parts[2])
            except ValueError:
                raise FormatError(name, f"bad score: {parts[2].strip()!r}", n) from None
        if not sides[0] and not sides[1]:
            raise FormatError(name, "a link needs a sentence on at least one side", n)
        out.append(Link(sides[0], sides[1], score))
    return out
