"""Where to search: a corridor around the expected path, so time and memory stay linear.

The first corridor follows *anchors*: sentence pairs that share a key found once on each side
(a number, a name, a rare cognate), chained into the longest monotone sequence so that stray
matches drop out. Between anchors the corridor widens with the distance to cover, so a long
untranslated passage still fits. Later passes search a narrow corridor around the previous path.

A band is two arrays ``lo``, ``hi`` over DP rows ``0..n`` (source sentences consumed): row ``i``
may use target positions ``lo[i] <= j < hi[i]``. Both are non-decreasing and overlap from one
row to the next, so a path from (0, 0) to (n, m) always exists inside.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import numpy as np

# cap on the first corridor's half-width; a path that needs more widens it where it hits
_MAX_WIDTH = 250


def anchors(src_keys: Sequence[tuple[int, ...]], tgt_keys: Sequence[tuple[int, ...]],
            weights: np.ndarray, min_weight: float,
            max_count: int = 4) -> list[tuple[int, int]]:
    """Sentence pairs sharing a rare key, as a longest monotone chain.

    A key seen the same small number of times on both sides pairs its occurrences in order
    (the first with the first, ...): a name that recurs in a long book still anchors.
    """
    strong = set(np.flatnonzero(weights >= min_weight).tolist())
    occ_s: dict[int, list[int]] = {}
    for i, ks in enumerate(src_keys):
        for k in strong.intersection(ks):
            occ_s.setdefault(k, []).append(i)
    occ_s = {k: v for k, v in occ_s.items() if len(v) <= max_count}
    occ_t: dict[int, list[int]] = {}
    for j, ks in enumerate(tgt_keys):
        for k in ks:
            if k in occ_s:
                occ_t.setdefault(k, []).append(j)
    points = {(i, j) for k, js in occ_t.items() if len(js) == len(occ_s[k])
              for i, j in zip(occ_s[k], js, strict=True)}
    return _chain(sorted(points))


def _chain(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest chain strictly increasing in both coordinates (patience sorting, n log n)."""
    # sort by i ascending, j descending so that equal i never chain together
    pts = sorted(points, key=lambda p: (p[0], -p[1]))
    tails: list[int] = []
    tail_idx: list[int] = []
    prev = [-1] * len(pts)
    for n, (_, j) in enumerate(pts):
        pos = bisect.bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(n)
        else:
            tails[pos] = j
            tail_idx[pos] = n
        prev[n] = tail_idx[pos - 1] if pos else -1
    out: list[tuple[int, int]] = []
    n = tail_idx[-1] if tail_idx else -1
    while n >= 0:
        out.append(pts[n])
        n = prev[n]
    return out[::-1]


def band_from_anchors(n: int, m: int, points: Sequence[tuple[int, int]], base: int,
                      spread: float) -> tuple[np.ndarray, np.ndarray]:
    """A corridor through (0, 0), each anchor and (n, m), widening with the gap between them."""
    nodes = [(0, 0)]
    for i, j in points:
        nodes += [(i, j), (i + 1, j + 1)]
    nodes.append((n, m))
    pmin = np.full(n + 1, m, dtype=np.int64)
    pmax = np.zeros(n + 1, dtype=np.int64)
    width = np.full(n + 1, base, dtype=np.int64)
    for (i0, j0), (i1, j1) in zip(nodes, nodes[1:], strict=False):
        if i1 < i0 or j1 < j0:
            continue
        w = min(base + int(spread * max(i1 - i0, j1 - j0)), _MAX_WIDTH)
        rows = np.arange(i0, i1 + 1)
        if i1 > i0:
            slope = (j1 - j0) / (i1 - i0)
            a = np.floor(j0 + (rows - i0 - 1) * slope).clip(j0, j1)
            b = np.ceil(j0 + (rows - i0 + 1) * slope).clip(j0, j1)
        else:
            a = np.full(1, j0)
            b = np.full(1, j1)
        pmin[rows] = np.minimum(pmin[rows], a.astype(np.int64))
        pmax[rows] = np.maximum(pmax[rows], b.astype(np.int64))
        width[rows] = np.maximum(width[rows], w)
    return _widen(pmin, pmax, width, m)


def band_from_path(n: int, m: int, path: Sequence[tuple[int, int]],
                   half_width: int) -> tuple[np.ndarray, np.ndarray]:
    """A corridor of ``half_width`` around a path given as DP points (i, j), (0,0) to (n,m)."""
    lows = [m] * (n + 1)  # plain lists: this loop runs once per path point
    highs = [0] * (n + 1)
    for (i0, j0), (i1, j1) in zip(path, path[1:], strict=False):
        for i in range(i0, i1 + 1):
            if j0 < lows[i]:
                lows[i] = j0
            if j1 > highs[i]:
                highs[i] = j1
    pmin = np.array(lows, dtype=np.int64)
    pmax = np.array(highs, dtype=np.int64)
    if len(path) == 1:
        pmin[0] = pmax[0] = 0
    width = np.full(n + 1, half_width, dtype=np.int64)
    return _widen(pmin, pmax, width, m)


def _widen(pmin: np.ndarray, pmax: np.ndarray, width: np.ndarray,
           m: int) -> tuple[np.ndarray, np.ndarray]:
    n = len(pmin) - 1
    lo = pmin - width
    hi = pmax + width + 1
    # monotone and overlapping: lower lo to the minimum ahead, raise hi to the maximum behind
    lo = np.minimum.accumulate(lo[::-1])[::-1].clip(0, m)
    hi = np.maximum.accumulate(hi).clip(1, m + 1)
    lo[0] = 0
    hi[n] = m + 1
    hi = np.maximum(hi, lo + 1)
    hi[:-1] = np.maximum(hi[:-1], lo[1:] + 1)
    return lo, hi


def touches_edge(path: Sequence[tuple[int, int]], lo: np.ndarray, hi: np.ndarray,
                 m: int, margin: int = 1) -> bool:
    """True when the path runs along the band's edge: the band was too narrow there."""
    lo_l, hi_l = lo.tolist(), hi.tolist()
    for i, j in path:
        if (lo_l[i] > 0 and j - lo_l[i] < margin) or (hi_l[i] <= m and hi_l[i] - 1 - j < margin):
            return True
    return False
