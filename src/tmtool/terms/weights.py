"""The shipped termhood model, written by benchmarks/bench_terms.py --train.

Gradient-boosted trees (scikit-learn's histogram boosting: max_iter=300, learning_rate=0.05,
max_depth=5, min_samples_leaf=100, l2_regularization=1.0, early_stopping=False) fitted on all
three ACTER domains (corp, equi, wind), one model per language, over the features of
rank.features(), blended with a logistic regression (L2 1e-4, 0.3 of the probability); both are
in tmtool/data/term_model.json.gz. CUTOFF is the rule rank.keep_count() applies, with the mean
share of terms among the candidates of the three domains. The short-text models
(rank.is_short()) are fitted the same way on the corpora plus their 700-word excerpts.
"""

from __future__ import annotations

from .trees import TermModel, load_models

CUTOFF: dict[str, tuple[str, float]] = {
    "en": ("blend", 0.0530),
    "fr": ("blend", 0.0441),
}


def model(lang: str, short: bool = False) -> TermModel:
    """The fitted model for ``lang`` ("en" or "fr"), or its short-text model."""
    return load_models()[f"{lang}-short" if short else lang]
