"""Sentence aligner: link shapes, soft paragraph anchors, glossary evidence, totality."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmtool.alignment import align, format_link, parse_links
from tmtool.alignment import settings as aligner_settings
from tmtool.errors import UsageError
from tmtool.model import Link

DATA = Path(__file__).resolve().parent / "data"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _forms(links: list[Link]) -> list[str]:
    return [format_link(link) for link in links]


def _assert_total(links: list[Link], n: int, m: int) -> None:
    """Every sentence in exactly one link, in order, each link non-empty and contiguous."""
    src = [i for link in links for i in link.src]
    tgt = [j for link in links for j in link.tgt]
    assert src == list(range(n))
    assert tgt == list(range(m))
    for link in links:
        assert link.src or link.tgt
        assert 0.0 <= link.score <= 1.0


def test_sample_gets_every_link_kind_right() -> None:
    # 1-1, 2-1 (two sentences joined), 1-2 (one split), 1-0 (a note left out), 0-1 (an
    # added sentence): the whole hand-made gold, link for link
    src = _lines(DATA / "alignment" / "sample.fr")
    tgt = _lines(DATA / "alignment" / "sample.en")
    gold = parse_links((DATA / "alignment" / "sample.gold").read_text(encoding="utf-8"))
    links = align(src, tgt)
    assert _forms(links) == _forms(gold)
    kinds = {link.kind for link in links}
    assert {"1-1", "2-1", "1-2", "1-0", "0-1"} <= kinds


def test_untranslated_and_added_sentences_get_low_confidence() -> None:
    src = _lines(DATA / "alignment" / "sample.fr")
    tgt = _lines(DATA / "alignment" / "sample.en")
    links = align(src, tgt)
    nulls = [link.score for link in links if not link.src or not link.tgt]
    full = [link.score for link in links if link.src and link.tgt]
    assert nulls and full
    assert max(nulls) < min(full)
    assert all(0.0 <= s <= 1.0 for s in nulls + full)


def test_glossary_pair_changes_the_decision() -> None:
    # by length alone the short English sentence goes with the first French one
    src = ["Le chat gris dort sur le tapis.",
           "La vache rousse mange du foin vert dans le grand pré du voisin."]
    tgt = ["The red cow eats hay."]
    assert _forms(align(src, tgt)) == ["[0]:[0]", "[1]:[]"]
    with_glossary = align(src, tgt, glossary=[("vache", "cow")])
    assert _forms(with_glossary) == ["[0]:[]", "[1]:[0]"]
    multiword = align(src, tgt, glossary=[("vache rousse", "red cow")])
    assert _forms(multiword) == ["[0]:[]", "[1]:[0]"]


def test_paragraphs_are_soft_anchors() -> None:
    src = ["Il faisait froid.", "Le vent soufflait.", "Nous marchions vite."]
    tgt = ["It was cold and windy.", "We walked fast."]
    assert _forms(align(src, tgt)) == ["[0, 1]:[0]", "[2]:[1]"]
    moved = align(src, tgt, src_paras=[0, 1, 1], tgt_paras=[0, 1])
    assert _forms(moved) == ["[0]:[0]", "[1, 2]:[1]"]
    kept = align(src, tgt, src_paras=[0, 0, 1], tgt_paras=[0, 1])
    assert _forms(kept) == ["[0, 1]:[0]", "[2]:[1]"]


def test_paragraphs_never_force_a_link() -> None:
    # strong lexical evidence beats paragraph marks that disagree with it
    src = ["Paris compte 2 148 000 habitants.", "Lyon en compte 522 000."]
    tgt = ["Paris has 2,148,000 inhabitants.", "Lyon has 522,000."]
    links = align(src, tgt, src_paras=[0, 1], tgt_paras=[0, 0])
    assert _forms(links) == ["[0]:[0]", "[1]:[1]"]


def test_paragraph_list_of_wrong_length_is_refused() -> None:
    with pytest.raises(UsageError, match="src_paras has 1 entries for 2 sentences"):
        align(["A.", "B."], ["A."], src_paras=[0], tgt_paras=[0])


@pytest.mark.parametrize(("src", "tgt", "expected"), [
    ([], [], []),
    (["Bonjour."], [], ["[0]:[]"]),
    ([], ["Hello.", "Bye."], ["[]:[0]", "[]:[1]"]),
    (["Bonjour 1."], ["Hello 1."], ["[0]:[0]"]),
])
def test_empty_and_tiny_inputs(src: list[str], tgt: list[str], expected: list[str]) -> None:
    assert _forms(align(src, tgt)) == expected


def test_empty_sentences_are_covered() -> None:
    links = align(["", "Un deux trois.", ""], ["One two three.", ""])
    _assert_total(links, 3, 2)


_words = st.sampled_from(["le", "chat", "Paris", "12", "maison", "house", "the", "cat", "?",
                          "révolution", "revolution", "«", "x"])
_sentence = st.lists(_words, min_size=0, max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(_sentence, max_size=25), st.lists(_sentence, max_size=25))
def test_links_cover_every_sentence_once_in_order(src: list[str], tgt: list[str]) -> None:
    _assert_total(align(src, tgt), len(src), len(tgt))


def test_long_untranslated_passage_is_left_out() -> None:
    # 30 source sentences missing from the target in the middle: the band must stretch
    src = [f"Le chapitre {i} parle de la ville numéro {i}." for i in range(60)]
    tgt = [f"Chapter {i} is about town number {i}." for i in list(range(15)) + list(range(45, 60))]
    links = align(src, tgt)
    _assert_total(links, 60, 30)
    pairs = {(link.src, link.tgt) for link in links}
    assert ((20,), ()) in pairs
    assert ((50,), (20,)) in pairs


def test_settings_record_the_parameters() -> None:
    s = aligner_settings()
    json.dumps(s)
    assert "1-1" in s["moves"]
    assert aligner_settings(merge_cost=2.0)["merge_cost"] == 2.0
    with pytest.raises(UsageError, match="unknown aligner setting"):
        aligner_settings(nonsense=1)
    with pytest.raises(UsageError, match="must include 1-1"):
        align(["a"], ["b"], moves=["1-2", "2-1"])


def test_moves_can_be_restricted() -> None:
    src = _lines(DATA / "alignment" / "sample.fr")
    tgt = _lines(DATA / "alignment" / "sample.en")
    links = align(src, tgt, moves=["1-1", "1-0", "0-1"])
    assert {link.kind for link in links} <= {"1-1", "1-0", "0-1"}
    _assert_total(links, len(src), len(tgt))


def test_numbers_days_and_months_written_out_are_evidence_for_french_english() -> None:
    """A sentence left out of a short translation: "quatre heures" / "four hours" and
    "jeudi" / "Thursday" show which English sentences the French ones are."""
    from tmtool.alignment.lexicon import fixed_pairs

    fr = ["Les ministres se sont retrouvés à Berlin lundi.",
          "Ils ont examiné le calendrier des livraisons.",
          "Le chancelier a rejoint la séance par téléphone.",
          "La séance a duré quatre heures.",
          "Une déclaration paraîtra jeudi.",
          "La prochaine rencontre aura lieu à Rome en mars."]
    en = ["The ministers met in Berlin on Monday.",
          "They reviewed the delivery schedule.",
          "The session lasted four hours.",
          "A statement will be released on Thursday.",
          "The next meeting will take place in Rome in March."]
    links = [(link.src, link.tgt) for link in align(fr, en)]
    assert ((2,), ()) in links and ((3,), (2,)) in links and ((4,), (3,)) in links
    assert ("quatre", "four") in fixed_pairs("fr", "en")
    assert ("four", "quatre") in fixed_pairs("en", "fr") and fixed_pairs("fr", "de") == []


def test_lexical_support_counts_words_that_always_translate_the_same() -> None:
    from tmtool.alignment import lexical_support

    pair = (["Elle a quatre chats."], ["She owns four dogs."], [Link((0,), (0,), 1.0)])
    assert lexical_support(*pair) == (1, 1)
    assert lexical_support(*pair, src_lang="fr", tgt_lang="de") == (0, 1)


def test_align_gives_the_support_of_its_links_with_them() -> None:
    """What the aligner counts on the way is what ``lexical_support`` counts afterwards: the
    glossary and the lexicon it learns do not make unrelated texts look related."""
    from tmtool.alignment import align_with_support, lexical_support

    fr = ["Le 3 mai, Paris a voté.", "Il pleuvait beaucoup.", "Quatre chats dormaient.",
          "Les enfants jouaient dehors.", "Personne ne savait pourquoi."]
    en = ["On 3 May, Paris voted.", "It rained a lot.", "Four cats were asleep.",
          "The children played outside.", "Nobody knew why."]
    links, found = align_with_support(fr, en, glossary=[("enfants", "children")])
    assert found == lexical_support(fr, en, links) == (2, 5)


@pytest.mark.parametrize("segmented", [False, True])
def test_align_texts_leaves_a_byte_order_mark_out_of_the_segments(segmented: bool) -> None:
    from tmtool.bitext import align_texts

    bitext = align_texts("\ufeffBonjour.\nMerci.\n", "\ufeffHello.\nThank you.\n",
                         segmented=segmented)
    assert [s.text for s in bitext.src] == ["Bonjour.", "Merci."]
    assert [s.text for s in bitext.tgt] == ["Hello.", "Thank you."]
    assert bitext.src[0].start == 1
