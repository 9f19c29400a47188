"""Analysis of a document against the memory: match bands, repetitions, word counts."""

from __future__ import annotations

import pytest

from tmtool.analysis import BANDS, analyse_segments, analyse_text, band_of, word_count
from tmtool.memory import add_units
from tmtool.model import TranslationUnit, Variant
from tmtool.store import Store

PAIRS = [
    ("Le chat dort sur le canapé du salon.", "The cat sleeps on the living-room sofa."),
    ("Le rapport compte 12 pages et 3 annexes.", "The report has 12 pages and 3 appendices."),
    ("Les ministres se réunissent à Paris mardi prochain pour discuter du plan de paix.",
     "The ministers meet in Paris next Tuesday to discuss the peace plan."),
]
DOCUMENT = [
    "Le chat dort sur le canapé du salon.",  # 100%
    "Le rapport compte 14 pages et 3 annexes.",  # only a number differs: 98%
    "Les ministres se réunissent à Berlin mardi prochain pour discuter du plan de paix.",
    "Le  chat dort sur le canapé du salon.",  # the first segment again (spacing aside)
    "Une phrase entièrement nouvelle sans rien de commun.",
    "***",  # no word: nothing to translate
]


@pytest.fixture
def memory(store: Store) -> Store:
    add_units(store, [TranslationUnit((Variant("fr-FR", fr), Variant("en-GB", en)))
                      for fr, en in PAIRS])
    return store


def test_each_segment_gets_the_band_of_its_best_match(memory: Store) -> None:
    result = analyse_segments(memory, DOCUMENT, src="fr", tgt="en")
    assert [(s.band, s.score) for s in result.segments] == [
        ("100%", 100.0), ("95-99%", 98.0), ("85-94%", 92.8), ("repetitions", None),
        ("no match", None)]
    assert result.segments[1].target == "The report has 12 pages and 3 appendices."
    assert result.segments[2].source == PAIRS[2][0]


def test_bands_count_segments_words_and_characters(memory: Store) -> None:
    result = analyse_segments(memory, DOCUMENT, src="fr", tgt="en")
    bands = {b.band: b for b in result.bands}
    assert [b.band for b in result.bands] == list(BANDS)
    assert (bands["100%"].segments, bands["100%"].words) == (1, 8)
    assert bands["repetitions"].words == 8
    assert bands["100%"].characters == len("Lechatdortsurlecanapédusalon.")
    assert (bands["no match"].segments, bands["no match"].words) == (1, 8)
    assert bands["75-84%"].segments == bands["50-74%"].segments == 0
    assert result.total.segments == 5  # "***" has no word
    assert result.total.words == sum(s.words for s in result.segments) == 8 + 8 + 14 + 8 + 8


def test_a_match_needs_a_translation_in_the_target_language(memory: Store) -> None:
    result = analyse_segments(memory, DOCUMENT[:1], src="fr", tgt="de")
    assert result.segments[0].band == "no match"


def test_bands_by_score() -> None:
    assert [band_of(s) for s in (100, 99.9, 95, 94.9, 85, 84.9, 75, 74.9, 50, 49.9, None)] == [
        "100%", "95-99%", "95-99%", "85-94%", "85-94%", "75-84%", "75-84%", "50-74%", "50-74%",
        "no match", "no match"]


def test_a_text_is_cut_into_sentences_unless_segmented(memory: Store) -> None:
    text = "Le chat dort sur le canapé du salon. Une phrase entièrement nouvelle.\n"
    assert [s.band for s in analyse_text(memory, text).segments] == ["100%", "no match"]
    one = analyse_text(memory, text, segmented=True)
    assert len(one.segments) == 1 and one.segments[0].band == "50-74%"


def test_an_empty_memory_matches_nothing(store: Store) -> None:
    result = analyse_segments(store, DOCUMENT[:2])
    assert [b.segments for b in result.bands if b.band == "no match"] == [2]
    as_dict = result.as_dict(details=True)
    assert as_dict["total"] == {"segments": 2, "words": 16,
                                "characters": result.total.characters}
    assert len(as_dict["segments"]) == 2  # type: ignore[arg-type]


def test_a_repetition_counts_apart_even_when_its_first_occurrence_has_no_match(
        memory: Store) -> None:
    new = "Une phrase entièrement nouvelle sans rien de commun."
    result = analyse_segments(memory, [new, new, new.upper()])
    # the same text again is a repetition; another casing is another segment to translate
    assert [s.band for s in result.segments] == ["no match", "repetitions", "no match"]


def test_the_memory_is_read_in_either_direction(memory: Store) -> None:
    result = analyse_segments(memory, ["The report has 12 pages and 3 appendices."],
                              src="en", tgt="fr")
    assert (result.segments[0].band, result.segments[0].target) == ("100%", PAIRS[1][0])


def test_words_are_counted_as_cat_tools_count_them() -> None:
    assert word_count("L'accord de cessez-le-feu") == 4  # l' apart, a compound is one word
    assert word_count("aujourd'hui, à 3,14 h sur www.otan.int") == 6
    assert word_count("« Qu’il vienne » — dit-il") == 4  # guillemets and a dash are no words
    assert word_count("It's John's 20-point plan") == 4
    assert word_count("10\u202f000 soldats\u00a0: art.\u00a05") == 3  # no-break spaces join
    # a number written with separators is one word, whatever its spaces (as lookup reads it)
    assert word_count("Il a payé 20 000 euros.") == word_count("Il a payé 20\u00a0000 euros.") == 5
    assert word_count("Jusqu'à 1 000 000,50 d'euros") == 5
    assert word_count("en 1990 2000 soldats") == 4  # years side by side are no number
