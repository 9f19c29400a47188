"""Lexical evidence of every link the band allows, computed in bulk with numpy.

A link explains a sentence's key when the other side of the link carries it too. The evidence
of a link is half the weight of the source keys explained plus half that of the target keys
explained, each less what a random link of the same size would explain by chance. Counting each
sentence's keys once, wherever in the link they are matched, makes merging neutral: two
sentences join a link only when that explains more of the text, not because a name repeated
in neighbouring sentences would otherwise be counted again.

For a source sentence ``i`` and the window of ``b`` target sentences ending at ``j``,
``x[b][i, j - plo[i] + 1]`` is the weight of i's keys found in that window (the tables carry a
zero column on each side); ``y[a]`` is the same for target sentence ``j`` against the window of
``a`` source sentences ending at ``i``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(slots=True)
class Evidence:
    x: dict[int, np.ndarray]  # b -> (rows, width), source rows row0 .. row0 + rows - 1
    y: dict[int, np.ndarray]  # a -> (rows, width)
    row0: int
    plo: np.ndarray  # (n,) target sentence of column 0 in each row
    exp_s: np.ndarray  # prefix sums: weight a source sentence shares with an average one by chance
    exp_t: np.ndarray
    size_s: np.ndarray  # prefix sums of key counts
    size_t: np.ndarray
    mean_s: float
    mean_t: float

    memo: dict[tuple[str, int], np.ndarray] = field(default_factory=dict)
    memo_at: np.ndarray | None = None  # the DP points the memo is for

    def _get(self, kind: str, d: int, r: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Pieces that depend on one offset only, shared by every shape (same DP points)."""
        if self.memo_at is not cols:
            self.memo.clear()
            self.memo_at = cols
        hit = self.memo.get((kind, d))
        if hit is not None:
            return hit
        n = len(self.plo)
        m = len(self.size_t) - 1
        rows, padded = self.x[1].shape
        top, bottom = self.row0, self.row0 + rows - 1
        if kind == "s":  # source side of a d-sentence link: chance weight and size
            r1, r0 = np.clip(r, 0, n), np.clip(r - d, 0, n)
            hit = np.stack([self.exp_s[r1] - self.exp_s[r0], self.size_s[r1] - self.size_s[r0]])
        elif kind == "t":
            c1, c0 = np.clip(cols, 0, m), np.clip(cols - d, 0, m)
            hit = np.stack([self.exp_t[c1] - self.exp_t[c0], self.size_t[c1] - self.size_t[c0]])
        elif kind == "x":  # flat index into x[b] for source row r - 1 - d
            i = np.clip(r - 1 - d, top, bottom)
            hit = (i - top) * padded + np.clip(cols - self.plo[i], 0, padded - 1)
        else:  # flat index into y[a] for target column cols - 1 - d
            last = np.clip(r - 1, top, bottom)
            hit = (last - top) * padded + np.clip(cols - d - self.plo[last], 0, padded - 1)
        self.memo[(kind, d)] = hit
        return hit

    def score(self, a: int, b: int, r: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Evidence of the a-b links ending at DP points (r, cols); r broadcasts over cols."""
        rows, padded = self.x[1].shape
        width = padded - 2
        es, ss = self._get("s", a, r, cols)
        et, st = self._get("t", b, r, cols)
        # chance: what a random link of the same size would explain
        tx = -es * st / self.mean_t
        ty = -et * ss / self.mean_s
        if width == 0 or rows == 0:
            return 0.5 * (tx + ty) * np.ones(cols.shape)
        # flat reads of the padded tables; a column outside the window lands on a zero pad
        xb = self.x[b].ravel()
        for da in range(a):
            tx = tx + xb.take(self._get("x", da, r, cols))
        ya = self.y[a].ravel()
        for db in range(b):
            ty = ty + ya.take(self._get("y", db, r, cols))
        # Half of each side. Taking the smaller side instead (so that a word said once on one
        # side and twice on the other explains one occurrence) was tried: a little better on
        # Text+Berg, worse on every TransRead novel.
        return 0.5 * (tx + ty)


class Builder:
    """What every block of rows shares: key incidences, the sorted target index, chance."""

    def __init__(self, src_inc: tuple[np.ndarray, np.ndarray],
                 tgt_inc: tuple[np.ndarray, np.ndarray], n: int, m: int,
                 weights: np.ndarray, ps: np.ndarray, pt: np.ndarray, lo: np.ndarray,
                 hi: np.ndarray, amax: int, bmax: int) -> None:
        self.n, self.m, self.amax, self.bmax = n, m, amax, bmax
        self.weights = weights
        # Frequent keys (quotes, question marks) stay: leaving out those in over 10% of the
        # sentences cost 0.01-0.06 F1 on every book.
        live = weights > 0.0
        self.si, self.sk = _live(src_inc, live)
        tj, tk = _live(tgt_inc, live)
        idx = np.arange(n)
        plo = np.clip(lo[np.minimum(idx + 1, n)] - bmax, 0, m).astype(np.int64)
        phi = np.clip(hi[np.minimum(idx + amax, n)], 0, m).astype(np.int64)
        self.plo, self.phi = plo, np.maximum(phi, plo)
        size_s = np.bincount(self.si, minlength=n).astype(np.float64)
        size_t = np.bincount(tj, minlength=m).astype(np.float64)
        exp_s = np.bincount(self.si, weights=weights[self.sk] * pt[self.sk], minlength=n)
        exp_t = np.bincount(tj, weights=weights[tk] * ps[tk], minlength=m)
        self.stride = m + 1
        order = np.argsort(tk * self.stride + tj, kind="stable")
        self.enc = (tk * self.stride + tj)[order]
        self.t_sorted = tj[order]
        self.chance = (_prefix(exp_s), _prefix(exp_t), _prefix(size_s), _prefix(size_t),
                       max(float(size_s.mean()) if n else 1.0, 1e-9),
                       max(float(size_t.mean()) if m else 1.0, 1e-9))

    def rows(self, r_lo: int, r_hi: int) -> Evidence:
        """Evidence tables for source sentences r_lo .. r_hi - 1."""
        r_lo, r_hi = max(0, r_lo), min(self.n, max(r_hi, r_lo + 1))
        nrows = max(r_hi - r_lo, 0)
        plo, phi = self.plo, self.phi
        width = int((phi[r_lo:r_hi] - plo[r_lo:r_hi]).max()) if nrows else 0
        # join source and target incidences of the same key inside each row's window; rows
        # just above the block give the history the y windows need
        a0, a1 = np.searchsorted(self.si, [max(0, r_lo - self.amax), r_hi])
        si, sk = self.si[a0:a1], self.sk[a0:a1]
        lo_code = sk * self.stride + np.maximum(plo[si] - self.bmax, 0)
        hi_code = sk * self.stride + phi[si]
        starts = np.searchsorted(self.enc, lo_code)
        counts = np.searchsorted(self.enc, hi_code) - starts
        total = int(counts.sum())
        inc = np.repeat(np.arange(len(si)), counts)
        offs = np.concatenate(([0], np.cumsum(counts)[:-1]))
        pos = starts[inc] + (np.arange(total) - offs[inc])
        pi = si[inc]
        pj = self.t_sorted[pos]
        pw = self.weights[sk[inc]]
        del starts, counts, offs
        # x: per source incidence, target occurrences in increasing j
        same = np.zeros(total, dtype=bool)
        same[1:] = inc[1:] == inc[:-1]
        prev_j = np.where(same, np.roll(pj, 1), -(10 ** 9))
        x = _emit(r_lo, nrows, width, plo, phi, pi, pj, prev_j, pw, self.bmax, along_rows=False)
        del prev_j, same, inc
        # y: per target incidence, source occurrences in increasing i
        order2 = np.lexsort((pi, pos))
        qi, qj, qw, qpos = pi[order2], pj[order2], pw[order2], pos[order2]
        del pi, pj, pw, pos, order2
        same2 = np.zeros(total, dtype=bool)
        same2[1:] = qpos[1:] == qpos[:-1]
        prev_i = np.where(same2, np.roll(qi, 1), -(10 ** 9))
        y = _emit(r_lo, nrows, width, plo, phi, qi, qj, prev_i, qw, self.amax, along_rows=True)
        return Evidence(x, y, r_lo, plo, *self.chance)


def _emit(row0: int, n: int, width: int, plo: np.ndarray, phi: np.ndarray, pi: np.ndarray,
          pj: np.ndarray, prev: np.ndarray, w: np.ndarray, max_span: int,
          along_rows: bool) -> dict[int, np.ndarray]:
    """Add each key's weight once to every window of 1 .. ``max_span`` sentences it occurs in.

    An incidence at offset ``d`` inside the window lands on the same cell whatever the span,
    so cells and in-band tests are computed once per offset; only the "first occurrence in
    the window" test depends on the span.
    """
    gap = (pi if along_rows else pj) - prev  # fresh in a window of span s at offset d: gap >= s - d
    cells: list[tuple[np.ndarray, np.ndarray]] = []
    if not along_rows:
        in_rows = (pi >= row0) & (pi < row0 + n)
        ei = np.where(in_rows, pi, row0)
        col0 = pj - plo[ei]
        room = phi[ei] - pj
        flat0 = (ei - row0) * width + col0
    for d in range(max_span):
        if along_rows:
            end_i = pi + d
            ok = (end_i >= row0) & (end_i < row0 + n)
            ei = np.where(ok, end_i, row0)
            col = pj - plo[ei]
            ok &= (col >= 0) & (col < width) & (pj < phi[ei])
            cells.append((ok, (ei - row0) * width + col))
        else:
            col = col0 + d
            ok = in_rows & (col >= 0) & (col < width) & (room > d)
            cells.append((ok, flat0 + d))
    tables: dict[int, np.ndarray] = {}
    for span in range(1, max_span + 1):
        out = np.zeros(n * max(width, 1), dtype=np.float64)
        for d in range(span):
            inside, flat = cells[d]
            ok = inside & (gap >= span - d)
            if ok.any():
                out += np.bincount(flat[ok], weights=w[ok], minlength=len(out))
        # a zero column on each side: out-of-window reads clip onto them instead of masking
        padded = np.zeros((n, width + 2), dtype=np.float32)
        padded[:, 1:width + 1] = out.reshape(n, max(width, 1))[:, :width]
        tables[span] = padded
    return tables


def _live(inc: tuple[np.ndarray, np.ndarray],
          live: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r, k = inc
    keep = live[k] if len(k) else np.zeros(0, dtype=bool)
    return r[keep], k[keep]


def _prefix(values: np.ndarray) -> np.ndarray:
    return np.concatenate(([0.0], np.cumsum(values)))
