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
    from tmtool.terms.rank import fragment, read_corpus

    text = " ".join(f"A joint implementation supervisory committee was there on day {i}. "
                    "The committee agreed." for i in range(6))
    corpus = read_corpus([text], "en")
    part = fragment(corpus.cands["supervisory committee"], corpus)
    whole = fragment(corpus.cands["joint implementation supervisory committee"], corpus)
    alone = fragment(corpus.cands["committee"], corpus)
    assert part[:3] == [1.0, 1.0, 0.0]  # always inside the longer candidate
    assert whole[:3] == [0.0, 0.0, 1.0]
    assert alone[1] == 0.0  # "the committee agreed": half its occurrences stand alone


def test_neighbour_classes_tell_nouns_from_verbs() -> None:
    from tmtool.terms.rank import _profile, read_corpus

    text = "The rotor turns. A rotor stops. The blade turns. It turns slowly. They turn it."
    corpus = read_corpus([text], "en")
    rotor, turns = _profile("rotor", corpus), _profile("turns", corpus)
    assert rotor[1] == 1.0  # always after a determiner
    assert turns[1] == 0.0 and turns[3] > 0  # after a pronoun once
    assert corpus.cands["rotor"].right[0] == 0 and corpus.cands["turns"].right[0] >= 2


def test_lines_in_another_language_are_marked_foreign() -> None:
    from tmtool.terms.rank import read_corpus

    text = ("The wind turbine rotor turns in the wind.\n"
            "Yatay eksenli rüzgar türbin palaları hesaplandı.\n")
    cands = read_corpus([text], "en").cands
    assert cands["rüzgar"].foreign / cands["rüzgar"].freq > 0.5
    assert cands["wind turbine rotor"].foreign / cands["wind turbine rotor"].freq < 0.2


@pytest.mark.parametrize("lang, word, single", [
    ("en", "rotors", "rotor"), ("en", "properties", "property"), ("en", "gas", "gas"),
    ("en", "boxes", "box"), ("fr", "chevaux", "cheval"), ("fr", "éoliennes", "éolienne"),
    ("fr", "corps", "corp"), ("fr", "bus", "bus"),
])
def test_plural_variants_share_a_group(lang: str, word: str, single: str) -> None:
    from tmtool.terms.rank import singular

    assert singular(word, lang) == single


def test_variant_counts_add_up() -> None:
    from tmtool.terms.rank import group_key, read_corpus

    corpus = read_corpus(["The rotor blade. Two rotor blades. Rotor blades again."], "en")
    freq, _ = corpus.groups[group_key(("rotor", "blade"), "en")]
    assert freq == 3 and corpus.cands["rotor blades"].freq == 2


def test_phrase_frequency_combines_word_frequencies_as_wordfreq_does() -> None:
    from wordfreq import zipf_frequency

    from tmtool.terms.rank import phrase_zipf, zipf

    for phrase in ("wind turbine", "abuse of functions", "conseil d'administration"):
        lang = "fr" if "'" in phrase else "en"
        words = phrase.replace("'", "' ").split()
        assert phrase_zipf([zipf(w, lang) for w in words]) == pytest.approx(
            zipf_frequency(phrase, lang), abs=0.05)
    assert phrase_zipf([3.0, 0.0]) == 0.0  # an unknown word makes the phrase unknown


def test_acronyms_are_found_far_into_a_long_text() -> None:
    filler = "Nothing to see here, really. " * 5000
    text = filler + "The Organisation for Economic Co-operation and Development (OECD) met."
    assert find_acronyms(text) == [("OECD", "Organisation for Economic Co-operation and "
                                            "Development")]


def test_forest_walks_each_tree_to_a_leaf_and_round_trips() -> None:
    import numpy as np

    from tmtool.terms.trees import Forest, TermModel

    # tree 1: x0 <= 0.5 ? -1 : (x1 <= 2 ? 0.5 : 2); tree 2: a single leaf 0.25
    forest = Forest(0.1, np.array([0, 5]), np.array([0, -1, 1, -1, -1, -1]),
                    np.array([0.5, 0, 2.0, 0, 0, 0]), np.array([1, -1, 3, -1, -1, -1]),
                    np.array([2, -1, 4, -1, -1, -1]), np.array([0, -1.0, 0, 0.5, 2.0, 0.25]),
                    2, 2)
    X = np.array([[0.0, 9.0], [1.0, 1.0], [1.0, 3.0]])
    assert forest.raw(X).tolist() == pytest.approx([-0.65, 0.85, 2.35])
    again = Forest.from_json(forest.to_json())
    assert again.raw(X).tolist() == pytest.approx(forest.raw(X).tolist())
    model = TermModel(forest, np.zeros(2), 0.0, 0.5)
    assert model.proba(X).tolist() == pytest.approx(
        (0.5 * forest.proba(X) + 0.25).tolist())
    with pytest.raises(ValueError):
        forest.raw(np.zeros((2, 3)))


def test_cut_off_rules() -> None:
    from tmtool.terms.rank import SHARE_MIN_CANDIDATES, keep_count

    probs = [0.9, 0.8, 0.4, 0.2, 0.1]
    assert keep_count(probs, "threshold", 0.3) == 3
    assert keep_count(probs, "blend", 0.5) == 2  # a short text: the expected count, 2.4
    many = [0.5] * 1000 + [0.0] * (SHARE_MIN_CANDIDATES * 2 - 1000)
    # sqrt(expected 500 x share 0.05 x 10,000 candidates) = 500
    assert keep_count(many, "blend", 0.05) == 500
    assert keep_count(many, "blend", 0.2) == 1000
    with pytest.raises(ValueError):
        keep_count(probs, "nonsense", 0.5)


def test_a_title_before_a_name_is_no_part_of_it() -> None:
    assert "ursula von der leyen" in keys("Selon Mme Ursula von der Leyen, rien.", "fr")
    assert not any(k.startswith("mme") for k in keys("Selon Mme Ursula von der Leyen.", "fr"))
    assert not any(k.startswith("mrs") for k in keys("Mrs Ursula von der Leyen said.", "en"))


def test_extract_shows_terms_as_the_text_writes_them_inside_sentences() -> None:
    doc = ("Le texte prévoit une adhésion à l'Union européenne. " * 2
           + "Union européenne et OTAN divergent. Les accords de Minsk ont échoué. "
           + "Selon les accords de Minsk, le cessez-le-feu devait tenir. ")
    terms = {t.term for t in extract_terms([doc], "fr", threshold=0.0)}
    assert "Union européenne" in terms and "accords de Minsk" in terms
    assert "union européenne" not in terms


def test_terms_only_opening_sentences_take_each_word_s_case_from_inside_sentences() -> None:
    doc = ("Vance met European leaders on Monday. Officials praised JD Vance. "
           "Christmas Eve conversation was long. Security officials met again. "
           "Officials said little.")
    cands = collect([doc], "en")[0]
    assert cands["vance met"].surface == "Vance met"  # "Vance" inside a sentence
    assert cands["christmas eve conversation"].surface == "Christmas Eve conversation"
    assert cands["security officials"].surface == "security officials"
    terms = {t.term for t in extract_terms([doc], "en", threshold=0.0)}
    assert "officials" in terms and "Officials" not in terms


def test_a_built_glossary_holds_one_pair_per_inflected_form() -> None:
    from tmtool.terms.build import _one_per_lemma
    from tmtool.terms.pairing import TermPair

    pairs = [TermPair("alliés", "allies", 0.94, 2), TermPair("allié", "ally", 0.93, 2),
             TermPair("alliance", "alliance", 0.9, 1)]
    assert [p.fr for p in _one_per_lemma(pairs)] == ["alliés", "alliance"]


def test_a_title_s_full_stop_ends_no_sentence() -> None:
    doc = ("M. Jean Dupont a parlé de défense collective. M. Jean Dupont a ensuite parlé avec "
           "Mme Anne Martin.")
    terms = {t.term for t in extract_terms([doc], "fr", threshold=0.0)}
    assert "Jean Dupont" in terms and "jean dupont" not in terms
    assert not tokenize("M. Jean")[2].initial and tokenize("Fin. Jean")[2].initial


def test_a_word_cut_out_of_a_term_does_not_take_its_english() -> None:
    """"feuille" comes wherever "feuille de route" does, so it pairs with "roadmap" as well:
    the whole term wins. Not so when the longer term adds a word that goes with English the
    term lacks ("volontaires" = "Willing": "Coalition" is not its whole)."""
    from tmtool.terms.build import _fullest
    from tmtool.terms.pairing import Bitext, TermPair

    bt = Bitext([("La feuille de route est prête.", "The roadmap is ready."),
                 ("Cette feuille de route sera suivie.", "This roadmap will be followed."),
                 ("La coalition des volontaires se réunit.", "The Coalition of the Willing "
                                                             "meets."),
                 ("Les volontaires sont prêts.", "The willing are ready."),
                 ("La coalition des volontaires agit.", "The Coalition of the Willing acts.")])
    road = [TermPair("feuille", "roadmap", 0.90, 2), TermPair("feuille de route", "roadmap",
                                                                0.88, 2)]
    assert _fullest(bt, road).fr == "feuille de route"
    far = [road[0], TermPair("feuille de route", "roadmap", 0.80, 2)]  # much less sure
    assert _fullest(bt, far).fr == "feuille"
    coalition = [TermPair("coalition", "Coalition", 0.94, 2),
                 TermPair("coalition des volontaires", "Coalition", 0.92, 2)]
    assert _fullest(bt, coalition).fr == "coalition"


def test_an_acronym_s_long_form_is_kept_though_written_once_with_a_coordination() -> None:
    from tmtool.terms.build import flaw
    from tmtool.terms.pairing import Bitext, TermPair

    bt = Bitext([("La politique étrangère et de sécurité commune (PESC) est renforcée.",
                  "The Common Foreign and Security Policy (CFSP) is strengthened.")])
    p = TermPair("politique étrangère et de sécurité commune",
                 "Common Foreign and Security Policy", 0.96, 1)
    assert flaw(bt, p) == "coordination"  # a coordination seen once is usually two terms
    assert flaw(bt, p, frozenset({"politique étrangère et de sécurité commune"})) is None


def test_capitals_by_position_are_told_from_a_word_s_own() -> None:
    """A quotation inside a noun phrase keeps its first word's capital ('the "Danish
    model"'); a word after a number opening the line is capitalised by position."""
    from tmtool.terms.pairing import Bitext

    bt = Bitext([("Ils suivent le « modèle danois » depuis 2024.",
                  'They have followed the "Danish model" since 2024.'),
                 ("2.2 Formation et équipements", "2.2 Training and equipment")])
    assert bt.cased("danish model", "en") == "Danish model"
    assert "formation" not in bt.word_cases("fr") and "training" not in bt.word_cases("en")


@pytest.mark.parametrize(("fr", "en", "why"), [
    ("tranche de 2,5 milliards d'euros", "tranche of EUR 2.5 billion", "amount"),
    ("réunion des 19", "meeting on 19", "number cut from its date or count"),
])
def test_amounts_and_cut_dates_are_no_terms(fr: str, en: str, why: str) -> None:
    from tmtool.terms.build import flaw
    from tmtool.terms.pairing import Bitext, TermPair

    bt = Bitext([(f"Le Conseil salue la {fr}.", f"The Council welcomes the {en}.")])
    assert flaw(bt, TermPair(fr, en, 0.9, 2)) == why


def test_a_number_naming_a_thing_stays_in_its_term() -> None:
    from tmtool.terms.build import flaw
    from tmtool.terms.pairing import Bitext, TermPair

    bt = Bitext([("Les alliés invoquent l'article 5 du traité et le plan de paix en 20 points.",
                  "The allies invoke Article 5 of the treaty and the 20-point peace plan."),
                 ("Selon l'article 5, une attaque vise tous les alliés.",
                  "Under Article 5, an attack targets all allies.")])
    assert flaw(bt, TermPair("article 5", "Article 5", 0.9, 2)) is None
    for fr, en in (("émissions de CO2", "CO2 emissions"), ("sommet du G20", "G20 summit"),
                   ("pandémie de COVID-19", "COVID-19 pandemic")):
        named = Bitext([(f"Le texte traite des {fr} depuis 2020.",
                         f"The text deals with {en} since 2020.")] * 2)
        assert flaw(named, TermPair(fr, en, 0.9, 2)) != "number cut from its date or count"
    plan = flaw(bt, TermPair("plan de paix en 20 points", "20-point peace plan", 0.9, 1))
    assert plan not in ("amount", "number cut from its date or count")
