"""The aligner on real translations: a small TransRead novel and the bundled news corpus."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tmtool.alignment import align, parse_links
from tmtool.model import Link

DATA = Path(__file__).resolve().parent / "data"


def _strict_f1(gold: list[Link], test: list[Link]) -> float:
    """Strict link F1 as the shared scorer computes it (null links count in precision only)."""
    g = {(link.src, link.tgt) for link in gold}
    t = {(link.src, link.tgt) for link in test}
    precision = len(g & t) / len(t)
    g_full = {p for p in g if p[0] and p[1]}
    t_full = {p for p in t if p[0] and p[1]}
    recall = len(g_full & t_full) / len(g_full)
    return 2 * precision * recall / (precision + recall)


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(("book", "floor"), [("Emma", 0.6), ("LaFauteDeLAbbeMouret", 0.93)])
def test_transread_book_above_floor(shared: Path, book: str, floor: float) -> None:
    d = shared / "data" / "align" / "transread_enfr"
    links = align(_lines(d / f"{book}.fr"), _lines(d / f"{book}.en"))
    gold = parse_links((d / f"{book}.gold").read_text(encoding="utf-8"))
    assert _strict_f1(gold, links) >= floor


def test_scorer_agrees_with_the_shared_one(shared: Path) -> None:
    path = shared / "tools" / "score_links.py"
    spec = importlib.util.spec_from_file_location("score_links", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    d = shared / "data" / "align" / "transread_enfr"
    links = align(_lines(d / "Emma.fr"), _lines(d / "Emma.en"))
    gold = parse_links((d / "Emma.gold").read_text(encoding="utf-8"))
    theirs = mod.summarize(mod.counts([(g.src, g.tgt) for g in gold],
                                      [(t.src, t.tgt) for t in links]))["f1_strict"]
    assert _strict_f1(gold, links) == pytest.approx(theirs)


def test_bundled_news_corpus() -> None:
    fr = DATA / "ukraine-security.fr.sents"
    if not fr.exists():
        pytest.skip("bundled corpus not present")
    links = align(_lines(fr), _lines(DATA / "ukraine-security.en.sents"))
    gold = parse_links((DATA / "ukraine-security.gold").read_text(encoding="utf-8"))
    assert _strict_f1(gold, links) >= 0.95
