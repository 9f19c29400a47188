"""The two-pass sentence aligner: length + lexical evidence, then a lexicon learnt from pass 1.

Pass 1 searches a corridor around anchors (rare words shared by both sides) with length,
numbers, punctuation, identical words and cognates as evidence. Its 1-1 links then teach a
word lexicon (a small parallel corpus of this very text); pass 2 searches a narrow corridor
around the pass-1 path with that lexicon added.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from ..errors import UsageError
from ..model import Link
from . import band as bandmod
from .dp import Scorer, path_links, solve
from .evidence import Builder
from .length import estimate_ratio
from .lexical import Features, KeyTable, add_pair_keys, incidences, key_weights, sentence_features
from .lexicon import learn_lexicon
from .params import Settings

# the first corridor widens by this fraction of the distance between two anchors
_SPREAD = 0.15
_GLOSSARY_BOOST = 2.0


def run(src: Sequence[str], tgt: Sequence[str], settings: Settings,
        src_paras: Sequence[int] | None, tgt_paras: Sequence[int] | None,
        glossary: Iterable[tuple[str, str]] | None,
        fixed: Sequence[tuple[str, str]] = ()) -> tuple[list[Link], tuple[int, int]]:
    """Align two sentence lists (see ``tmtool.alignment.align``); with the links, their
    ``support``: how many pairs share a key of the texts themselves (not of the glossary or
    the learnt lexicon, which find something shared in any two texts), of how many pairs."""
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return ([Link((i,), (), 0.0) for i in range(n)]
                + [Link((), (j,), 0.0) for j in range(m)]), (0, 0)
    para_s = _para_starts(src_paras, n, "src_paras")
    para_t = _para_starts(tgt_paras, m, "tgt_paras")
    if para_s is None or para_t is None:
        para_s = para_t = None
    table = KeyTable()
    fs = sentence_features(src, table, settings.cognate_prefix)
    ft = sentence_features(tgt, table, settings.cognate_prefix)
    if fixed:  # numbers written out, days, months: weighed as any shared word
        add_pair_keys(fs, ft, fixed, table, "f")
    own_keys = len(table)  # keys numbered from here on are the glossary's and lexicon's
    if glossary is not None:
        add_pair_keys(fs, ft, list(glossary), table, "g", _GLOSSARY_BOOST)
    ratio = estimate_ratio(fs.lengths, ft.lengths)
    priors = _default_priors(settings)
    variance = settings.length_variance
    nulls = (_null_costs(fs.words, settings), _null_costs(ft.words, settings))

    inc = (incidences(fs.keys), incidences(ft.keys))
    base_weights = key_weights(inc[0][1], inc[1][1], n, m, len(table))
    weights = base_weights[0]
    points = bandmod.anchors(fs.keys, ft.keys, weights, min_weight=math.log((n + m + 50) / 9))
    lo, hi = bandmod.band_from_anchors(n, m, points, base=settings.band, spread=_SPREAD)
    path, totals = _pass(fs, ft, table, lo, hi, ratio, variance, priors, nulls, settings,
                         para_s, para_t, inc, base_weights)
    del inc, base_weights  # pass 2 rebuilds them with the lexicon keys

    first = set(zip(path, path[1:], strict=False))
    if settings.passes >= 2:
        # Re-estimating the length variance or shape priors from pass 1 was tried and made
        # links worse on every test book: pass 1's errors feed back into them. The lexicon
        # is robust to those errors because it keeps only pairs with a high Dice score.
        ones = [(r.start, t.start) for r, t in path_links(path) if len(r) == 1 and len(t) == 1]
        step = max(1, len(ones) // max(settings.lexicon_links, 1))
        lexicon = learn_lexicon(fs.words, ft.words, ones[::step],
                                min_dice=settings.lexicon_min_dice,
                                prefix=settings.cognate_prefix)
        # a learnt pair weighs in proportion to its Dice score
        scales = [d for d, _, _ in lexicon]
        if add_pair_keys(fs, ft, [(a, b) for _, a, b in lexicon], table, "l", scales):
            lo, hi = bandmod.band_from_path(n, m, path, settings.band)
            path, totals = _pass(fs, ft, table, lo, hi, ratio, variance, priors, nulls,
                                 settings, para_s, para_t)
    links = _with_confidence(path, totals, nulls, first)
    return links, support(fs.keys, ft.keys, links, own_keys)


def support(src_keys: Sequence[Iterable[int]], tgt_keys: Sequence[Iterable[int]],
            links: Sequence[Link], below: int | None = None) -> tuple[int, int]:
    """(links whose sides share a key, links with both sides); keys from ``below`` on do not
    count."""
    paired = shared = 0
    for link in links:
        if link.src and link.tgt:
            paired += 1
            keys = {k for i in link.src for k in src_keys[i]}
            shared += any(k in keys and (below is None or k < below)
                          for j in link.tgt for k in tgt_keys[j])
    return shared, paired


def _pass(fs: Features, ft: Features, table: KeyTable, lo: np.ndarray, hi: np.ndarray,
          ratio: float, variance: float, priors: dict[tuple[int, int], float],
          nulls: tuple[np.ndarray, np.ndarray], settings: Settings, para_s: np.ndarray | None,
          para_t: np.ndarray | None,
          inc: tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None,
          known: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
          ) -> tuple[list[tuple[int, int]], list[float]]:
    """One DP over the band; widens the band and retries where the path hits its edge.

    ``inc`` (the key incidences of both sides) and ``known`` (their ``key_weights``) are
    passed when the caller already has them for the current keys.
    """
    n, m = len(fs.lengths), len(ft.lengths)
    inc_s, inc_t = inc if inc is not None else (incidences(fs.keys), incidences(ft.keys))
    w, ps, pt = (known if known is not None
                 else key_weights(inc_s[1], inc_t[1], n, m, len(table)))
    w = w.copy()
    if table.scale:  # a user's glossary pair says more than a shared word or cognate
        keys = np.fromiter(table.scale, dtype=np.int64)
        w[keys] *= np.fromiter(table.scale.values(), dtype=np.float64)
    moves = settings.moves
    amax = max(a for a, _ in moves)
    bmax = max(b for _, b in moves)
    for attempt in range(3):
        builder = Builder(inc_s, inc_t, n, m, w, ps, pt, lo, hi, amax, bmax)
        scorer = Scorer(
            cs=np.concatenate(([0.0], np.cumsum(fs.lengths, dtype=np.float64))),
            ct=np.concatenate(([0.0], np.cumsum(ft.lengths, dtype=np.float64))),
            ratio=ratio, variance=variance, priors=priors, null_s=nulls[0], null_t=nulls[1],
            lexical_weight=settings.lexical_weight, builder=builder,
            para_s=para_s, para_t=para_t, para_bonus=settings.para_bonus)
        path, totals = solve(n, m, lo, hi, moves, scorer)
        if attempt == 2 or not bandmod.touches_edge(path, lo, hi, m):
            break
        width = 2 * settings.band * (attempt + 2)
        lo2, hi2 = bandmod.band_from_path(n, m, path, width)
        lo, hi = np.minimum(lo, lo2), np.maximum(hi, hi2)
    return path, totals


def _default_priors(settings: Settings) -> dict[tuple[int, int], float]:
    pri: dict[tuple[int, int], float] = {}
    for a, b in settings.moves:
        if a == 0 or b == 0:
            pri[(a, b)] = settings.null_cost
        else:
            pri[(a, b)] = settings.merge_cost * (a + b - 2)
            if a >= 2 and b >= 2:
                pri[(a, b)] += settings.many_cost
    return pri


def _para_starts(paras: Sequence[int] | None, count: int, name: str) -> np.ndarray | None:
    if paras is None:
        return None
    if len(paras) != count:
        raise UsageError(f"{name} has {len(paras)} entries for {count} sentences")
    p = np.asarray(paras)
    starts = np.ones(count, dtype=bool)
    starts[1:] = p[1:] != p[:-1]
    return starts


def _null_costs(words: Sequence[list[str]], settings: Settings) -> np.ndarray:
    """Prefix sums of the cost of leaving each sentence unlinked.

    A line without words (a page number, "....." or "- _-" from a scan, a separator) is
    often left out of a translation; absorbing it into a neighbouring link would cost a merge
    and make that link wrong, so such lines are cheaper to leave out. Short sentences with
    words ("Ah !") are not: translators usually join them to the next one.
    """
    cost = np.array([settings.null_cost if max(map(len, ws), default=0) >= 2
                     else min(settings.wordless_cost, settings.null_cost) for ws in words])
    return np.concatenate(([0.0], np.cumsum(cost)))


def _with_confidence(path: Sequence[tuple[int, int]], totals: Sequence[float],
                     nulls: tuple[np.ndarray, np.ndarray],
                     first: set[tuple[tuple[int, int], tuple[int, int]]]) -> list[Link]:
    """Links with a confidence in [0, 1].

    It grows with how much better the link is than leaving its sentences out, and is lowered
    for shapes that are more often wrong (merges of more sentences, null links) and for links
    that the first pass drew differently: on the test books a link that both passes agree on
    is right about twice as often as one they disagree on.
    """
    out: list[Link] = []
    null_s, null_t = nulls[0].tolist(), nulls[1].tolist()  # plain floats: no numpy scalars
    for n, ((i0, j0), (i1, j1)) in enumerate(zip(path, path[1:], strict=False)):
        a, b = i1 - i0, j1 - j0
        if a == 0 or b == 0:
            conf = 0.2
        else:
            left_out = null_s[i1] - null_s[i0] + null_t[j1] - null_t[j0]
            margin = left_out - (totals[n + 1] - totals[n])
            shape = 1.0 if a + b == 2 else 0.9 if a + b == 3 else 0.75
            conf = shape / (1.0 + math.exp(min(-(margin - 8.0) / 3.0, 50.0)))
        if ((i0, j0), (i1, j1)) not in first:
            conf *= 0.5
        out.append(Link(tuple(range(i0, i1)), tuple(range(j0, j1)), round(conf, 4)))
    return out
