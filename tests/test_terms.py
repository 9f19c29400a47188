"""Term extraction, acronyms and pairing on small texts made for the purpose."""

from __future__ import annotations

from pathlib import Path

import pytest

from tmtool.errors import UsageError
from tmtool.terms import extract_terms, find_acronyms, pair_terms, rank_equivalents
from tmtool.terms.candidates import collect, join_words, tokenize

DATA = Path(__file__).resolve().parent / "data" / "terms"


def keys(text: str, lang: str) -> set[str]:
    return set(collect([text], lang)[0])


def test_french_noun_phrases_with_de_and_elision() -> None:
    k = keys("Le secrétaire général de l'OTAN parle d'un cessez-le-feu.", "fr")
    assert "secrétaire général de l'otan" in k
    assert "cessez-le-feu" in k
    assert "secrétaire général" in k
    assert "parle" in k
    assert not any(c.startswith(("de ", "l'", "le ")) or c.endswith((" de", " le")) for c in k)


def test_french_candidates_keep_numbers_and_english_names() -> None:
    k = keys("Un plan de paix en 20 points et l'article 5 ; la Coalition of the Willing.", "fr")
    assert {"plan de paix en 20 points", "article 5", "coalition of the willing"} <= k
    assert "20" not in k  # a bare number is not a term


def test_english_candidates_stop_at_function_words_and_punctuation() -> None:
    k = keys("The NATO Secretary General's 20-point peace plan, and abuse of functions.", "en")
    assert {"nato secretary general", "20-point peace plan", "abuse of functions"} <= k
    assert "general's" not in k and "plan and abuse" not in k
    assert not any(c.split()[0] in ("the", "and", "of") for c in k)


def test_tokenize_marks_sentence_starts_and_joins_elisions() -> None:
    toks = tokenize("Fin. Début d'équitation")
    assert [t.initial for t in toks if t.kind == "word"] == [True, True, False]
    assert join_words(["école", "d'", "équitation"]) == "école d'équitation"


@pytest.mark.parametrize("text, expected", [
    ("l'Organisation du traité de l'Atlantique Nord (OTAN) compte 32 membres.",
     ("OTAN", "Organisation du traité de l'Atlantique Nord")),
    ("The North Atlantic Treaty Organization (NATO) has 32 members.",
     ("NATO", "North Atlantic Treaty Organization")),
    ("Selon l'OCDE (Organisation de coopération et de développement économiques), rien.",
     ("OCDE", "Organisation de coopération et de développement économiques")),
])
def test_acronyms_paired_with_expansions(text: str, expected: tuple[str, str]) -> None:
    assert find_acronyms(text) == [expected]


def test_parentheses_that_are_not_acronyms_give_nothing() -> None:
    assert find_acronyms("It rose in 2003 (see above) and fell (slightly).") == []


DOC = (
    "Le comité de surveillance examine le blanchiment de capitaux. " * 3
    + "Le rapport annuel du comité de surveillance décrit le blanchiment de capitaux. "
    + "Il fait beau et nous sommes contents aujourd'hui. "
)


def test_extract_ranks_repeated_specific_phrases_first() -> None:
    terms = extract_terms([DOC], "fr", threshold=0.0)
    names = [t.term for t in terms]
    assert names.index("comité de surveillance") < names.index("beau")
    assert names.index("blanchiment de capitaux") < names.index("contents")
    top = terms[0]
    assert 0.0 <= top.score <= 1.0 and top.frequency >= 1


def test_cut_off_is_chosen_by_the_tool_and_limit_caps_it() -> None:
    all_terms = extract_terms([DOC], "fr", threshold=0.0)
    default = extract_terms([DOC], "fr")
    assert 0 < len(default) < len(all_terms)
    scores = [t.score for t in default]
    assert scores == sorted(scores, reverse=True)
    assert [t.term for t in extract_terms([DOC], "fr", limit=2)] == [t.term for t in default[:2]]


def test_extract_rejects_other_languages_and_bad_limits() -> None:
    with pytest.raises(UsageError):
        extract_terms(["Der Hund"], "de")
    with pytest.raises(UsageError):
        extract_terms(["texte"], "fr", limit=-1)


def bitext() -> list[tuple[str, str]]:
    lines = (DATA / "bitext.tsv").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line]  # type: ignore[misc]


@pytest.mark.parametrize("fr, en", [
    ("comité de surveillance", "monitoring committee"),
    ("rapport annuel", "annual report"),
    ("blanchiment de capitaux", "money laundering"),
    ("conseil d'administration", "board of directors"),
    ("budget", "budget"),
])
def test_rank_equivalents_on_a_small_bitext(fr: str, en: str) -> None:
    ranked = rank_equivalents(bitext(), fr)
    assert ranked[0].en.lower() == en
    assert ranked[0].count >= 2
    assert 0.0 <= ranked[0].confidence <= 1.0
    assert fr.split()[0] in ranked[0].context_fr.lower()


def test_pair_terms_restricted_to_english_terms_and_confidence() -> None:
    result = pair_terms(bitext(), ["rapport annuel", "absent du texte"],
                        ["annual report", "company", "monitoring committee"])
    assert [(p.fr, p.en) for p in result] == [("rapport annuel", "annual report")]
    assert pair_terms(bitext(), ["rapport annuel"], min_confidence=1.01) == []
