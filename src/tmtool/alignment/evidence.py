"""Lexical evidence of every link the band allows, computed in bulk with numpy.

A link explains a sentence's key when the other side of the link carries it too. The evidence
of a link is half the weight of the source keys explained plus half that of the target keys
explained, each less what a random link of the same size would explain by chance. Counting each
sentence's keys once, wherever in the link they are matched, makes merging neutral: two
sentences join a link only when that explains more of the text, not because a name repeated
in neighbouring sentences would otherwise be counted again.

For a source sentence ``i`` and the window of ``b`` target sentences ending at ``j``,
``x[b][i, j - plo[i]]`` is the weight of i's keys found in that window; ``y[a]`` is the same
for target sentence ``j`` against the window of ``a`` source sentences ending at ``i``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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

    def score(self, a: int, b: int, r: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Evidence of the a-b links ending at DP points (r, cols); r broadcasts over cols."""
        rows, width = self.x[1].shape
        n = len(self.plo)
        m = len(self.size_t) - 1
        top, bottom = self.row0, self.row0 + rows - 1
        r1 = np.clip(r, 0, n)
        r0 = np.clip(r - a, 0, n)
        c1 = np.clip(cols, 0, m)
        c0 = np.clip(cols - b, 0, m)
        # chance: what a random link of the same size would explain
        tx = -(self.exp_s[r1] - self.exp_s[r0]) * (self.size_t[c1] - self.size_t[c0]) / self.mean_t
        ty = -(self.exp_t[c1] - self.exp_t[c0]) * (self.size_s[r1] - self.size_s[r0]) / self.mean_s
        if width == 0 or rows == 0:
            return 0.5 * (tx + ty) * np.ones(cols.shape)
        last = np.clip(r - 1, top, bottom)
        xb = self.x[b]
        for da in range(a):
            i = np.clip(r - 1 - da, top, bottom)
            k = cols - 1 - self.plo[i]
            tx = tx + np.where((k >= 0) & (k < width),
                               xb[np.broadcast_to(i - top, k.shape), np.clip(k, 0, width - 1)],
                               0.0)
        ya = self.y[a]
        for db in range(b):
            k = cols - 1 - db - self.plo[last]
            ty = ty + np.where((k >= 0) & (k < width),
                               ya[np.broadcast_to(last - top, k.shape),
                                  np.clip(k, 0, width - 1)], 0.0)
        # Half of each side. Taking the smaller side instead (so that a word said once on one
        # side and twice on the other explains one occurrence) was tried: a little better on
        # Text+Berg, worse on every TransRead novel.
        return 0.5 * (tx + ty)


class Builder:
    """What every block of rows shares: key incidences, the sorted target index, chance."""

    def __init__(self, src_keys: Sequence[set[int]], tgt_keys: Sequence[set[int]],
                 weights: np.ndarray, ps: np.ndarray, pt: np.ndarray, lo: np.ndarray,
                 hi: np.ndarray, amax: int, bmax: int) -> None:
        n, m = len(src_keys), len(tgt_keys)
        self.n, self.m, self.amax, self.bmax = n, m, amax, bmax
        self.weights = weights
        # Frequent keys (quotes, question marks) stay: leaving out those in over 10% of the
        # sentences cost 0.01-0.06 F1 on every book.
        live = weights > 0.0
        self.si, self.sk = _incidences(src_keys, live)
        tj, tk = _incidences(tgt_keys, live)
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
        x: dict[int, np.ndarray] = {}
        y: dict[int, np.ndarray] = {}
        # x: per source incidence, target occurrences in increasing j
        same = np.zeros(total, dtype=bool)
        same[1:] = inc[1:] == inc[:-1]
        prev_j = np.where(same, np.roll(pj, 1), -(10 ** 9))
        for b in range(1, self.bmax + 1):
            x[b] = _emit(r_lo, nrows, width, plo, phi, pi, pj, prev_j, pw, b, along_rows=False)
        del prev_j, same, inc
        # y: per target incidence, source occurrences in increasing i
        order2 = np.lexsort((pi, pos))
        qi, qj, qw, qpos = pi[order2], pj[order2], pw[order2], pos[order2]
        del pi, pj, pw, pos, order2
        same2 = np.zeros(total, dtype=bool)
        same2[1:] = qpos[1:] == qpos[:-1]
        prev_i = np.where(same2, np.roll(qi, 1), -(10 ** 9))
        for a in range(1, self.amax + 1):
            y[a] = _emit(r_lo, nrows, width, plo, phi, qi, qj, prev_i, qw, a, along_rows=True)
        return Evidence(x, y, r_lo, plo, *self.chance)


def _emit(row0: int, n: int, width: int, plo: np.ndarray, phi: np.ndarray, pi: np.ndarray,
          pj: np.ndarray, prev: np.ndarray, w: np.ndarray, span: int,
          along_rows: bool) -> np.ndarray:
    """Add each key's weight once to every window of ``span`` sentences it occurs in."""
    out = np.zeros(n * max(width, 1), dtype=np.float64)
    for d in range(span):
        if along_rows:
            end_i, end_j = pi + d, pj
            fresh = pi + d >= prev + span
        else:
            end_i, end_j = pi, pj + d
            fresh = pj + d >= prev + span
        ok = fresh & (end_i >= row0) & (end_i < row0 + n)
        ei = np.where(ok, end_i, row0)
        col = end_j - plo[ei]
        ok &= (col >= 0) & (col < width) & (end_j < phi[ei])
        if ok.any():
            out += np.bincount((ei[ok] - row0) * width + col[ok], weights=w[ok],
                               minlength=len(out))
    return out.reshape(n, max(width, 1))[:, :width].astype(np.float32)


def _incidences(keys: Sequence[set[int]], live: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rows = [i for i, ks in enumerate(keys) for _ in ks]
    flat = [k for ks in keys for k in ks]
    r = np.asarray(rows, dtype=np.int64)
    k = np.asarray(flat, dtype=np.int64)
    keep = live[k] if len(k) else np.zeros(0, dtype=bool)
    return r[keep], k[keep]


def _prefix(values: np.ndarray) -> np.ndarray:
    return np.concatenate(([0.0], np.cumsum(values)))
