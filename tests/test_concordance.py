"""Concordance: phrases found in either language, accent- and case-insensitive."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tmtool.concordance import concordance
from tmtool.errors import UsageError
from tmtool.memory import add_units
from tmtool.model import TranslationUnit, Variant
from tmtool.store import Store

CHAT = "Le chat dort sur le canapé du salon."

def test_concordance_ignores_case_and_accents_and_gives_spans(filled: Store) -> None:
    hits = concordance(filled, "CANAPE")
    assert len(hits) == 1
    hit = hits[0]
    assert hit.source == CHAT and hit.target_lang == "en-GB"
    assert [hit.source[s:e] for s, e in hit.source_spans] == ["canapé"]
    assert [h.source for h in concordance(filled, "fete du village")] == [
        "L’été dernier, nous sommes allés à la fête du village."]


def test_concordance_phrase_words_must_be_together_and_in_order(filled: Store) -> None:
    assert [h.unit_id for h in concordance(filled, "dort sur le")] == [
        h.unit_id for h in concordance(filled, "chat")]
    assert concordance(filled, "sur dort") == []
    assert len(concordance(filled, '"sur le" chat')) == 1
    assert [h.unit_id for h in concordance(filled, '"dort sur le')] == [  # left open
        h.unit_id for h in concordance(filled, "dort sur le")]
    assert concordance(filled, 'chat "sur dort') == []
    hit = concordance(filled, "livr*")[0]
    assert [hit.source[s:e] for s, e in hit.source_spans] == ["livré"]


def test_concordance_searches_both_languages_or_one(filled: Store) -> None:
    hit = concordance(filled, "living-room sofa")[0]
    assert hit.source_lang == "en-GB" and hit.target == CHAT
    assert concordance(filled, "living-room sofa", lang="fr") == []
    numbers = concordance(filled, "12")[0]
    assert numbers.source_spans and numbers.target_spans  # highlighted on both sides
    with pytest.raises(UsageError):
        concordance(filled, " ,;! ")


def test_concordance_gives_the_newest_translation_first(tmp_path) -> None:
    from tmtool.memory import add_units
    from tmtool.model import TranslationUnit, Variant

    def unit(year: str | None) -> TranslationUnit:
        return TranslationUnit(variants=(Variant("fr-FR", f"Le traité de {year}."),
                                         Variant("en-GB", f"The {year} treaty.")),
                               changedate=f"{year}0101T000000Z" if year else None)

    with Store(tmp_path / "tm.db") as store:
        # stored in an order that is neither by date nor its reverse; one unit has no date
        add_units(store, [unit("2020"), unit(None), unit("2025"), unit("2010")])
        assert [h.target for h in concordance(store, "traité")] == [
            "The 2025 treaty.", "The 2020 treaty.", "The 2010 treaty.", "The None treaty."]
        assert [h.target for h in concordance(store, "traité", limit=1)] == ["The 2025 treaty."]


def test_concordance_finds_a_number_however_its_thousands_are_written(tmp_path) -> None:
    from tmtool.memory import add_units
    from tmtool.model import TranslationUnit, Variant

    pairs = [("Il a envoyé 1 000 soldats.", "He sent 1,000 soldiers."),
             ("Il a envoyé 1000 chars.", "He sent 1000 tanks."),
             ("Un budget de 5.000.000 euros.", "A budget of 5,000,000 euros."),
             ("Le taux est de 3,5 %.", "The rate is 3.5%."),
             ("Les numéros 1, 000 et 2.", "Numbers 1, 000 and 2.")]
    with Store(tmp_path / "tm.db") as store:
        add_units(store, [TranslationUnit(variants=(Variant("fr-FR", fr), Variant("en-GB", en)))
                          for fr, en in pairs])
        for query in ("1000", "1 000", "1\u202f000", "1,000", "1.000"):
            hits = concordance(store, query, lang="fr")
            assert sorted(h.source[s:e] for h in hits for s, e in h.source_spans) == [
                "1 000", "1000"], query
        hit, = concordance(store, "5 000 000 euros", lang="en")
        assert [hit.source[s:e] for s, e in hit.source_spans] == ["5,000,000 euros"]
        assert [hit.target[s:e] for s, e in hit.target_spans] == ["5.000.000 euros"]
        # a decimal is one number, whichever its mark; a list is not one number
        assert [h.source for h in concordance(store, "3,5", lang="en")] == ["The rate is 3.5%."]
        assert concordance(store, "5", lang="en") == []  # not the 5 of 3.5
        hit, = concordance(store, "3.5 %", lang="fr")
        assert [hit.source[s:e] for s, e in hit.source_spans] == ["3,5 %"]
        assert concordance(store, "3.5 €") == []  # a sign asked for must be there
        assert [h.source for h in concordance(store, "000", lang="en")] == [
            "Numbers 1, 000 and 2."]
        assert [h.source for h in concordance(store, "1 000 tanks")] == ["He sent 1000 tanks."]


def test_numbers_in_dates_versions_odd_spaces_and_with_a_final_star(tmp_path) -> None:
    from tmtool.memory import add_units
    from tmtool.model import TranslationUnit, Variant

    texts = ["Le taux est de 3,5 % cette année.", "Rendez-vous le 10.05.2024 à Paris.",
             "Installez la version 2.3.1 maintenant.", "Il a 1\u2002000 points.",
             "Total 1 000 000 soldats.", "Mon 12 345 678 points."]
    with Store(tmp_path / "tm.db") as store:
        add_units(store, [TranslationUnit(variants=(Variant("fr-FR", t), Variant("en-GB", "x")))
                          for t in texts])

        def found(phrase: str) -> list[str]:
            return [h.source[s:e] for h in concordance(store, phrase, lang="fr")
                    for s, e in h.source_spans]

        assert found("3,5*") == ["3,5"]
        assert found("Total 1 000*") == ["Total 1 000 000"]
        assert sorted(found("1 000*")) == ["1 000 000", "1\u2002000"]  # not 12 345 678
        assert found("12*") == ["12 345 678"]
        assert found("05.2024") == ["05.2024"] and found("3.1") == ["3.1"]
        assert found("1 000 points") == ["1\u2002000 points"]  # an en space is a space
        assert found("345 678") == []  # part of a larger number


def test_a_star_after_an_elision_or_a_space_is_any_word(tmp_path) -> None:
    from tmtool.memory import add_units
    from tmtool.model import TranslationUnit, Variant

    texts = ["Aujourd'hui, c'est l'été.", "Les garanties de sécurité tiennent.",
             "Première ligne, L'État"]
    with Store(tmp_path / "tm.db") as store:
        add_units(store, [TranslationUnit(variants=(Variant("fr-FR", t), Variant("en-GB", "x")))
                          for t in texts])

        def found(phrase: str) -> list[str]:
            return sorted(h.source[s:e] for h in concordance(store, phrase, lang="fr")
                          for s, e in h.source_spans)

        assert found("l'*") == ["L'État", "l'été"]
        assert found("garanties *") == ["garanties de"]
        assert found("garantie*") == ["garanties"]


def test_a_unit_in_three_languages_gives_them_all(tmp_path) -> None:
    from tmtool.memory import add_units
    from tmtool.model import TranslationUnit, Variant

    with Store(tmp_path / "tm.db") as store:
        add_units(store, [TranslationUnit(variants=(
            Variant("en-US", "Main menu"), Variant("fr-CA", "Menu principal"),
            Variant("fr-FR", "Menu principal"), Variant("de-DE", "Hauptmenü")))])
        (hit,) = concordance(store, "main menu")
        assert (hit.source_lang, hit.target_lang) == ("en-US", "fr-CA")
        assert hit.others == (("fr-FR", "Menu principal"), ("de-DE", "Hauptmenü"))


def test_common_words_read_from_the_newest_units_give_what_the_index_gives(tmp_path) -> None:
    # a phrase most segments hold is found by reading the newest units until enough hold it;
    # the hits and their order must be those of the index path, whatever the dates, regions
    # and languages
    import random

    from tmtool import concordance as conc
    from tmtool.memory import add_units
    from tmtool.model import TranslationUnit, Variant

    rng = random.Random(11)
    words = "le la de du un chat chien dort mange sur dans salon jardin".split()
    units = []
    for i in range(400):
        fr = " ".join(rng.choice(words) for _ in range(rng.randint(3, 9))) + "."
        en = " ".join(rng.choice(["the", "cat", "dog", "on", "in", "la"])
                      for _ in range(rng.randint(3, 8))) + "."
        date = rng.choice([None, "20240101T000000Z", "20250301T120000Z", f"2023{i % 12 + 1:02d}"
                           "01T000000Z"])
        units.append(TranslationUnit((Variant(rng.choice(["fr-FR", "fr-CA", "fr"]), fr),
                                      Variant(rng.choice(["en-GB", "en-US"]), en)),
                                     changedate=date))
    with Store(tmp_path / "tm.db") as store:
        add_units(store, units)
        conn = store.conn
        for phrase in ("le", "la", "de la", "chat", "la chat", "dort sur le", "ch*", "the cat"):
            groups, signs = conc._parse_phrase(phrase)
            check = conc._Check(groups, signs)
            for lang in (None, "fr", "fr-CA", "en-US"):
                for limit in (1, 7, 50, 1000):
                    found = conc._concordance_expr(
                        conn, groups, None if lang is None else lang[:2])
                    indexed = ([] if found is None  # a word the language never has
                               else conc._indexed(conn, found[0], check, lang, limit))
                    newest = conc._newest_units(conn, check, lang, limit, 10**9)
                    assert newest == indexed, (phrase, lang, limit)
                    assert concordance(store, phrase, lang=lang, limit=limit) == indexed
        # a phrase rarer than its words: the newest units give up within their budget
        check = conc._Check(*conc._parse_phrase("salon salon salon salon"))
        assert conc._newest_units(conn, check, None, 5, 100) is None


def test_the_quick_first_test_never_turns_a_hit_away() -> None:
    # texts of words with accents, capitals, ligatures, elisions and marks between them; the
    # phrases are taken from them and from other texts: the quick test (folded text holding
    # the words, in order) must agree with the full word-by-word check every time
    import random

    from tmtool import concordance as conc

    rng = random.Random(4)
    words = ["l'État", "Œuvre", "œuvre", "coup", "il", "se", "fête", "FÊTE", "naïf", "d’abord",
             "1 000", "3,5", "5 %", "Zoë", "ﬁn", "x_y", "qu'il", "ÉTAT", "etat", "été"]
    seps = [" ", ", ", " - ", "\u00a0", " « ", " » ", "'", "’", ". ", "_", "/"]
    texts = [" ".join(rng.choice(words) + rng.choice(seps) for _ in range(rng.randint(2, 9)))
             for _ in range(300)]
    for _ in range(400):
        src = rng.choice(texts).split()
        i = rng.randrange(len(src))
        phrase = " ".join(src[i:i + rng.randint(1, 3)]).strip(" ,.-«»/")
        if not phrase or not any(ch.isalnum() for ch in phrase):
            continue
        if rng.random() < 0.2:
            phrase += "*"
        if rng.random() < 0.2:  # a star ending an inner word, or standing alone
            parts = phrase.split(" ")
            k = rng.randrange(len(parts))
            parts[k] = "*" if rng.random() < 0.5 else parts[k].rstrip("*") + "*"
            phrase = " ".join(parts)
        if re.search(r"\*\w", phrase):
            continue  # refused
        groups, signs = conc._parse_phrase(phrase)
        if not groups:
            continue
        check = conc._Check(groups, signs)
        for text in rng.sample(texts, 30):
            assert check.spans(text) == conc._spans(text, groups, signs), (phrase, text)


def test_a_star_may_end_any_word_of_the_phrase(tmp_path: Path) -> None:
    """"garantie* de sécurité" finds the singular and the plural, as CAT concordance does."""
    with Store(tmp_path / "tm.db") as store:
        add_units(store, [
            TranslationUnit((Variant("fr", "Les garanties de sécurité sont solides."),
                             Variant("en", "The security guarantees are solid."))),
            TranslationUnit((Variant("fr", "Une garantie de sécurité suffit."),
                             Variant("en", "One security guarantee is enough."))),
            TranslationUnit((Variant("fr", "Les garanties offertes de sécurité."),
                             Variant("en", "The guarantees offered of security."))),
            TranslationUnit((Variant("fr", "Les États membres agissent."),
                             Variant("en", "The Member States act.")))])
        hits = concordance(store, "garantie* de sécurité", lang="fr")
        assert sorted(h.source[s:e] for h in hits for s, e in h.source_spans) == [
            "garantie de sécurité", "garanties de sécurité"]
        assert [h.source for h in concordance(store, "Etat* membre*")] == [
            "Les États membres agissent."]
        assert concordance(store, "garantie* sécurité") == []  # in order, side by side
        assert [h.source for h in concordance(store, "garantie* * de sécurité")] == [
            "Les garanties offertes de sécurité."]  # "*" alone: any one word
