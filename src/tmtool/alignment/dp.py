"""Banded dynamic programming over link shapes, with numpy rows.

The cost of a link is the Gale-Church length cost plus a prior for its shape, minus the lexical
evidence it explains, plus soft paragraph terms. Costs of every cell of the band are computed in
bulk for a block of rows, then the recurrence runs one row at a time: moves from earlier rows are
vector minima, and 0-1 links (same row) are a running minimum, so Python does O(rows) work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .evidence import Builder, Evidence
from .length import length_cost

INF = np.inf
_CHUNK = 512


@dataclass(slots=True)
class Scorer:
    """Everything a link cost depends on, for one source/target pair."""

    cs: np.ndarray  # prefix sums of source lengths (n + 1)
    ct: np.ndarray  # prefix sums of target lengths (m + 1)
    ratio: float
    variance: float
    priors: dict[tuple[int, int], float]  # -log prior per shape
    null_s: np.ndarray  # prefix sums of the cost of leaving each source sentence unlinked
    null_t: np.ndarray
    lexical_weight: float
    builder: Builder
    para_s: np.ndarray | None  # (n,) bool: sentence starts a paragraph
    para_t: np.ndarray | None
    para_bonus: float
    evidence: Evidence | None = None

    def prepare(self, r0: int, r1: int) -> Evidence:
        """Build the evidence tables that links ending on DP rows r0 .. r1 - 1 read."""
        self.evidence = self.builder.rows(r0 - self.builder.amax, r1)
        return self.evidence
    def costs(self, a: int, b: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Cost of an a-b link ending at DP points (rows[:, None], cols); inf where impossible."""
        n_s = len(self.cs) - 1
        m_t = len(self.ct) - 1
        r = rows[:, None]
        ok = (r >= a) & (cols >= b) & (cols <= m_t)
        r0 = np.clip(r - a, 0, n_s)
        c = np.clip(cols, 0, m_t)
        c0 = np.clip(cols - b, 0, m_t)
        if a == 0 or b == 0:  # null links: each sentence left out costs its own price
            out = (self.null_s[np.clip(r, 0, n_s)] - self.null_s[r0]
                   + self.null_t[c] - self.null_t[c0]) * np.ones(cols.shape)
            return np.where(ok, out, INF)
        out = np.full(cols.shape, self.priors[(a, b)], dtype=np.float64)
        if a and b:
            ls = (self.cs[np.clip(r, 0, n_s)] - self.cs[r0]) * np.ones_like(out)
            lt = self.ct[c] - self.ct[c0]
            out += length_cost(ls, lt, self.ratio, self.variance)
            ev = self.evidence or self.prepare(int(rows.min()), int(rows.max()) + 1)
            out -= self.lexical_weight * ev.score(a, b, r, cols)
        if self.para_s is not None and self.para_t is not None and a and b:
            ps = self.para_s[np.clip(r - a, 0, n_s - 1)] * np.ones(cols.shape, dtype=bool)
            pt = self.para_t[np.clip(cols - b, 0, m_t - 1)]
            out += np.where(ps & pt, -self.para_bonus, 0.0)
            out += np.where(ps ^ pt, 0.5 * self.para_bonus, 0.0)
            for d in range(1, a):
                out += self.para_bonus * self.para_s[np.clip(r - a + d, 0, n_s - 1)]
            for d in range(1, b):
                out += self.para_bonus * self.para_t[np.clip(cols - b + d, 0, m_t - 1)]
        return np.where(ok, out, INF)


def solve(n: int, m: int, lo: np.ndarray, hi: np.ndarray, moves: Sequence[tuple[int, int]],
          scorer: Scorer) -> tuple[list[tuple[int, int]], list[float]]:
    """Best path from (0, 0) to (n, m) inside the band: the DP points it visits, and the
    total cost of the path up to each of them (so each link's own cost is a difference).

    The totals of the last few rows sit in a small ring buffer indexed by target position, so
    each row gathers the predecessors of all its moves in one indexing step and takes one
    argmin; 0-1 links (same row) are then a running minimum.
    """
    ins = moves.index((0, 1))
    null_t = scorer.null_t
    flat = [x for x, ab in enumerate(moves) if ab != (0, 1)]  # stacked candidate rows
    flat_arr = np.asarray(flat, dtype=np.int8)
    a_arr = np.array([moves[x][0] for x in flat])
    b_arr = np.array([moves[x][1] for x in flat])
    # Totals of the last few rows, in target coordinates shifted by `off` so that a move
    # reaching before column 0 reads INF; each row is written over the band it covers.
    ring = int(a_arr.max()) + 1
    off = int(b_arr.max())
    hist = np.full((ring, m + 1 + off), INF)
    back: list[np.ndarray] = []
    f: list[np.ndarray] = []
    windows: dict[int, np.ndarray] = {}
    for r0 in range(0, n + 1, _CHUNK):
        r1 = min(n + 1, r0 + _CHUNK)
        rows = np.arange(r0, r1)
        width = int((hi[r0:r1] - lo[r0:r1]).max())
        cols = lo[r0:r1, None] + np.arange(width)[None, :]
        scorer.prepare(r0, r1)
        cost = np.stack([scorer.costs(*moves[x], rows, cols) for x in flat], axis=1)
        for i in range(r0, r1):
            w = int(hi[i] - lo[i])
            ar = null_t[lo[i]:lo[i] + w] - null_t[lo[i]]
            base = windows.get(w)
            if base is None:
                base = windows[w] = np.arange(w)[None, :] - b_arr[:, None] + off
            slots = ((i - a_arr) % ring)[:, None]
            cand = hist[slots, base + int(lo[i])] + cost[i - r0, :, :w]
            pick = cand.argmin(axis=0)
            best = cand[pick, np.arange(w)]
            bp = flat_arr[pick]
            if i == 0:
                best[0] = 0.0
            bp[~np.isfinite(best)] = -1
            v = best - ar
            run = np.minimum.accumulate(v)
            moved = v > run
            best = np.where(moved, run + ar, best)
            bp[moved] = ins
            f.append(best)
            back.append(bp)
            slot = i % ring
            if i >= ring:
                old = i - ring
                hist[slot, lo[old] + off:hi[old] + off] = INF
            hist[slot, lo[i] + off:hi[i] + off] = best
    path = _trace(n, m, lo, moves, back)
    return path, [float(f[i][j - lo[i]]) for i, j in path]


def _trace(n: int, m: int, lo: np.ndarray, moves: Sequence[tuple[int, int]],
           back: list[np.ndarray]) -> list[tuple[int, int]]:
    i, j = n, m
    path = [(i, j)]
    while i > 0 or j > 0:
        x = int(back[i][j - lo[i]])
        if x < 0:  # unreachable only if the band were broken; keep the output total anyway
            raise RuntimeError("alignment band does not connect (0, 0) to the end")
        a, b = moves[x]
        i -= a
        j -= b
        path.append((i, j))
    return path[::-1]


def path_links(path: Sequence[tuple[int, int]]) -> list[tuple[range, range]]:
    """Consecutive DP points as (source range, target range) links."""
    return [(range(i0, i1), range(j0, j1))
            for (i0, j0), (i1, j1) in zip(path, path[1:], strict=False)]
