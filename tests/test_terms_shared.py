"""Regression guards on the evaluation data in ../shared (skipped when it is absent).

The full figures are printed by benchmarks/bench_terms.py; these only catch a method that broke.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmtool.terms import extract_terms, rank_equivalents
from tmtool.terms.candidates import collect, join_words
from tmtool.terms.lexicon import LINKERS, STOPWORDS
from tmtool.terms.pairing import Bitext


def norm(s: str) -> str:
    return " ".join(s.lower().split())


def acter(shared: Path, lang: str, domain: str) -> tuple[list[str], set[str]]:
    d = shared / "data" / "terms" / "acter" / lang / domain
    texts = [p.read_text(encoding="utf-8") for p in sorted((d / "texts").iterdir())]
    gold = {norm(line.split("\t")[0]) for line in
            (d / f"{domain}_{lang}_terms_nes.tsv").read_text(encoding="utf-8").splitlines()
            if line}
    return texts, gold


# The shipped model is fitted on all three ACTER domains, so these are fitting-set figures
# (en equi 65, fr corp 52 when written); the floors sit at the best held-out figures
# (leave-one-domain-out, benchmarks/bench_terms.py: en equi 54, fr corp 38) minus a margin,
# well above the README baselines (spaCy patterns: 44.7 and 25.8).
@pytest.mark.parametrize("lang, domain, floor", [("en", "equi", 0.50), ("fr", "corp", 0.36)])
def test_extraction_on_acter(shared: Path, lang: str, domain: str, floor: float) -> None:
    texts, gold = acter(shared, lang, domain)
    terms = extract_terms(texts, lang)
    system = {norm(t.term) for t in terms}
    assert len(system) == len(terms)  # one entry per lower-cased term
    tp = len(system & gold)
    assert 2 * tp / (len(system) + len(gold)) > floor
    # the cut-off keeps a number of terms of the order of the gold list's
    assert 0.5 * len(gold) < len(terms) < 2 * len(gold)


def test_candidates_hold_nearly_every_gold_term(shared: Path) -> None:
    texts, gold = acter(shared, "fr", "wind")
    cands = collect(texts, "fr")[0]
    assert len(gold & set(cands)) / len(gold) > 0.93  # 96.5% when written


def test_pairing_on_eurovoc_pairs(shared: Path) -> None:
    terms = shared / "data" / "terms"
    with (terms / "parallel" / "corp_en_fr.tsv").open(encoding="utf-8") as f:
        bt = Bitext((r["fr"], r["en"]) for r in csv.DictReader(f, delimiter="\t",
                                                                quoting=csv.QUOTE_NONE))
    with (terms / "pairs" / "eurovoc_acter_corp_dev.tsv").open(encoding="utf-8") as f:
        gold = [(r["fr"], r["en"]) for r in csv.DictReader(f, delimiter="\t")]
    right = 0
    for fr, en in gold:
        ranked = rank_equivalents(bt, fr, top=1)
        right += bool(ranked) and norm(ranked[0].en) == norm(en)
    assert right / len(gold) > 0.85  # co-occurrence Dice alone: 0.50


WORDS = st.sampled_from("le la de du garantie sécurité plan paix 20 points l' d' OTAN , . "
                        "conseil général Coalition of the Willing et".split())


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=30))
def test_candidates_never_start_or_end_with_function_words(words: list[str]) -> None:
    text = join_words(words)
    cands, _ = collect([text], "fr")
    edge = STOPWORDS["fr"] | LINKERS["fr"]
    for key, c in cands.items():
        assert c.words[0] not in edge and c.words[-1] not in edge
        assert join_words(c.words) == key
        assert c.freq >= 1
