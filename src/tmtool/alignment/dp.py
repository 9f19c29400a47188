"""Banded dynamic programming over link shapes, with numpy rows.

The cost of a link is the Gale-Church length cost plus a prior for its shape, minus the lexical
evidence it explains, plus soft paragraph terms. Costs of every cell of the band are computed in
bulk for a block of rows, then the recurrence runs one row at a time: moves from earlier rows are
vector minima, and 0-1 links (same row) are a running minimum, so Python does O(rows) work.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

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
    memo: dict[tuple[str, int], np.ndarray] = field(default_factory=dict)
    memo_at: np.ndarray | None = None  # the DP points the memo is for

    def prepare(self, r0: int, r1: int) -> Evidence:
        """Build the evidence tables that links ending on DP rows r0 .. r1 - 1 read."""
        self.evidence = self.builder.rows(r0 - self.builder.amax, r1)
        return self.evidence
    def _memo(self, key: tuple[str, int], make: Callable[[], np.ndarray]) -> np.ndarray:
        hit = self.memo.get(key)
        if hit is None:
            hit = self.memo[key] = make()
        return hit

    def _ok_rows(self, a: int, r: np.ndarray) -> np.ndarray:
        return self._memo(("r", a), lambda: r >= a)

    def _ok_cols(self, b: int, cols: np.ndarray, m_t: int) -> np.ndarray:
        return self._memo(("c", b), lambda: (cols >= b) & (cols <= m_t))

    def _len_s(self, a: int, r: np.ndarray, n_s: int) -> np.ndarray:
        return self._memo(("ls", a), lambda: self.cs[np.clip(r, 0, n_s)]
                          - self.cs[np.clip(r - a, 0, n_s)])

    def _len_t(self, b: int, cols: np.ndarray, m_t: int) -> np.ndarray:
        return self._memo(("lt", b), lambda: self.ct[np.clip(cols, 0, m_t)]
                          - self.ct[np.clip(cols - b, 0, m_t)])

    def costs(self, a: int, b: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Cost of an a-b link ending at DP points (rows[:, None], cols); inf where impossible."""
        n_s = len(self.cs) - 1
        m_t = len(self.ct) - 1
        r = rows[:, None]
        if a == 0 or b == 0:  # null links: each sentence left out costs its own price
            ok = (r >= a) & (cols >= b) & (cols <= m_t)
            r0 = np.clip(r - a, 0, n_s)
            c = np.clip(cols, 0, m_t)
            c0 = np.clip(cols - b, 0, m_t)
            out = (self.null_s[np.clip(r, 0, n_s)] - self.null_s[r0]
                   + self.null_t[c] - self.null_t[c0]) * np.ones(cols.shape)
            return np.where(ok, out, INF)
        if self.memo_at is not cols:  # pieces shared by the shapes of one block of rows
            self.memo.clear()
            self.memo_at = cols
        ok = self._ok_rows(a, r) & self._ok_cols(b, cols, m_t)
        out = np.full(cols.shape, self.priors[(a, b)], dtype=np.float64)
        if a and b:
            ls = self._len_s(a, r, n_s)  # (rows, 1): broadcasts against lt
            lt = self._len_t(b, cols, m_t)
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
    windows: dict[tuple[int, int], np.ndarray] = {}
    stride = m + 1 + off
    flat_hist = hist.reshape(-1)  # a view: hist written by rows, read by flat offsets
    spans: dict[int, np.ndarray] = {}
    # plain ints and per-residue ring rows: no numpy scalar work inside the row loop
    lo_l: list[int] = lo.tolist()
    hi_l: list[int] = hi.tolist()
    slot_rows = [((i - a_arr) % ring)[:, None] for i in range(ring)]
    accumulate, copyto = np.minimum.accumulate, np.copyto
    for r0 in range(0, n + 1, _CHUNK):
        r1 = min(n + 1, r0 + _CHUNK)
        rows = np.arange(r0, r1)
        width = int((hi[r0:r1] - lo[r0:r1]).max())
        cols = lo[r0:r1, None] + np.arange(width)[None, :]
        scorer.prepare(r0, r1)
        cost = np.stack([scorer.costs(*moves[x], rows, cols) for x in flat], axis=1)
        # cost of 0-1 links from each row's first column, for the running minimum below
        ins_cost = null_t[np.minimum(cols, m)] - null_t[lo[r0:r1], None]
        for i in range(r0, r1):
            li = lo_l[i]
            w = hi_l[i] - li
            ar = ins_cost[i - r0, :w]
            slot = i % ring
            idx = windows.get((slot, w))
            if idx is None:
                idx = windows[(slot, w)] = (slot_rows[slot] * stride + np.arange(w)[None, :]
                                            - b_arr[:, None] + off)
                spans[w] = np.arange(w)
            cand = flat_hist[li:].take(idx)  # hist[(i - a) % ring, li + col - b + off]
            cand += cost[i - r0, :, :w]
            pick = cand.argmin(axis=0)
            best = cand[pick, spans[w]]
            bp = flat_arr[pick]
            if i == 0:
                best[0] = 0.0
            v = best - ar
            run = accumulate(v)
            moved = v > run
            copyto(best, run + ar, where=moved)  # in place: cheaper than np.where per row
            copyto(bp, ins, where=moved)
            f.append(best)
            back.append(bp)
            if i >= ring:
                old = i - ring
                hist[slot, lo_l[old] + off:hi_l[old] + off] = INF
            hist[slot, li + off:hi_l[i] + off] = best
    path = _trace(n, m, lo, moves, back, f)
    return path, [float(f[i][j - lo_l[i]]) for i, j in path]


def _trace(n: int, m: int, lo: np.ndarray, moves: Sequence[tuple[int, int]],
           back: list[np.ndarray], f: list[np.ndarray]) -> list[tuple[int, int]]:
    lo_l: list[int] = lo.tolist()
    i, j = n, m
    path = [(i, j)]
    while i > 0 or j > 0:
        k = j - lo_l[i]
        x = int(back[i][k])
        if not math.isfinite(f[i][k]):  # only if the band were broken
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
