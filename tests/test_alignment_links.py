"""Gold-file link form and glossary files read by the aligner."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tmtool.alignment import format_link, load_glossary, parse_links
from tmtool.errors import FormatError, InputError
from tmtool.model import Link


def test_format_matches_the_gold_files() -> None:
    assert format_link(Link((3, 4), (2,))) == "[3, 4]:[2]"
    assert format_link(Link((), (5,))) == "[]:[5]"
    assert format_link(Link((7,), ())) == "[7]:[]"


def test_parse_reads_scores_and_blank_lines() -> None:
    links = parse_links("[0]:[0]\n\n[1, 2]:[1]:0.75\n[]:[2]\n")
    assert links == [Link((0,), (0,)), Link((1, 2), (1,), 0.75), Link((), (2,))]


@pytest.mark.parametrize(("text", "line", "message"), [
    ("[0]:[0]\n[1]-[1]\n", 2, "not a link"),
    ("[a]:[0]\n", 1, "not a link"),
    ("[]:[]\n", 1, "a link needs a sentence on at least one side"),
    ("[0]:[0]:high\n", 1, "bad score"),
])
def test_parse_errors_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(FormatError, match=message) as err:
        parse_links(text, "x.gold")
    assert err.value.line == line
    assert str(err.value).startswith(f"x.gold, line {line}: ")


_side = st.lists(st.integers(0, 10_000), max_size=5).map(tuple)


@given(st.lists(st.tuples(_side, _side).filter(lambda p: p[0] or p[1]), max_size=20))
def test_format_then_parse_round_trips(pairs: list[tuple[tuple[int, ...], ...]]) -> None:
    links = [Link(s, t) for s, t in pairs]
    assert parse_links("\n".join(format_link(link) for link in links)) == links


def test_glossary_tsv_with_header_and_comments(tmp_path: Path) -> None:
    p = tmp_path / "g.tsv"
    p.write_text("fr\ten\n# animals\nvache\tcow\n\nfoin\thay\n", encoding="utf-8")
    assert load_glossary(p) == [("vache", "cow"), ("foin", "hay")]


def test_glossary_csv_with_quotes(tmp_path: Path) -> None:
    p = tmp_path / "g.csv"
    p.write_text('source,target\n"garanties de sécurité, fermes",firm security guarantees\n'
                 "OTAN,NATO\n", encoding="utf-8")
    assert load_glossary(p) == [("garanties de sécurité, fermes", "firm security guarantees"),
                                ("OTAN", "NATO")]


def test_glossary_first_line_is_data_when_not_a_header(tmp_path: Path) -> None:
    p = tmp_path / "g.tsv"
    p.write_text("cessez-le-feu\tceasefire\n", encoding="utf-8")
    assert load_glossary(p) == [("cessez-le-feu", "ceasefire")]


def test_glossary_errors(tmp_path: Path) -> None:
    p = tmp_path / "g.tsv"
    p.write_text("vache\tcow\nfoin\n", encoding="utf-8")
    with pytest.raises(FormatError, match="expected two columns") as err:
        load_glossary(p)
    assert err.value.line == 2
    p.write_text("vache\t\n", encoding="utf-8")
    with pytest.raises(FormatError, match="empty term"):
        load_glossary(p)
    with pytest.raises(InputError, match="no such file"):
        load_glossary(tmp_path / "missing.tsv")
