"""Fuzzy lookup: CAT scores and penalties, languages, and never missing a match."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tmtool.errors import UsageError
from tmtool.fuzzy import lookup
from tmtool.match import prepare, score
from tmtool.memory import add_units, iter_units
from tmtool.model import TranslationUnit, Variant
from tmtool.store import Store

CHAT = "Le chat dort sur le canapé du salon."


@pytest.mark.parametrize(
    ("query", "score_", "penalties"),
    [
        (CHAT, 100.0, ()),
        ("le chat dort sur le canapé du salon.", 99.0, ("case",)),
        ("Le chat dort sur le canapé du salon !", 99.0, ("punctuation",)),
        ("Le chat dort sur le fauteuil du salon.", 87.5, ()),
        ("Votre colis de 5 kg sera livré le 14 mars.", 98.0, ("numbers",)),
    ],
)
def test_lookup_scores_and_penalties(filled: Store, query: str, score_: float,
                                     penalties: tuple[str, ...]) -> None:
    best = lookup(filled, query)[0]
    assert (best.score, best.penalties) == (score_, penalties)
    assert best.target.endswith(".") and best.origin == "memory.tmx"


def test_lookup_gives_the_translation_and_flags_tags(filled: Store) -> None:
    best = lookup(filled, "Cliquez sur Enregistrer pour garder vos réglages.")[0]
    assert best.target == "Click Save to keep your settings."
    assert (best.score, best.penalties) == (99.0, ("tags",))


def test_lookup_matches_by_primary_language(filled: Store) -> None:
    # stored as fr-CA/en-US: found for fr-FR -> en-GB, for fr -> en, not for fr -> de
    query = "Je vais magasiner au centre-ville ce soir."
    assert lookup(filled, query, src="fr-FR", tgt="en-GB")[0].target.startswith("I am going")
    assert lookup(filled, query, src="fr", tgt="en")[0].score == 100.0
    assert lookup(filled, query, src="fr", tgt="de") == []
    assert lookup(filled, "I am going shopping downtown tonight.", src="en", tgt="fr")[0].target \
        == query


def test_lookup_between_two_regional_variants_of_one_language(store: Store) -> None:
    add_units(store, [TranslationUnit((Variant("en-US", "The color of the center."),
                                       Variant("en-GB", "The colour of the centre."),
                                       Variant("fr-FR", "La couleur du centre.")))])
    us = lookup(store, "The color of the center.", src="en-US", tgt="en-GB")
    assert [(x.source, x.target) for x in us] == [
        ("The color of the center.", "The colour of the centre.")]
    gb = lookup(store, "The color of the center.", src="en-GB", tgt="en-US", min_score=50)
    assert [(x.source, x.target, x.score) for x in gb] == [
        ("The colour of the centre.", "The color of the center.", 60.0)]
    assert len(lookup(store, "La couleur du centre.", src="fr", tgt="en")) == 1


def test_lookup_rejects_bad_limits(filled: Store) -> None:
    with pytest.raises(UsageError):
        lookup(filled, CHAT, min_score=120)
    with pytest.raises(UsageError):
        lookup(filled, CHAT, limit=0)


_SUBJECTS = ["Le chat", "Le chien du voisin", "Marie", "Notre directeur", "L'équipe de nuit",
             "Le petit garçon", "Sa sœur aînée"]
_VERBS = ["dort", "mange", "attend", "travaille", "lit un livre", "regarde la télévision"]
_PLACES = ["sur le canapé", "dans la cuisine", "au bureau", "près de la fenêtre",
           "devant la maison", "depuis 3 heures", "avec 2 amis", "sous la pluie",
           "avec 1 000 soldats", "pour 3,5 euros", "depuis 10 000 ans"]
_TAILS = ["", " ce matin", " tous les jours", " le 12 mars", " sans rien dire", " à 2,5 %",
          " pour 1000 euros"]


def _sentence(rng: random.Random) -> str:
    return (f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_PLACES)}"
            f"{rng.choice(_TAILS)}{rng.choice(['.', '.', ' !', '...'])}")


@pytest.mark.parametrize("min_score", [40, 70, 95])
def test_lookup_finds_every_match_an_exhaustive_scan_finds(store: Store, min_score: int) -> None:
    rng = random.Random(7)
    sources = list(dict.fromkeys(_sentence(rng) for _ in range(600)))
    add_units(store, [TranslationUnit((Variant("fr-FR", s), Variant("en-GB", f"EN {i}")))
                      for i, s in enumerate(sources)])
    stored = [(u, u.variant("fr")) for u in iter_units(store)]
    for _ in range(40):
        query = _sentence(rng)
        if rng.random() < 0.5:
            query = query.upper() if rng.random() < 0.2 else query.replace("le ", "un ", 1)
        q = prepare(query)
        expected = sorted((r[0], r[1]) for u, v in stored
                          if v is not None and (r := score(q, prepare(v.text), min_score))
                          is not None)
        found = lookup(store, query, min_score=min_score, limit=10_000)
        assert sorted((x.score, x.penalties) for x in found) == expected, query
        top = lookup(store, query, min_score=min_score, limit=3)
        assert [x.score for x in top] == sorted((e[0] for e in expected), reverse=True)[:3]
        # the first searches, at 90% and 80%, must not change which units come first
        assert top == found[:3]
        assert lookup(store, query, min_score=min_score, limit=1) == found[:1]


def test_lookups_tried_at_higher_thresholds_first_give_the_same_top_matches(
        store: Store) -> None:
    base = "le conseil a adopté le rapport sur la sécurité des frontières extérieures"
    words = base.split()

    def changed(*positions: int) -> str:
        return " ".join("autre" if i in positions else w for i, w in enumerate(words))

    sources = [(base, "20200101T000000Z"), (changed(1), "20210101T000000Z"),
               (changed(5), "20230101T000000Z"), (changed(1, 5), "20220101T000000Z"),
               (changed(1, 5, 9), "20220101T000000Z"), (changed(0, 1, 5, 9), None)]
    add_units(store, [TranslationUnit((Variant("fr-FR", s), Variant("en-GB", f"EN {i}")),
                                      changedate=d) for i, (s, d) in enumerate(sources)])
    everything = lookup(store, base, min_score=50, limit=100)
    assert [x.score for x in everything] == [100.0, 91.6, 91.6, 83.3, 75.0, 66.6]
    assert [x.target for x in everything[1:3]] == ["EN 2", "EN 1"]  # the newer first
    for limit in range(1, 7):
        assert lookup(store, base, min_score=50, limit=limit) == everything[:limit], limit


def test_a_lookup_needs_two_languages(filled: Store) -> None:
    with pytest.raises(UsageError, match="both en"):
        lookup(filled, "The cat sleeps.", src="en", tgt="EN")
    assert lookup(filled, "The cat sleeps.", src="en-US", tgt="en-GB") == []  # two variants


def test_many_segments_differing_by_a_number_give_the_top_of_the_full_ranking(
        store: Store) -> None:
    """Ties among thousands of near-copies are decided by language tags and dates without
    scoring every copy: the answer must be the head of the full ranking all the same."""
    rng = random.Random(3)
    units = []
    for i in range(1500):
        fr = (f"Erreur {rng.randrange(60)} : le fichier {rng.randrange(40)} est introuvable"
              + rng.choice([".", ".", " !"]))
        date = rng.choice([None, f"2024{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"])
        units.append(TranslationUnit((Variant(rng.choice(["fr-FR", "fr", "fr-CA"]), fr),
                                      Variant(rng.choice(["en-GB", "en"]), f"EN {i}")),
                                     changedate=date))
    add_units(store, units)
    for query, src, tgt in [("Erreur 7 : le fichier 3 est introuvable.", "fr", "en"),
                            ("Erreur 7 : le fichier 3 est introuvable !", "fr-FR", "en-GB"),
                            ("Erreur 999 : le fichier 3 est introuvable.", "fr-CA", "en"),
                            ("erreur 12 : le fichier 12 est introuvable", "fr", "en-GB")]:
        everything = lookup(store, query, src=src, tgt=tgt, min_score=50, limit=10_000)
        assert len(everything) > 100
        for limit in (1, 2, 5, 20):
            assert lookup(store, query, src=src, tgt=tgt, min_score=50,
                          limit=limit) == everything[:limit], (query, limit)


def test_a_tie_is_won_by_the_unit_with_the_exact_target_tag_however_it_is_written(
        store: Store) -> None:
    tag = "EN-gb.x"  # no tag shape lang.normalize knows: stored as written
    old = TranslationUnit((Variant("fr", "Le chat dort 3 fois."), Variant(tag, "exact")),
                          changedate="20200101T000000Z")
    add_units(store, [old] + [
        TranslationUnit((Variant("fr", f"Le chat dort {i} fois."), Variant("en", "EN")),
                        changedate="20240101T000000Z") for i in range(40)])
    everything = lookup(store, "Le chat dort 99 fois.", tgt=tag, limit=1000)
    assert everything[0].target == "exact"  # all score 98: the exact tag wins over dates
    assert lookup(store, "Le chat dort 99 fois.", tgt=tag, limit=1) == everything[:1]


def test_the_target_locale_asked_for_comes_first(store: Store) -> None:
    add_units(store, [
        TranslationUnit((Variant("en-US", "Click the email button."),
                         Variant("fr-CA", "Cliquez sur le bouton courriel."))),
        TranslationUnit((Variant("en-GB", "Click the email button."),
                         Variant("fr-FR", "Cliquez sur le bouton e-mail."))),
        TranslationUnit((Variant("en-US", "Click the button."), Variant("en-GB", "Click it.")))])
    best = lookup(store, "Click the email button.", src="en-US", tgt="fr-FR")
    assert [(m.target_lang, m.target) for m in best] == [
        ("fr-FR", "Cliquez sur le bouton e-mail."), ("fr-CA", "Cliquez sur le bouton courriel.")]
    best = lookup(store, "Click the email button.", src="en-US", tgt="fr-CA")
    assert best[0].target_lang == "fr-CA"
    # within one language, the source is the region asked for, never the other way round
    (adapted,) = lookup(store, "Click the button.", src="en-US", tgt="en")
    assert (adapted.source_lang, adapted.target_lang) == ("en-US", "en-GB")
    assert lookup(store, "Click it.", src="en-US", tgt="en", min_score=50) == []


def test_a_long_paragraph_is_found_as_a_short_one_is(store: Store) -> None:
    # a paragraph of 350 words, repeated as in any long text: its own text, a part of it and
    # a longer text holding it are found as an exhaustive scan finds them
    rng = random.Random(3)
    vocab = ("le la les un une des de du et mais pour par sur dans avec sans plan paix guerre "
             "État pays force armée ville route pont eau feu terre mer jour nuit vie").split()
    paragraph = " ".join(rng.choice(vocab) for _ in range(350)) + "."
    add_units(store, [TranslationUnit((Variant("fr-FR", paragraph), Variant("en-GB", "EN")))])
    assert [m.score for m in lookup(store, paragraph)] == [100.0]
    words = paragraph.split()
    for query in (" ".join(words[:310]), paragraph + " " + " ".join(words[:40])):
        expected = score(prepare(query), prepare(paragraph), 0)
        assert expected is not None and expected[0] >= 80
        assert [(m.score, m.penalties) for m in lookup(store, query, min_score=0)] == [expected]


def test_index_groups_of_a_query_repeating_its_words_are_those_of_its_positions() -> None:
    # the word sets j of the query's positions can hold, built from its distinct words
    from collections import Counter
    from itertools import combinations

    from tmtool.fuzzy import _word_sets

    rng = random.Random(1)
    for _ in range(200):
        pool = [rng.choice("abcdef") for _ in range(rng.randint(1, 9))]
        for j in range(1, min(3, len(pool)) + 1):
            assert _word_sets(Counter(pool), j) == {frozenset(c) for c in combinations(pool, j)}


def test_a_long_query_of_few_words_is_looked_up(store: Store) -> None:
    stored = " ".join(["Oui Non Non Oui Sans objet Oui Non"] * 150)
    add_units(store, [TranslationUnit((Variant("fr-FR", stored), Variant("en-GB", "EN")))])
    query = " ".join(["Oui Non Non Oui Sans objet Oui Non"] * 140)
    assert [m.score for m in lookup(store, query)] == [93.3]


def test_nothing_in_common_is_no_match_even_at_0(store: Store) -> None:
    add_units(store, [TranslationUnit((Variant("fr-FR", t), Variant("en-GB", "EN")))
                      for t in ("!!!", "***", "Le taux est de 3 % cette année.")])
    assert lookup(store, "??", min_score=0) == []
    assert [m.source for m in lookup(store, "!!!", min_score=0)] == ["!!!"]


def test_the_library_reads_typed_tags_as_the_cli_does(tmp_path: Path) -> None:
    """``lookup`` and ``analyse_text`` take "<b>...</b>" as inline codes by default, so a
    script gets the scores ``tm lookup`` and ``tm analyse`` show."""
    import json

    from click.testing import CliRunner

    from tmtool.analysis import analyse_text
    from tmtool.cli import main
    from tmtool.memory import import_tmx

    db = tmp_path / "tm.db"
    with Store(db) as store:
        import_tmx(store, Path(__file__).parent / "data" / "tmx" / "inline.tmx")
        typed = "Cliquez sur <b>Enregistrer</b> maintenant."
        found = lookup(store, typed, src="fr", tgt="en")
        assert (found[0].score, found[0].penalties) == (100.0, ())
        as_text = lookup(store, typed, src="fr", tgt="en", tags=False)
        assert as_text == [] or as_text[0].score < found[0].score
        analysed = analyse_text(store, typed, src="fr", tgt="en")
        assert analysed.segments[0].score == 100.0
    cli = CliRunner().invoke(main, ["tm", "lookup", typed, "--src", "fr", "--tgt", "en",
                                    "--db", str(db), "--format", "json"])
    assert json.loads(cli.output)[0]["score"] == found[0].score
