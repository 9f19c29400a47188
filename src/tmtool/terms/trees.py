"""The termhood model: boosted decision trees (and a linear part), applied with numpy.

Termhood depends on interactions a linear model misses (a rare word is a good sign in a
capitalised name, a bad one in a line of Turkish), so the model is a gradient-boosted tree
ensemble. It is fitted offline (benchmarks/bench_terms.py --train) and stored as flat node
arrays; prediction walks every tree one level at a time over all candidates at once.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..errors import UsageError

MODEL_FILE = "term_model.json.gz"
BLOCK = 2048


@dataclass(frozen=True, slots=True)
class Forest:
    """Trees as flat node arrays; a node with feature -1 is a leaf holding ``value``.

    ``roots`` are the indices of each tree's first node; children indices are absolute.
    """

    baseline: float
    roots: Any  # np.ndarray[int]
    feature: Any
    threshold: Any
    left: Any
    right: Any
    value: Any
    depth: int
    n_features: int

    def raw(self, X: Any) -> Any:
        """Summed leaf values (log-odds) for the rows of ``X``."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"expected {self.n_features} features, got shape {X.shape}")
        out = np.empty(X.shape[0])
        for start in range(0, X.shape[0], BLOCK):  # blocks of rows keep the arrays in cache
            Xb = X[start:start + BLOCK]
            node = np.broadcast_to(self.roots, (len(Xb), len(self.roots))).copy()
            rows = np.arange(len(Xb))[:, None]
            for _ in range(self.depth):
                f = self.feature[node]
                leaf = f < 0
                x = Xb[rows, np.where(leaf, 0, f)]
                nxt = np.where(x <= self.threshold[node], self.left[node], self.right[node])
                node = np.where(leaf, node, nxt)
            out[start:start + len(Xb)] = self.baseline + self.value[node].sum(axis=1)
        return out

    def proba(self, X: Any) -> Any:
        """Probabilities of the positive class."""
        return 1.0 / (1.0 + np.exp(-np.clip(self.raw(X), -50.0, 50.0)))

    def to_json(self) -> dict[str, Any]:
        return {"baseline": self.baseline, "depth": self.depth, "n_features": self.n_features,
                "roots": self.roots.tolist(), "feature": self.feature.tolist(),
                "threshold": self.threshold.tolist(), "left": self.left.tolist(),
                "right": self.right.tolist(), "value": self.value.tolist()}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Forest:
        return cls(float(d["baseline"]), np.array(d["roots"], dtype=np.int64),
                   np.array(d["feature"], dtype=np.int64),
                   np.array(d["threshold"], dtype=np.float64),
                   np.array(d["left"], dtype=np.int64), np.array(d["right"], dtype=np.int64),
                   np.array(d["value"], dtype=np.float64), int(d["depth"]),
                   int(d["n_features"]))


@dataclass(frozen=True, slots=True)
class TermModel:
    """Trees blended with a logistic model over the same features.

    The linear part extrapolates more smoothly to a domain unlike the fitting ones; a
    share ``blend`` of it in the probability was measured leave-one-domain-out (better in
    English, even in French).
    """

    forest: Forest
    weights: Any  # np.ndarray, one per feature (raw values)
    bias: float
    blend: float

    def proba(self, X: Any) -> Any:
        X = np.asarray(X, dtype=np.float64)
        z = np.clip(X @ self.weights + self.bias, -50.0, 50.0)
        return (1.0 - self.blend) * self.forest.proba(X) + self.blend / (1.0 + np.exp(-z))

    def to_json(self) -> dict[str, Any]:
        return {"forest": self.forest.to_json(), "weights": self.weights.tolist(),
                "bias": self.bias, "blend": self.blend}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> TermModel:
        return cls(Forest.from_json(d["forest"]), np.array(d["weights"], dtype=np.float64),
                   float(d["bias"]), float(d["blend"]))


@lru_cache(maxsize=1)
def load_models() -> dict[str, TermModel]:
    """The shipped models, one per language."""
    try:
        raw = resources.files("tmtool").joinpath("data", MODEL_FILE).read_bytes()
    except FileNotFoundError as e:
        raise UsageError(f"the termhood model {MODEL_FILE} is missing from tmtool/data") from e
    data = json.loads(gzip.decompress(raw))
    return {lang: TermModel.from_json(m) for lang, m in data.items()}


def save_models(models: Mapping[str, TermModel], path: Any) -> None:
    """Write one model per language as compact gzipped JSON."""
    data = {lang: m.to_json() for lang, m in models.items()}
    text = json.dumps(data, separators=(",", ":"), sort_keys=True)
    with open(path, "wb") as f:
        f.write(gzip.compress(text.encode("utf-8"), mtime=0))
