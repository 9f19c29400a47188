"""Match percentages: word edit distance, with named penalties for what words do not show."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tmtool.match import (
    PENALTIES,
    fast_fold,
    length_bounds,
    prepare,
    required_words,
    score,
    similarity,
    tag_signature,
    tokens,
    word_score,
)
from tmtool.normalize import fold

BASE = "Votre colis de 3 kg sera livré le 12 mars."


def test_identical_text_is_100_without_penalty() -> None:
    assert similarity(BASE, BASE) == (100.0, ())


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        ("votre colis de 3 kg sera livré le 12 mars.", (99.0, ("case",))),
        ("Votre colis de 3 kg sera livre le 12 mars.", (99.0, ("accents",))),
        ("Votre colis de 5 kg sera livré le 14 mars.", (98.0, ("numbers",))),
        ("Votre colis de 3 kg sera livré le 12 mars !", (99.0, ("punctuation",))),
        ("Votre colis de 3 kg  sera livré le 12 mars.", (99.0, ("spacing",))),
        ("votre colis de 5 kg sera livré le 12 mars !", (96.0, ("case", "numbers", "punctuation"))),
    ],
)
def test_differences_words_do_not_show_cost_named_points(
    other: str, expected: tuple[float, tuple[str, ...]]
) -> None:
    assert similarity(BASE, other) == expected


def test_one_word_changed_in_ten_is_90() -> None:
    # 10 tokens: votre colis de 3 kg sera livré le 12 mars
    assert similarity(BASE, "Votre colis de 3 kg sera posté le 12 mars.") == (90.0, ())


def test_word_score_uses_the_longer_segment() -> None:
    # one inserted word: distance 1 over 11 tokens
    value, pens = similarity(BASE, "Votre gros colis de 3 kg sera livré le 12 mars.")
    assert value == pytest.approx(100 * 10 / 11, abs=0.1) and value <= 100 * 10 / 11
    assert pens == ()


def test_tags_differing_cost_one_point() -> None:
    marked = 'Cliquez sur <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept>.'
    assert similarity("Cliquez sur OK.", "Cliquez sur OK.", candidate_markup=marked) == (
        99.0, ("tags",))
    assert tag_signature(marked) == ("bpt", "ept")


def test_numbers_are_one_placeholder_so_counts_still_matter() -> None:
    q = prepare("Il a 3 chats et 2 chiens.")
    assert q.keys.count("#") == 2 and q.numbers == 2
    value, pens = similarity("Il a 3 chats.", "Il a 3 chats et 2 chiens.")
    assert "numbers" not in pens and value < 70


def test_below_threshold_is_none() -> None:
    assert score(prepare(BASE), prepare("Rien à voir avec la phrase."), 70) is None


def test_tokens_match_the_index_tokenizer() -> None:
    # apostrophes, hyphens and underscores separate words, accents and case fold away
    assert tokens(fold("L’été-là, x_y ŒUVRE")) == ["l", "ete", "la", "x", "y", "oeuvre"]


def test_required_words_and_length_bounds() -> None:
    q = prepare("un deux trois quatre cinq six sept huit neuf 10")
    assert required_words(q, 80) == 8 - 1  # ceil(0.8 x 10) aligned, one may be the number
    assert length_bounds(10, 80) == (8, 12)


@given(st.text(max_size=60))
def test_fast_fold_is_fold(text: str) -> None:
    assert fast_fold(text) == fold(text)


_words = st.lists(st.sampled_from(["le", "chat", "Chat", "dort", "3", "4", "été", "ete", ",",
                                   "!", "sur", "canapé"]), max_size=12)


@given(_words, _words)
def test_score_is_bounded_and_100_only_when_identical(a: list[str], b: list[str]) -> None:
    x, y = " ".join(a), " ".join(b)
    sx, px = similarity(x, y)
    base = word_score(prepare(x), prepare(y))
    assert base == word_score(prepare(y), prepare(x))
    assert base is not None and 0 <= sx <= base <= 100
    assert (sx == 100) == (x == y)
    assert set(px) <= set(PENALTIES)
