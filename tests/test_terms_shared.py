"""Regression guards on the evaluation data in ../shared (skipped when it is absent).

The full figures are printed by benchmarks/bench_terms.py; these only catch a method that broke.
"""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tmtool.terms import extract_terms, rank_equivalents
from tmtool.terms.candidates import collect, join_words
from tmtool.terms.lexicon import LINKERS, STOPWORDS
from tmtool.terms.pairing import Bitext


def norm(s: str) -> str:
    return " ".join(s.lower().split())


def test_extraction_on_a_held_out_acter_domain(shared: Path) -> None:
    d = shared / "data" / "terms" / "acter" / "en" / "equi"
    texts = [p.read_text(encoding="utf-8") for p in sorted((d / "texts").iterdir())]
    gold = {norm(line.split("\t")[0]) for line in
            (d / "equi_en_terms_nes.tsv").read_text(encoding="utf-8").splitlines() if line}
    system = {norm(t.term) for t in extract_terms(texts, "en")}
    tp = len(system & gold)
    f1 = 2 * tp / (len(system) + len(gold))
    assert f1 > 0.45  # frequency x specificity: 0.39, spaCy patterns: 0.45


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
