"""The seed terms of the bundled corpus come out as glossary pairs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tmtool.terms.build import build_glossary, to_entries

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
CORPUS = ROOT / "corpora"

SEED_PAIRS = [
    ("garanties de sécurité", "security guarantees"),
    ("Coalition of the Willing", "Coalition of the Willing"),
    ("article 5", "Article 5"),
    ("plan de paix en 20 points", "20-point peace plan"),
    ("secrétaire général de l'OTAN", "NATO Secretary General"),
    ("cessez-le-feu", "ceasefire"),
]


def gold_pairs() -> list[tuple[str, str]]:
    fr = (DATA / "ukraine-security.fr.sents").read_text(encoding="utf-8").splitlines()
    en = (DATA / "ukraine-security.en.sents").read_text(encoding="utf-8").splitlines()
    pairs = []
    for line in (DATA / "ukraine-security.gold").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        src, tgt = (ast.literal_eval(side) for side in line.split(":"))
        if src and tgt:
            pairs.append((" ".join(fr[i] for i in src), " ".join(en[i] for i in tgt)))
    return pairs


@pytest.fixture(scope="module")
def glossary() -> dict[str, str]:
    if not (DATA / "ukraine-security.gold").exists():
        pytest.skip("the bundled corpus is not present")
    fr_doc = (CORPUS / "ukraine-security.fr.txt").read_text(encoding="utf-8")
    en_doc = (CORPUS / "ukraine-security.en.txt").read_text(encoding="utf-8")
    result = build_glossary(gold_pairs(), fr_texts=[fr_doc], en_texts=[en_doc])
    return {p.fr: p.en for p in result}


@pytest.mark.parametrize("fr, en", SEED_PAIRS)
def test_seed_pair(glossary: dict[str, str], fr: str, en: str) -> None:
    assert glossary.get(fr) == en


def test_acronym_pair_from_expansions(glossary: dict[str, str]) -> None:
    assert glossary.get("OTAN") == "NATO"


def test_entries_carry_both_languages_and_confidence() -> None:
    from tmtool.terms.pairing import TermPair

    (entry,) = to_entries([TermPair("cessez-le-feu", "ceasefire", 0.8, 2, "un cessez-le-feu",
                                    "a ceasefire")], source="doc.fr.txt")
    assert [(t.text, t.lang) for t in entry.terms] == [("cessez-le-feu", "fr"),
                                                      ("ceasefire", "en")]
    assert entry.confidence == 0.8
    assert entry.terms[0].context == "un cessez-le-feu"
