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
    x: dict[int, np.ndarray]  # b -> (n, width)
    y: dict[int, np.ndarray]  # a -> (n, width)
    plo: np.ndarray  # (n,) target sentence of column 0 in each row
    exp_s: np.ndarray  # prefix sums: weight a source sentence shares with an average one by chance
    exp_t: np.ndarray
    size_s: np.ndarray  # prefix sums of key counts
    size_t: np.ndarray
    mean_s: float
    mean_t: float

    def score(self, a: int, b: int, r: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Evidence of the a-b links ending at DP points (r, cols); r broadcasts over cols."""
        n, width = self.x[1].shape
        m = len(self.size_t) - 1
        r1 = np.clip(r, 0, n)
        r0 = np.clip(r - a, 0, n)
        c1 = np.clip(cols, 0, m)
        c0 = np.clip(cols - b, 0, m)
        # chance: what a random link of the same size would explain
        tx = -(self.exp_s[r1] - self.exp_s[r0]) * (self.size_t[c1] - self.size_t[c0]) / self.mean_t
        ty = -(self.exp_t[c1] - self.exp_t[c0]) * (self.size_s[r1] - self.size_s[r0]) / self.mean_s
        if width == 0 or n == 0:
            return 0.5 * (tx + ty) * np.ones(cols.shape)
        last = np.clip(r - 1, 0, n - 1)
        xb = self.x[b]
        for da in range(a):
            i = np.clip(r - 1 - da, 0, n - 1)
            k = cols - 1 - self.plo[i]
            tx = tx + np.where((k >= 0) & (k < width),
                               xb[np.broadcast_to(i, k.shape), np.clip(k, 0, width - 1)], 0.0)
        ya = self.y[a]
        for db in range(b):
            k = cols - 1 - db - self.plo[last]
            ty = ty + np.where((k >= 0) & (k < width),
                               ya[np.broadcast_to(last, k.shape), np.clip(k, 0, width - 1)], 0.0)
        # Half of each side. Taking the smaller side instead (so that a word said once on one
        # side and twice on the other explains one occurrence) was tried: worse on every book.
        return 0.5 * (tx + ty)


def build(src_keys: Sequence[set[int]], tgt_keys: Sequence[set[int]], weights: np.ndarray,
          ps: np.ndarray, pt: np.ndarray, lo: np.ndarray, hi: np.ndarray, amax: int,
          bmax: int) -> Evidence:
    """Evidence tables for the pairs a band with these link shapes can use."""
    n, m = len(src_keys), len(tgt_keys)
    live = weights > 0.0
    si, sk = _incidences(src_keys, live)
    tj, tk = _incidences(tgt_keys, live)
    idx = np.arange(n)
    plo = np.clip(lo[np.minimum(idx + 1, n)] - bmax, 0, m).astype(np.int64)
    phi = np.clip(hi[np.minimum(idx + amax, n)], 0, m).astype(np.int64)
    phi = np.maximum(phi, plo)
    width = int((phi - plo).max()) if n else 0

    size_s = np.bincount(si, minlength=n).astype(np.float64)
    size_t = np.bincount(tj, minlength=m).astype(np.float64)
    exp_s = np.bincount(si, weights=weights[sk] * pt[sk], minlength=n)
    exp_t = np.bincount(tj, weights=weights[tk] * ps[tk], minlength=m)

    # join source and target incidences of the same key inside each row's window
    stride = m + 1
    order = np.argsort(tk * stride + tj, kind="stable")
    enc = (tk * stride + tj)[order]
    t_sorted = tj[order]
    lo_code = sk * stride + np.maximum(plo[si] - bmax, 0)
    hi_code = sk * stride + phi[si]
    starts = np.searchsorted(enc, lo_code)
    counts = np.searchsorted(enc, hi_code) - starts
    total = int(counts.sum())
    inc = np.repeat(np.arange(len(si)), counts)
    offs = np.concatenate(([0], np.cumsum(counts)[:-1]))
    pos = starts[inc] + (np.arange(total) - offs[inc])
    pi = si[inc]
    pj = t_sorted[pos]
    pw = weights[sk[inc]].astype(np.float64)

    x: dict[int, np.ndarray] = {}
    y: dict[int, np.ndarray] = {}
    # x: per source incidence, target occurrences in increasing j
    same = np.zeros(total, dtype=bool)
    same[1:] = inc[1:] == inc[:-1]
    prev_j = np.where(same, np.roll(pj, 1), -(10 ** 9))
    for b in range(1, bmax + 1):
        x[b] = _emit(n, width, plo, phi, pi, pj, prev_j, pw, b, along_rows=False)
    # y: per target incidence, source occurrences in increasing i
    order2 = np.lexsort((pi, pos))
    qi, qj, qw, qpos = pi[order2], pj[order2], pw[order2], pos[order2]
    same2 = np.zeros(total, dtype=bool)
    same2[1:] = qpos[1:] == qpos[:-1]
    prev_i = np.where(same2, np.roll(qi, 1), -(10 ** 9))
    for a in range(1, amax + 1):
        y[a] = _emit(n, width, plo, phi, qi, qj, prev_i, qw, a, along_rows=True)

    mean_s = max(float(size_s.mean()) if n else 1.0, 1e-9)
    mean_t = max(float(size_t.mean()) if m else 1.0, 1e-9)
    return Evidence(x, y, plo, _prefix(exp_s), _prefix(exp_t), _prefix(size_s),
                    _prefix(size_t), mean_s, mean_t)


def _emit(n: int, width: int, plo: np.ndarray, phi: np.ndarray, pi: np.ndarray,
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
        ok = fresh & (end_i < n)
        ei = np.where(ok, end_i, 0)
        col = end_j - plo[ei]
        ok &= (col >= 0) & (col < width) & (end_j < phi[ei])
        if ok.any():
            out += np.bincount(ei[ok] * width + col[ok], weights=w[ok], minlength=len(out))
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
