"""Mixed-language documents: paragraphs by language, English terms inside French, furniture."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmtool.errors import UsageError
from tmtool.mixed import MixedDocument, split_languages

SEED = Path("seed") / "macron-rutte-2025-12-24.txt"


def _check_offsets(text: str, doc: MixedDocument) -> None:
    every = sorted(doc.paragraphs + doc.furniture, key=lambda p: p.index)
    assert [p.index for p in every] == list(range(len(every)))
    last = 0
    for p in every:
        assert text[p.start : p.end] == p.text
        assert p.start >= last and p.text == p.text.strip()
        last = p.end


def test_seed_has_one_english_paragraph_its_headline(shared: Path) -> None:
    text = (shared / SEED).read_text(encoding="utf-8")
    doc = split_languages(text)
    _check_offsets(text, doc)
    english = doc.side("en")
    assert [p.text for p in english] == [text.split("\n\n")[1].strip()]
    assert english[0].index == 1
    french = doc.side("fr")
    assert len(french) + len(english) == len(doc.paragraphs) >= 25
    assert french[0].text.startswith("Macron discute Ukraine avec Rutte")
    assert any("Coalition of the Willing" in p.text for p in french)
    assert doc.main_language == "fr" and doc.is_mixed


def test_seed_comment_form_is_furniture(shared: Path) -> None:
    text = (shared / SEED).read_text(encoding="utf-8")
    doc = split_languages(text)
    assert [p.text.split()[0] for p in doc.furniture] == ["Leave", "Your"]
    assert all(p.index >= len(doc.paragraphs) for p in doc.furniture)


FRENCH_WITH_ENGLISH = """\
La Coalition of the Willing se réunira à Paris en janvier.

Les Européens parlent d’une « reassurance force » déployée loin du front.

« We will never give up », a déclaré le porte-parole de la coalition devant la presse.

Le plan (Security Guarantees Framework for Ukraine) sera discuté par les ministres."""


def test_english_terms_quoted_inside_french_stay_french() -> None:
    doc = split_languages(FRENCH_WITH_ENGLISH)
    _check_offsets(FRENCH_WITH_ENGLISH, doc)
    assert len(doc.paragraphs) == 4
    assert doc.side("en") == ()
    assert doc.side_text("en") == ""
    assert doc.side_text("fr") == FRENCH_WITH_ENGLISH
    assert not doc.is_mixed


def test_french_quote_inside_english_stays_english() -> None:
    text = "Mr. Macron spoke of a « soutien inébranlable » for Kyiv after his call with Rutte."
    assert [p.lang for p in split_languages(text).paragraphs] == ["en"]


def test_headline_lines_in_one_block_are_split() -> None:
    text = (
        "Macron et Rutte font le point sur l’Ukraine\n"
        "Macron and Rutte Take Stock of Ukraine\n"
        "Le président de la République s’est entretenu avec le chef de l’OTAN.\n"
        "Les deux hommes ont parlé des garanties de sécurité.\n"
    )
    doc = split_languages(text)
    _check_offsets(text, doc)
    assert [(p.lang, p.text.split()[0]) for p in doc.paragraphs] == [
        ("fr", "Macron"),
        ("en", "Macron"),
        ("fr", "Le"),
    ]
    assert doc.side_text("en") == "Macron and Rutte Take Stock of Ukraine"


def test_wrapped_line_continuing_a_french_sentence_is_not_split() -> None:
    text = (
        "Les ministres ont présenté le document intitulé\n"
        "Security Guarantees for a Lasting Peace in Europe\n"
        "avant la réunion de Paris, prévue en janvier 2026.\n"
    )
    doc = split_languages(text)
    assert [p.lang for p in doc.paragraphs] == ["fr"]


def test_list_block_stays_one_paragraph() -> None:
    text = (
        "• Coalition of the Willing : groupe européen qui coordonne les garanties\n"
        "• Plan Zelensky : 20 points pour une paix durable\n"
        "• Avancées russes : moins de 1 % du territoire en 2025\n"
    )
    doc = split_languages(text)
    assert [p.lang for p in doc.paragraphs] == ["fr"]
    assert doc.paragraphs[0].text == text.strip()


def test_no_english_gives_empty_english_side() -> None:
    text = "Le sommet aura lieu à Paris.\n\nLes ministres y prépareront les garanties."
    doc = split_languages(text)
    assert doc.side("en") == () and len(doc.side("fr-FR")) == 2
    assert doc.main_language == "fr"


def test_french_page_furniture() -> None:
    text = (
        "Les discussions reprendront en janvier à Paris.\n\n"
        "Laisser un commentaire\n\n"
        "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *"
    )
    doc = split_languages(text)
    assert len(doc.paragraphs) == 1 and len(doc.furniture) == 2


def test_long_paragraph_naming_a_template_string_is_not_furniture() -> None:
    text = (
        "The agency said that all rights reserved by the treaty would remain with the member "
        "states, and that the coalition would publish its own report in January."
    )
    doc = split_languages(text)
    assert doc.furniture == () and [p.lang for p in doc.paragraphs] == ["en"]


def test_language_order_and_tags() -> None:
    doc = split_languages("The talks will resume in Paris in January.", ("en-GB", "fr-FR"))
    assert doc.langs == ("en", "fr")
    assert doc.side("en-US")[0].lang == "en"


def test_empty_text_has_no_paragraphs() -> None:
    doc = split_languages(" \n\n \t\n")
    assert doc.paragraphs == () and doc.furniture == ()
    assert doc.main_language == "fr"


def test_bad_languages_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="no language profile for 'xx'"):
        split_languages("Bonjour.", ("fr", "xx"))
    with pytest.raises(UsageError, match="at least one language"):
        split_languages("Bonjour.", ())


_WORDS = st.sampled_from(
    ["le", "la", "paix", "the", "peace", "of", "Ukraine", "«", "»", "•", "1.", "\u00a0", "\t"]
)
_LINES = st.lists(_WORDS, max_size=8).map(" ".join)
_BLOCKS = st.lists(_LINES, min_size=1, max_size=3).map("\n".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(_BLOCKS, max_size=5), st.sampled_from(["\n\n", "\n \n", "\n\n\n"]))
def test_offsets_always_point_into_the_input(blocks: list[str], sep: str) -> None:
    text = sep.join(blocks)
    doc = split_languages(text)
    _check_offsets(text, doc)
    every = sorted(doc.paragraphs + doc.furniture, key=lambda p: p.index)
    assert " ".join(p.text for p in every).split() == text.split()
