"""Gale-Church length model: translation lengths in characters grow in proportion.

For a link whose source side has ``ls`` characters and target side ``lt``, the model says
``lt - c * ls`` is normal with variance ``s2 * mean length``; the cost is the negative log of the
two-sided tail probability of the observed difference. ``c`` and ``s2`` are estimated from the
pair being aligned, so the model fits any two languages.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_NR = (-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807,
       -1.13520398, 1.48851587, -0.82215223, 0.17087277)


def log_erfc(x: np.ndarray) -> np.ndarray:
    """log(erfc(x)) for x >= 0, without underflow (Numerical Recipes' erfcc, rel. err 1e-7)."""
    t = 1.0 / (1.0 + 0.5 * x)
    poly = np.zeros_like(x)
    for c in reversed(_NR[1:]):
        poly += c  # in place: the same (poly + c) * t without temporaries
        poly *= t
    return np.log(t) - x * x + _NR[0] + poly


def length_cost(ls: np.ndarray, lt: np.ndarray, ratio: float, variance: float) -> np.ndarray:
    """-log P(length difference | the two sides translate each other), elementwise."""
    mean = (ls + lt / ratio) * 0.5
    delta = np.abs(lt - ratio * ls) / np.sqrt(variance * ratio * np.maximum(mean, 1.0))
    return -log_erfc(delta * 0.7071067811865476)


def estimate_ratio(src_lengths: Sequence[int], tgt_lengths: Sequence[int],
                   prior_chars: float = 2000.0) -> float:
    """Characters of target text per character of source text over the whole pair.

    Shrunk toward 1 by ``prior_chars`` of evidence, so that a pair of a few sentences (where
    one side may hold a sentence the other lacks) does not get an absurd ratio.
    """
    s, t = sum(src_lengths), sum(tgt_lengths)
    ratio = (t + prior_chars) / (s + prior_chars)
    return min(max(ratio, 0.25), 4.0)
