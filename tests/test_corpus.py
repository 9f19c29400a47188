"""The bundled corpus and its gold files must agree, and keep the features the tests rely on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"
DATA = Path(__file__).resolve().parent / "data"
SIDES = ("fr", "en")


def _text(side: str) -> str:
    return (CORPORA / f"ukraine-security.{side}.txt").read_text(encoding="utf-8")


def _sents(side: str) -> list[str]:
    return (DATA / f"ukraine-security.{side}.sents").read_text(encoding="utf-8").splitlines()


def _gold() -> list[tuple[list[int], list[int]]]:
    links = []
    for line in (DATA / "ukraine-security.gold").read_text(encoding="utf-8").splitlines():
        src, tgt = line.split(":")
        links.append((json.loads(src), json.loads(tgt)))
    return links


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("side", SIDES)
def test_sentences_reproduce_text(side: str) -> None:
    assert _squeeze("".join(_sents(side))) == _squeeze(_text(side))


@pytest.mark.parametrize("side", SIDES)
def test_sentences_are_clean_lines(side: str) -> None:
    for sent in _sents(side):
        assert sent and sent == sent.strip()


@pytest.mark.parametrize("side", SIDES)
def test_paragraph_ends_are_sentence_ends(side: str) -> None:
    sents = iter(_squeeze(s) for s in _sents(side))
    for para in re.split(r"\n\s*\n", _text(side).strip()):
        want = _squeeze(para)
        got = ""
        while len(got) < len(want):
            got += next(sents)
        assert got == want
    assert next(sents, None) is None


@pytest.mark.parametrize("side", SIDES)
def test_one_list_item_per_line_is_one_sentence(side: str) -> None:
    sents = set(_sents(side))
    items = [ln for ln in _text(side).splitlines() if re.match(r"(•|\d+\.)\s", ln)]
    assert len(items) >= 6
    assert all(item in sents for item in items)


def test_gold_covers_every_sentence_once_in_order() -> None:
    links = _gold()
    src = [i for s, _ in links for i in s]
    tgt = [j for _, t in links for j in t]
    assert src == list(range(len(_sents("fr"))))
    assert tgt == list(range(len(_sents("en"))))
    assert all(s or t for s, t in links)


def test_corpus_is_large_enough_and_has_every_link_kind() -> None:
    assert len(_sents("fr")) >= 40 and len(_sents("en")) >= 40
    kinds = {(len(s), len(t)) for s, t in _gold()}
    assert {(1, 1), (1, 2), (2, 1), (1, 0), (0, 1)} <= kinds


def test_headline_has_no_final_period() -> None:
    for side in SIDES:
        headline = _text(side).split("\n", 1)[0]
        assert headline == _sents(side)[0]
        assert not headline.endswith(".")


@pytest.mark.parametrize(
    ("side", "features"),
    [
        ("fr", ["« ", " »", "1,1 million", "1 %", "20 points", "24 décembre 2025", "M. ", "Mme ",
                "art. ", "n° ", "p. ex. ", "J. D. Vance", "\n• ", "\n1. ", "\n2. "]),
        ("en", ['"', "1.1 million", "1%", "20-point", "24 December 2025", "Mr. ", "U.S. ",
                "No. ", "J. D. Vance", "\n• ", "\n1. ", "\n2. "]),
    ],
)
def test_corpus_keeps_its_features(side: str, features: list[str]) -> None:
    text = _text(side)
    missing = [f for f in features if f not in text]
    assert not missing
