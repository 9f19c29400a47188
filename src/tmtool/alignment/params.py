"""Aligner settings: one frozen record, so a TMX header can say how its links were made."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from ..errors import UsageError

# Link shapes searched by default ("source count-target count"). 1-4/4-1 and 2-3/3-2 occur
# in literary translation, where one long sentence is often cut into many.
DEFAULT_MOVES: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (1, 4), (4, 1), (2, 3), (3, 2),
)


@dataclass(frozen=True, slots=True)
class Settings:
    """Tunable parameters of the aligner; every field has a default that works for any pair."""

    moves: tuple[tuple[int, int], ...] = DEFAULT_MOVES
    lexical_weight: float = 1.0  # weight of lexical evidence against the length model
    length_variance: float = 6.8  # Gale-Church s^2
    null_cost: float = 6.0  # -log prior of a 1-0 or 0-1 link
    wordless_cost: float = 2.0  # null cost of a line without words ("....", "- 12 -")
    merge_cost: float = 3.0  # -log prior of one extra sentence in a link (2-1, 1-2, ...)
    many_cost: float = 2.0  # extra -log prior of a link with 2+ sentences on both sides
    cognate_prefix: int = 4  # letters compared by the cognate test
    para_bonus: float = 3.0  # soft anchor: a link that starts a paragraph on both sides
    band: int = 8  # half-width of the search band around the first-pass path
    lexicon_links: int = 3000  # at most this many confident 1-1 links train the lexicon
    lexicon_min_dice: float = 0.7
    passes: int = 2  # 1 = no bootstrapped lexicon

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["moves"] = [f"{a}-{b}" for a, b in self.moves]
        return d


def _move(m: Any) -> tuple[int, int]:
    """A move given as (a, b) or "a-b"."""
    try:
        if isinstance(m, str):
            a, b = m.split("-")
            return int(a), int(b)
        a, b = m
        return int(a), int(b)
    except (TypeError, ValueError):
        raise UsageError(f"bad aligner move: {m!r} (expected n-m)") from None


def make_settings(**tuning: Any) -> Settings:
    """Settings from keyword overrides; unknown names or bad moves raise UsageError."""
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(tuning) - known)
    if unknown:
        raise UsageError(f"unknown aligner setting(s): {', '.join(unknown)}")
    if "moves" in tuning:
        tuning["moves"] = tuple(_move(m) for m in tuning["moves"])
    s = replace(Settings(), **tuning)
    if not {(1, 1), (1, 0), (0, 1)} <= set(s.moves):
        raise UsageError("aligner moves must include 1-1, 1-0 and 0-1")
    if any(a < 0 or b < 0 or a + b == 0 or max(a, b) > 6 for a, b in s.moves):
        raise UsageError("aligner moves must be n-m with 0 <= n, m <= 6")
    return s
