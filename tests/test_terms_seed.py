"""The seed terms of the bundled corpus come out as glossary pairs; clause fragments do not."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from seed_pairs import SEED_PAIRS

from tmtool.model import Term, TermEntry
from tmtool.terms.build import build_glossary, flaw, merge_curated, to_entries
from tmtool.terms.pairing import Bitext, TermPair

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
CORPUS = ROOT / "corpora"



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
    (entry,) = to_entries([TermPair("cessez-le-feu", "ceasefire", 0.8, 2, "un cessez-le-feu",
                                    "a ceasefire")], source="doc.fr.txt")
    assert [(t.text, t.lang) for t in entry.terms] == [("cessez-le-feu", "fr"),
                                                      ("ceasefire", "en")]
    assert entry.confidence == 0.8
    assert entry.terms[0].context == "un cessez-le-feu"


# -- precision: pairs must have the shape of terms on both sides -----------------------------

NEWS = Bitext([
    ("Kiev redoute une paix imposée sans protections.", "Kyiv fears a peace imposed without "
     "protections."),
    ("Kiev a salué l'engagement français.", "Kyiv welcomed the French commitment."),
    ("Sur le terrain, la ligne de front a peu bougé en 2025.",
     "On the ground, the front line moved little in 2025."),
    ("Les réunions se tiendront le 24 décembre.", "The meetings will be held on 24 December."),
    ("Les États-Unis participeront-ils à ce dispositif ?",
     "Will the United States take part in this arrangement?"),
    ("Il est prêt à sacrifier des hommes.", "He is willing to sacrifice men."),
    ("Un message d'unité", "A Message of Unity"),
])


def pair(fr: str, en: str, count: int = 1) -> TermPair:
    return TermPair(fr, en, 0.9, count)


@pytest.mark.parametrize("fr, en", [
    ("Kiev redoute", "Kyiv fears"),  # a subject and its verb
    ("paix imposée", "peace imposed"),  # an English participle
    ("24 décembre", "24 December"),  # a date
    ("États-Unis participeront-ils", "United States"),  # a question's verb
    ("sacrifier", "sacrifice"),  # an infinitive after "à"
])
def test_clause_fragments_are_not_terms(fr: str, en: str) -> None:
    assert flaw(NEWS, pair(fr, en)) is not None


def test_term_cut_short_beside_a_cognate() -> None:
    fr, en = "Il a signalé une omission intentionnelle.", "He reported an intentional omission."
    bt = Bitext([(fr, en)])
    assert flaw(bt, TermPair("omission intentionnelle", "omission", 0.9, 1, fr, en)) is not None
    assert flaw(bt, TermPair("omission intentionnelle", "intentional omission", 0.9, 1, fr,
                             en)) is None


def test_term_shapes_pass() -> None:
    assert flaw(NEWS, pair("ligne de front", "front line")) is None
    assert flaw(NEWS, pair("engagement français", "French commitment")) is None
    assert flaw(NEWS, pair("Kiev", "Kyiv", 2)) is None
    assert flaw(NEWS, pair("message d'unité", "message of unity")) is None


def test_written_forms_ignore_headings_and_sentence_starts() -> None:
    assert NEWS.cased("message of unity", "en") == "message of unity"
    assert NEWS.cased("Ligne de front", "fr") == "ligne de front"
    assert NEWS.cased("french commitment", "en") == "French commitment"


def test_bundled_build_drops_clause_fragments(glossary: dict[str, str]) -> None:
    fr_terms = {fr.lower() for fr in glossary}
    # a headline's subject and verb, and a sentence's, are not glossary entries
    assert "otan durcit" not in fr_terms and "kiev redoute" not in fr_terms
    assert not any(en.endswith("ed") and len(en) > 4 for en in glossary.values())


def test_merge_curated_keeps_curated_entries_and_adds_the_rest() -> None:
    curated = [TermEntry((Term("pertes", "fr-FR"), Term("casualties", "en-GB")),
                         definition="Soldiers killed or wounded")]
    built = [
        TermEntry((Term("pertes", "fr", context="Les pertes russes.", source="a.fr.txt"),
                   Term("losses", "en", context="Russian losses.", source="a.en.txt")),
                  confidence=0.8),
        TermEntry((Term("ligne de front", "fr"), Term("front line", "en")), confidence=0.9),
    ]
    merged = merge_curated(curated, built)
    assert len(merged) == 2
    first, second = merged
    assert [t.text for t in first.terms] == ["pertes", "casualties"]
    assert first.definition == "Soldiers killed or wounded" and first.confidence is None
    assert first.terms[0].context == "Les pertes russes." and first.terms[1].context is None
    assert [(t.text, t.lang) for t in second.terms] == [("ligne de front", "fr-FR"),
                                                       ("front line", "en-GB")]


_words = st.sampled_from(["paix", "guerre", "front", "ligne", "peace", "war", "line", "plan"])


@given(st.lists(st.tuples(_words, _words), max_size=5), st.lists(st.tuples(_words, _words),
                                                                 max_size=8))
def test_merge_curated_properties(curated_pairs: list[tuple[str, str]],
                                  built_pairs: list[tuple[str, str]]) -> None:
    curated = [TermEntry((Term(f, "fr-FR"), Term(e, "en-GB"))) for f, e in curated_pairs]
    built = [TermEntry((Term(f, "fr"), Term(e, "en")), confidence=0.5) for f, e in built_pairs]
    merged = merge_curated(curated, built)
    # curated entries first, their terms unchanged
    assert [[t.text for t in e.terms] for e in merged[:len(curated)]] == [
        [t.text for t in e.terms] for e in curated]
    cur_terms = {(t.lang[:2], t.text) for e in curated for t in e.terms}
    for e in merged[len(curated):]:  # no added entry repeats a curated term
        assert not {(t.lang[:2], t.text) for t in e.terms} & cur_terms
    assert len(merged) <= len(curated) + len(built)


def test_names_come_without_titles_and_initialisms_with_their_dots(
        glossary: dict[str, str]) -> None:
    """"Mme Ursula von der Leyen" is the name with a title before it; "U.N" is no way to
    write the U.N."""
    assert glossary.get("Ursula von der Leyen") == "Ursula von der Leyen"
    assert not any(t.split()[0] in ("M.", "Mme", "Mr", "Mrs") for pair in glossary.items()
                   for t in pair)
    assert glossary.get("ONU") == "U.N."
