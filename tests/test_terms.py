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


def test_weakest_link_separates_cognates_from_a_single_co_occurrence() -> None:
    from tmtool.terms.build import ALONE
    from tmtool.terms.pairing import Bitext, weakest_link

    bt = Bitext([("La coalition durcit le ton.", "The coalition takes a harder line."),
                 ("La coalition se réunit.", "The coalition meets.")])
    assert weakest_link(bt, "coalition", "coalition") > ALONE
    assert weakest_link(bt, "durcit", "takes") == pytest.approx(ALONE)  # one shared segment
    assert weakest_link(bt, "durcit", "meets") < ALONE


def test_a_guess_among_hapaxes_of_one_segment_is_not_supported() -> None:
    from tmtool.terms.build import _supported
    from tmtool.terms.pairing import Bitext, rank_equivalents

    bt = Bitext([("La coalition durcit le ton.", "The coalition takes a harder line."),
                 ("La coalition se réunit.", "The coalition meets.")])
    ranked = rank_equivalents(bt, "durcit")
    assert ranked and not _supported(bt, ranked[0], ranked[1:])
    ranked = rank_equivalents(bt, "coalition")
    assert ranked[0].en == "coalition" and _supported(bt, ranked[0], ranked[1:])


def test_a_french_word_matching_a_whole_english_compound_explains_its_parts() -> None:
    pairs = [("Le cofinancement est prévu.", "Co-financing is provided."),
             ("Le cofinancement du projet.", "The co-financing of the project."),
             ("Un financement public.", "Public financing.")]
    ranked = rank_equivalents(pairs, "cofinancement")
    assert ranked[0].en.lower() == "co-financing"


def test_spellings_differing_by_a_hyphen_share_evidence_and_the_usual_one_wins() -> None:
    pairs = [("La coopération administrative.", "Administrative co-operation."),
             ("Renforcer la coopération administrative.", "Stronger administrative cooperation."),
             ("Une coopération étroite.", "Close cooperation."),
             ("La coopération judiciaire.", "Judicial cooperation.")]
    ranked = rank_equivalents(pairs, "coopération administrative")
    assert ranked[0].en.lower() == "administrative cooperation"
    assert ranked[1].en.lower() == "administrative co-operation"
    assert ranked[0].confidence == pytest.approx(ranked[1].confidence, abs=0.01)


def test_numbers_keep_their_decimal_comma() -> None:
    words = [t.text for t in tokenize("Estimées à 1,1 million, puis 3, 4 ou 5.")]
    assert "1,1" in words and "3" in words and "4" in words
    assert "1,1 million" in keys("Les pertes estimées à 1,1 million d'hommes.", "fr")


def test_fragment_features_mark_a_part_of_one_longer_candidate() -> None:
    from tmtool.terms.rank import features, read_corpus

    text = " ".join(f"A joint implementation supervisory committee was there on day {i}. "
                    "The committee agreed." for i in range(6))
    corpus = read_corpus([text], "en")
    part = features(corpus.cands["supervisory committee"], corpus)[-4:]
    whole = features(corpus.cands["joint implementation supervisory committee"], corpus)[-4:]
    alone = features(corpus.cands["committee"], corpus)[-4:]
    assert part[:3] == [1.0, 1.0, 0.0]  # always inside the longer candidate
    assert whole[:3] == [0.0, 0.0, 1.0]
    assert alone[1] == 0.0  # "the committee agreed": half its occurrences stand alone
