"""Term lookup: tolerant of case, accents, plurals, feminine forms and elided articles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tmtool import termbase
from tmtool.errors import StoreError
from tmtool.inflect import content_keys, lemma_key, tokens
from tmtool.lookup import find_in_text, lookup, open_readonly
from tmtool.model import Term, TermEntry, TermStatus
from tmtool.store import Store

GLOSSARY = [
    (("fr", "garanties de sécurité"), ("en", "security guarantees")),
    (("fr", "garantie"), ("en", "guarantee")),
    (("fr", "sécuritaire"), ("en", "security-related")),
    (("fr", "politique"), ("en", "policy")),
    (("fr", "intérêt national"), ("en", "national interest")),
    (("fr", "Union européenne"), ("en", "European Union")),
    (("fr", "OTAN"), ("en", "NATO")),
    (("fr", "taux d'intérêt"), ("en", "interest rate")),
    (("fr", "cessez-le-feu"), ("en", "ceasefire")),
    (("fr", "directeur général"), ("en", "director general")),
]


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store(db_path) as s:
        termbase.add_entries(s, [TermEntry(terms=tuple(Term(t, lang) for lang, t in pair))
                                 for pair in GLOSSARY])
        yield s


def first(store: Store, query: str, **kw: object) -> tuple[str, str]:
    hits = lookup(store, query, **kw)  # type: ignore[arg-type]
    assert hits, f"{query!r} found nothing"
    return hits[0].term.text, hits[0].how


@pytest.mark.parametrize("a, b, lang", [
    ("garantie", "garanties", "fr"), ("sécuritaire", "sécuritaires", "fr"),
    ("guarantee", "guarantees", "en"), ("policy", "policies", "en"),
    ("national", "nationaux", "fr"), ("européen", "européenne", "fr"),
    ("européen", "européennes", "fr"), ("bureau", "bureaux", "fr"), ("actif", "actives", "fr"),
    ("directeur", "directrice", "fr"), ("box", "boxes", "en"), ("OTAN", "l'OTAN", "fr"),
    ("taux d'intérêt", "taux d’intérêts", "fr"), ("company policy", "the company's policies", "en"),
])
def test_inflected_forms_share_a_key(a: str, b: str, lang: str) -> None:
    assert lemma_key(a, lang) == lemma_key(b, lang)


@pytest.mark.parametrize("a, b, lang", [
    ("garantie", "garage", "fr"), ("politique", "police", "fr"), ("national", "nation", "en"),
    ("sécurité sociale", "sécurité", "fr"),
])
def test_different_words_keep_different_keys(a: str, b: str, lang: str) -> None:
    assert lemma_key(a, lang) != lemma_key(b, lang)


def test_tokens_drop_elided_articles_and_keep_offsets() -> None:
    text = "L'OTAN et l’Union"
    toks = tokens(text)
    assert [text[t.start:t.end] for t in toks] == ["OTAN", "et", "Union"]
    assert content_keys("la garantie de la sécurité", "fr") == ["garanti", "securit"]


@pytest.mark.parametrize("query, expected, how", [
    ("garanties de sécurité", "garanties de sécurité", "exact"),
    ("GARANTIES DE SECURITE", "garanties de sécurité", "folded"),
    ("garantie de sécurité", "garanties de sécurité", "inflection"),
    ("garantie de securite", "garanties de sécurité", "inflection"),
    ("sécuritaires", "sécuritaire", "inflection"),
    ("securitaire", "sécuritaire", "folded"),
    ("guarantees", "guarantee", "inflection"),
    ("policies", "policy", "inflection"),
    ("intérêts nationaux", "intérêt national", "inflection"),
    ("l'OTAN", "OTAN", "inflection"),
    ("otan", "OTAN", "folded"),
    ("l’Union européenne", "Union européenne", "inflection"),
    ("taux d'interets", "taux d'intérêt", "inflection"),
    ("cessez le feu", "cessez-le-feu", "inflection"),
    ("directrice générale", "directeur général", "inflection"),
    ("the security guarantee", "security guarantees", "inflection"),
])
def test_lookup_is_tolerant(store: Store, query: str, expected: str, how: str) -> None:
    assert first(store, query) == (expected, how)


def test_matches_are_ranked_exact_folded_inflection_fuzzy(store: Store) -> None:
    termbase.add_entries(store, [
        TermEntry(terms=(Term("Garantie", "fr"), Term("Guarantee (capitalised)", "en"))),
        TermEntry(terms=(Term("garanties", "fr"), Term("guarantees", "en")))], merge=False)
    hits = lookup(store, "garantie", src="fr")
    hows = [h.how for h in hits]
    assert hows[:3] == ["exact", "folded", "inflection"]
    assert "fuzzy" in hows and hows.index("fuzzy") == 3
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_fuzzy_finds_typos_below_exact_matches(store: Store) -> None:
    hits = lookup(store, "garanty")
    assert hits and hits[0].term.text == "garantie" and hits[0].how == "fuzzy"
    assert hits[0].score < 90
    assert lookup(store, "garanty", fuzzy=False) == []


def test_lookup_works_in_both_directions(store: Store) -> None:
    hit = lookup(store, "NATO")[0]
    assert hit.term.lang == "en" and [t.text for t in hit.equivalents()] == ["OTAN"]
    assert lookup(store, "NATO", src="fr", fuzzy=False) == []
    fr_hit = lookup(store, "OTAN", src="fr", tgt="en")[0]
    assert [t.text for t in fr_hit.equivalents("en")] == ["NATO"]
    # with only --tgt, the query is matched in the other languages
    assert lookup(store, "NATO", tgt="en", fuzzy=False) == []


def test_one_hit_per_entry_and_limit(store: Store) -> None:
    hits = lookup(store, "garantie", limit=2)
    assert len(hits) == 2
    ids = [h.entry.id for h in lookup(store, "sécurité", limit=20)]
    assert len(ids) == len(set(ids))


def test_find_in_text_reports_every_term_with_its_span(store: Store) -> None:
    sentence = "L'OTAN offre des garanties de sécurité à l'Union européenne, dit le directeur."
    hits = find_in_text(store, sentence, lang="fr")
    found = [(sentence[h.span[0]:h.span[1]], h.term.text, h.how) for h in hits if h.span]
    assert found == [
        ("OTAN", "OTAN", "exact"),
        ("garanties de sécurité", "garanties de sécurité", "exact"),
        ("garanties", "garantie", "inflection"),
        ("Union européenne", "Union européenne", "exact"),
    ]


def test_find_in_text_takes_acronyms_only_as_written(db_path: Path) -> None:
    """"us" and the French "eu" are words, not the acronyms US and EU they fold to."""
    with Store(db_path) as s:
        termbase.add_entries(s, [
            TermEntry(terms=(Term("États-Unis", "fr"), Term("United States", "en"),
                             Term("US", "en"))),
            TermEntry(terms=(Term("UE", "fr"), Term("EU", "en")))])
        text = "Let us hope the US will help. He told us so."
        assert [text[slice(*h.span)] for h in find_in_text(s, text) if h.span] == ["US"]
        assert find_in_text(s, "Il y a eu un accord.", lang="fr") == []
        assert [h.term.text for h in find_in_text(s, "L'UE a eu raison.", lang="fr")] == ["UE"]
        termbase.add_entries(s, [TermEntry(terms=(Term("OTAN", "fr"), Term("NATO", "en"))),
                                 TermEntry(terms=(Term("nous", "fr"), Term("us", "en")))])
        assert [h.term.text for h in find_in_text(s, "L'Otan a décidé.", lang="fr")] == ["OTAN"]
        assert [h.term.text for h in find_in_text(s, "The US and us.", lang="en")] == [
            "US", "us"]  # "US" is not the word "us", nor "us" the acronym
        # capitalised, a common word is still the word; a rare one is the acronym as a name
        assert [h.term.text for h in find_in_text(s, "Us too, said Nato.", lang="en")] == [
            "us", "NATO"]
        assert [h.term.text for h in find_in_text(s, "Eu égard à l'Ue.", lang="fr")] == ["UE"]


def test_a_sentence_is_read_in_the_language_it_is_written_in(store: Store) -> None:
    from tmtool.lookup import text_language

    assert text_language(store, "The security guarantees were discussed at length.") == "en"
    assert text_language(store, "Les garanties de sécurité ont été discutées.") == "fr"
    assert text_language(store, "Macron met Rutte.") is None  # French or English: both sought


def test_a_term_opening_the_sentence_is_an_exact_hit(store: Store) -> None:
    hits = find_in_text(store, "Garanties de sécurité : rien. Les garanties de sécurité.",
                        lang="fr")
    assert [(h.span, h.how) for h in hits if h.term.text == "garanties de sécurité"] == [
        ((0, 21), "exact"), ((34, 55), "exact")]


def test_a_regional_source_finds_that_variant_s_term(db_path: Path) -> None:
    with Store(db_path) as s:
        termbase.add_entries(s, [TermEntry(terms=(
            Term("courriel", "fr-FR", status=TermStatus.PREFERRED),
            Term("courriel", "fr-CA", status=TermStatus.DEPRECATED), Term("email", "en-GB")))])
        assert [(h.term.lang, h.term.status) for h in lookup(s, "courriel", src="fr-CA")] == [
            ("fr-CA", TermStatus.DEPRECATED)]
        assert [h.term.lang for h in lookup(s, "courriel", src="fr-FR")] == ["fr-FR"]
        assert [h.term.lang for h in lookup(s, "courriel", src="fr_ca")] == ["fr-CA"]
        hits = find_in_text(s, "Le courriel est arrivé.", lang="fr-CA")
        assert [(h.term.lang, h.term.status) for h in hits] == [
            ("fr-CA", TermStatus.DEPRECATED)]


def test_find_in_text_without_language_and_with_inflection(store: Store) -> None:
    hits = find_in_text(store, "Both policies gave Security Guarantee to NATO members.")
    assert [(h.term.text, h.how) for h in hits] == [
        ("policy", "inflection"), ("security guarantees", "inflection"),
        ("guarantee", "folded"), ("NATO", "exact")]
    assert find_in_text(store, "") == []


def test_readonly_connection_and_errors(store: Store, tmp_path: Path) -> None:
    conn = open_readonly(store.path)
    try:
        assert first(conn, "OTAN") == ("OTAN", "exact")  # type: ignore[arg-type]
    finally:
        conn.close()
    with pytest.raises(StoreError, match="no such store"):
        open_readonly(tmp_path / "missing.db")
    empty = tmp_path / "empty.db"
    Store(empty).close()
    with pytest.raises(StoreError, match="no termbase yet"):
        open_readonly(empty)


def test_find_in_text_reads_the_sentence_in_its_language_by_default(db_path: Path) -> None:
    """A name spelt alike in both languages is found as a term of the sentence's language,
    so its equivalents are the other language's, as ``glossary lookup --in`` gives them."""
    with Store(db_path) as s:
        termbase.add_entries(s, [
            TermEntry(terms=(Term("Ukraine", "fr"), Term("Ukraine", "en"))),
            TermEntry(terms=(Term("garanties de sécurité", "fr"),
                             Term("security guarantees", "en"))),
            TermEntry(terms=(Term("Paris", "fr"), Term("Paris", "en"))),
            TermEntry(terms=(Term("cessez-le-feu", "fr"),))])
        text = "Macron and Rutte review security guarantees for Ukraine ahead of the talks."
        hits = find_in_text(s, text)
        assert [(h.term.lang, h.term.text) for h in hits] == [
            ("en", "security guarantees"), ("en", "Ukraine")]
        assert [t.text for t in hits[1].equivalents()] == ["Ukraine"]
        assert hits[1].equivalents()[0].lang == "fr"
        french = "Le cessez-le-feu de Paris."
        assert [h.term.text for h in find_in_text(s, french)] == ["cessez-le-feu", "Paris"]
        assert [h.term.text for h in find_in_text(s, french, tgt="en")] == ["Paris"]
        assert [h.term.text for h in find_in_text(s, french, limit=1)] == ["cessez-le-feu"]
