"""Match percentages: word edit distance, with named penalties for what words do not show."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tmtool.match import (
    PENALTIES,
    SameKeys,
    analyse,
    fast_fold,
    keys,
    keys_text,
    length_bounds,
    number_digits,
    prepare,
    required_words,
    score,
    similarity,
    stored_keys,
    tag_signature,
    tokens,
    word_score,
)
from tmtool.normalize import fold, strip_accents, unify

BASE = "Votre colis de 3 kg sera livré le 12 mars."


def test_identical_text_is_100_without_penalty() -> None:
    assert similarity(BASE, BASE) == (100.0, ())


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        ("votre colis de 3 kg sera livré le 12 mars.", (99.0, ("case",))),
        # an accent on a small letter makes another word ("livre", "livré"): an edited word
        ("Votre colis de 3 kg sera livre le 12 mars.", (90.0, ("accents",))),
        # on a capital, it is how French is often typeset: a point
        ("VOTRE COLIS DE 3 KG SERA LIVRE LE 12 MARS.", (98.0, ("case", "accents"))),
        ("Votre colis de 5 kg sera livré le 14 mars.", (98.0, ("numbers",))),
        ("Votre colis de 3 kg sera livré le 12 mars !", (99.0, ("punctuation",))),
        ("Votre colis de 3 kg  sera livré le 12 mars.", (99.0, ("spacing",))),
        ("votre colis de 5 kg sera livré le 12 mars !", (96.0, ("case", "numbers", "punctuation"))),
        # a sign, a currency, a unit or a comparison changes what is said: not punctuation
        ("Votre colis de -3 kg sera livré le 12 mars.", (98.0, ("symbols",))),
        ("Votre colis de 3 °C sera livré le 12 mars.", (88.0, ("symbols",))),  # "kg" gone
        ("Votre colis de 3 € sera livré le 12 mars.", (88.0, ("symbols",))),  # "kg" gone
        ("Votre colis de 3 kg % sera livré le 12 mars.", (98.0, ("symbols",))),
        ("Votre colis de < 3 kg sera livré le 12 mars.", (98.0, ("symbols",))),
        ("Votre colis de 3 kg sera livré le 12 mars…", (99.0, ("punctuation",))),
        # a minus typed another way, an emoji or "n°" are typography, not symbols
        ("Votre colis de 3 kg sera livré le 12 mars 😀.", (99.0, ("punctuation",))),
    ],
)
def test_differences_words_do_not_show_cost_named_points(
    other: str, expected: tuple[float, tuple[str, ...]]
) -> None:
    assert similarity(BASE, other) == expected


def test_a_minus_typed_another_way_is_punctuation() -> None:
    assert similarity("Il fait -5 °C.", "Il fait \u22125 °C.") == (99.0, ("punctuation",))
    assert similarity("De 3 à -2.", "De 3 à \u20132.") == (99.0, ("punctuation",))


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
    assert tag_signature(marked) == (("bpt", 2, "<b>"), ("ept", 3, "</b>"))


def test_codes_of_another_kind_or_on_another_word_differ() -> None:
    bold = 'Cliquez sur <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept> ici.'
    italics = 'Cliquez sur <bpt i="1">&lt;i&gt;</bpt>OK<ept i="1">&lt;/i&gt;</ept> ici.'
    moved = '<bpt i="1">&lt;b&gt;</bpt>Cliquez<ept i="1">&lt;/b&gt;</ept> sur OK ici.'
    renumbered = 'Cliquez sur <bpt i="7">&lt;b&gt;</bpt>OK<ept i="7">&lt;/b&gt;</ept> ici.'
    text = "Cliquez sur OK ici."
    for other in (italics, moved):
        assert similarity(text, text, query_markup=bold, candidate_markup=other) == (
            99.0, ("tags",))
    assert similarity(text, text, query_markup=bold, candidate_markup=renumbered) == (
        100.0, ())
    # a word added before the code moves it: that is the word's difference alone
    assert similarity("Cliquez donc sur OK ici.", text,
                      query_markup='Cliquez donc sur <bpt i="1">&lt;b&gt;</bpt>OK'
                                   '<ept i="1">&lt;/b&gt;</ept> ici.',
                      candidate_markup=bold) == (80.0, ())


@pytest.mark.parametrize(("stored", "query", "expected"), [
    ("Il y a 1 000 soldats.", "Il y a 1000 soldats.", (99.0, ("spacing",))),
    ("Il y a 1\u00a0000 soldats.", "Il y a 1 000 soldats.", (99.0, ("spacing",))),
    ("Le taux est de 3,5 % en 2024.", "Le taux est de 3 % en 2024.", (98.0, ("numbers",))),
    ("Le prix est de 25,00 euros.", "Le prix est de 25 euros.", (98.0, ("numbers",))),
    ("Il y a 1 000 soldats.", "Il y a 2 000 soldats.", (98.0, ("numbers",))),
])
def test_a_number_with_separators_is_one_word(stored: str, query: str,
                                              expected: tuple[float, tuple[str, ...]]) -> None:
    # as CAT tools count them: thousands and decimals differ by a number, not by words
    assert similarity(query, stored) == expected
    assert prepare("Il y a 10 000 000 soldats et 2,5 % de 12 345 678.").keys == (
        "il", "y", "a", "#", "soldats", "et", "#", "de", "#")
    assert prepare("En 2024 100 000 soldats, articles 3, 4 et 5.").tokens == (
        "en", "2024", "100000", "soldats", "articles", "3", "4", "et", "5")


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


# The folding rules written plainly: the fast paths of ``normalize`` must give the same.
_TYPO = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'",
                       "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
                       "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u00a0": " ",
                       "\u202f": " ", "\u2009": " "})
_LIG = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def _plain_unify(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).translate(_TYPO)).strip()


def _plain_strip(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_LIG))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_mixed = st.text(alphabet=st.one_of(
    st.sampled_from(list("aeEÉéœŒßẞKİ’«» \u00a0\u202f\t\n\u0301\u0327\u0308-1,.")),
    st.characters(blacklist_categories=("Cs",))), max_size=40)


@given(_mixed)
def test_folding_fast_paths_give_the_plain_rules(text: str) -> None:
    assert unify(text) == _plain_unify(text)
    assert strip_accents(text) == _plain_strip(text)
    assert fold(text) == _plain_strip(_plain_unify(text)).casefold()


@given(_mixed)
def test_analyse_and_keys_agree_with_word_by_word_folding(text: str) -> None:
    folded, toks = analyse(text)
    assert folded == fast_fold(text) and toks == tokens(folded)
    assert keys(folded) == prepare(text).keys


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


@settings(max_examples=300, deadline=None)
@given(st.text())
@example("\U0001e4f0 1")  # a digit of a script newer than some Unicode databases
def test_stored_keys_are_the_keys_of_the_folded_text(text: str) -> None:
    folded, toks = analyse(text)
    assert keys_text(folded).split() == list(keys(folded)) == list(prepare(text).keys)
    assert stored_keys(text) == (" ".join(toks), keys_text(folded))


_numbers = st.text(alphabet=st.sampled_from(list("12 0,.\u00a0\u202f\taé-\u02bc\u0301")),
                   max_size=30)


@given(st.one_of(_mixed, _numbers))
@example("Il y a 1 000 soldats et 3,5 % de pertes.")
@example("1\u00a0000,50 €, 12 345 678 et 2024 100 000")
@example("Jusquʼà lʼ1 000 euros.")  # the modifier apostrophe folds to ', before a number
@example("Prix : 1\u0301 000 euros.")  # a combining mark between digits folds away
def test_stored_keys_of_mixed_text_agree_with_the_whole_text_analysis(text: str) -> None:
    folded, toks = analyse(text)
    assert stored_keys(text) == (" ".join(toks), keys_text(folded))
    query = prepare(text)
    assert " ".join(query.keys) == keys_text(folded) and len(query.tokens) == len(query.keys)


@given(st.one_of(_mixed, _numbers, st.text()))
@example("Prix: ２０ € et ½ litre, 3,5 % x²")
def test_number_digits_are_the_digits_of_the_folded_tokens(text: str) -> None:
    assert number_digits(text) == "".join(re.findall(r"\d", " ".join(tokens(fast_fold(text)))))


# Segments built on one template: the same words, other numbers, punctuation, case, accents,
# spacing and inline codes, as a software memory holds thousands of them.
_template = st.tuples(
    st.sampled_from(["Erreur", "erreur", "ERREUR", "Érreur"]),
    st.sampled_from(["12", "13", "1 000", "1000", "3,5", "3.5", "²", "１２"]),
    st.sampled_from([":", " :", "", " !", ","]),
    st.sampled_from(["le fichier", "le  fichier", "le Fichier", "le fichiér"]),
    st.sampled_from(["7", "8", "7 000"]),
    st.sampled_from(["est introuvable.", "est introuvable", "est introuvable !"]),
    st.sampled_from([None, '<ph x="1"/>', '<bpt i="1">&lt;b&gt;</bpt>']))


def _templated(parts: tuple[str | None, ...]) -> tuple[str, str | None]:
    word, n, punct, middle, m, end, tag = parts
    text = f"{word} {n}{punct} {middle} {m} {end}"
    return text, (None if tag is None else f"{tag}{text}")


@settings(max_examples=400, deadline=None)
@given(_template, _template)
def test_the_bound_of_a_segment_with_the_query_keys_never_undercuts_its_score(
        q: tuple[str | None, ...], c: tuple[str | None, ...]) -> None:
    """Lookup scores segments by decreasing bound and stops at ties: a bound below the
    score would lose a better match."""
    (qtext, qmarkup), (ctext, cmarkup) = _templated(q), _templated(c)
    query, cand = prepare(qtext, qmarkup), prepare(ctext, cmarkup)
    if query.keys != cand.keys:
        return
    result = score(query, cand)
    assert result is not None and result[0] <= SameKeys(query).bound(ctext, cmarkup)


@settings(max_examples=100, deadline=None)
@given(_template, st.lists(_template, min_size=2, max_size=12))
def test_one_query_bounds_many_segments_as_it_bounds_each(
        q: tuple[str | None, ...], cands: list[tuple[str | None, ...]]) -> None:
    """What the bounds of copies differing by their numbers share is computed once: reusing
    it must give each segment the bound it has alone."""
    qtext, qmarkup = _templated(q)
    query = prepare(qtext, qmarkup)
    shared = SameKeys(query)
    for c in cands:
        ctext, cmarkup = _templated(c)
        assert shared.bound(ctext, cmarkup) == SameKeys(query).bound(ctext, cmarkup)


def test_the_symbol_prefilter_finds_what_the_full_scan_finds() -> None:
    import regex

    from tmtool.match import _SIGN, NUMBER_GROUP, _nfc, _surface_of

    signs = [chr(c) for c in range(0x20, 0x2C00) if regex.match(r"[\p{Sc}\p{Sm}]", chr(c))]
    for ch in [*signs, "%", "‰", "°", "-", "−", "–", "😀", "n°"]:
        for text in (f"3 {ch}.", f"a {ch}5, b", f"{ch}"):
            _, _, punct, found = _surface_of(text)
            scanned = _SIGN.findall(NUMBER_GROUP.sub("0", _nfc(text)))
            assert list(found) == [x.translate(str.maketrans("−–‐‑", "----"))
                                   for x in scanned], text


@pytest.mark.parametrize(
    ("query", "stored", "expected"),
    [
        # "tue"/"tué", "la"/"là", "ou"/"où", "a"/"à": each accent makes another word
        ("Le soldat a ete tue la ou il etait.", "Le soldat a été tué là où il était.",
         (44.4, ("accents",))),
        ("Choisissez la cote ou le cote.", "Choisissez la côte ou le côté.",
         (66.6, ("accents",))),
        # capitals without accents and ligatures are typography
        ("L'Etat a décidé.", "L'État a décidé.", (99.0, ("accents",))),
        ("Une oeuvre d'art.", "Une œuvre d'art.", (99.0, ("accents",))),
        ("Il a oeuvre.", "Il a œuvré.", (66.6, ("accents",))),  # the accent, not the ligature
        ("L'ETAT A DÉCIDÉ.", "L'État a décidé.", (98.0, ("case", "accents"))),
    ],
)
def test_an_accent_on_a_small_letter_counts_as_an_edited_word(
        query: str, stored: str, expected: tuple[float, tuple[str, ...]]) -> None:
    assert similarity(query, stored) == expected


@pytest.mark.parametrize(
    ("query", "stored", "expected"),
    [
        ("-", "« »", (0.0, ())),  # marks alone that differ: nothing in common, no match
        ("?", "…", (0.0, ())),
        ("...", "…", (99.0, ("punctuation",))),  # an ellipsis however typed
        ("« »", "“ ”", (99.0, ("punctuation",))),  # the same quotes, typeset otherwise
        ("?", "?", (100.0, ())),
    ],
)
def test_segments_of_marks_alone_match_only_the_same_marks(
        query: str, stored: str, expected: tuple[float, tuple[str, ...]]) -> None:
    assert similarity(query, stored) == expected
