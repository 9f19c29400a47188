"""Units as the memory stores them, and large files read by a second process."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tmtool import tmrows
from tmtool.errors import FormatError, InputError
from tmtool.memory import import_tmx, iter_units, stats
from tmtool.model import TranslationUnit, Variant
from tmtool.store import Store

DATA = Path(__file__).parent / "data" / "tm"
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="files are read in a second process on Linux only")


def test_an_item_gives_back_its_unit() -> None:
    unit = TranslationUnit((Variant("fr-FR", "Le chat dort.", props=(("x-a", "1"),)),
                            Variant("en-GB", "The cat sleeps.", notes=("checked",))),
                           tuid="7", changedate="20240131T120000Z", usagecount=3,
                           origin="a.tmx")
    item = tmrows.Preparer(None).item(unit)
    assert not isinstance(item, tmrows.Skip)
    assert tmrows.item_unit(item) == unit
    assert tmrows.texts(item) == [("en-GB", "The cat sleeps."), ("fr-FR", "Le chat dort.")]


@given(st.lists(st.text(max_size=40), min_size=2, max_size=3))
def test_an_item_analysed_later_is_the_item_analysed_at_once(texts: list[str]) -> None:
    # The reading process leaves the analysis of some batches to the importer.
    unit = TranslationUnit(tuple(Variant(lang, text) for lang, text in
                                 zip(("fr-FR", "en-GB", "de"), texts, strict=False)),
                           changedate="20240131T120000Z")
    whole = tmrows.Preparer(None).item(unit)
    bare = tmrows.Preparer(None).item(unit, analyse=False)
    if isinstance(whole, tmrows.Skip):
        assert bare == whole
    else:
        assert not isinstance(bare, tmrows.Skip)
        assert all(v[4] is None for v in bare[2])
        assert tmrows.analysed(bare) == whole == tmrows.analysed(whole)


def test_batches_left_unanalysed_give_the_same_items_once_analysed(monkeypatch: Any) -> None:
    from tmtool.formats.tmx import read_tmx

    monkeypatch.setattr(tmrows, "BATCH", 4)
    path = DATA / "memory.tmx"
    turns = iter(range(1000))
    mixed = tmrows._read(str(path), "m", lambda: next(turns) % 2 == 0)
    batches = list(tmrows.batches(read_tmx(path, on_skip=lambda *_: None), "m"))
    got = list(mixed)
    assert {here for _, _, here in got} == {True, False}
    done = [([tmrows.analysed(i) for i in items], skips) for items, skips, _ in got]
    assert done == batches


def test_tmx_units_read_as_tuples_give_the_items_of_the_units(shared: Path) -> None:
    # An import turns the reader's tuples straight into rows; every other caller gets
    # TranslationUnits. Both ways must give the same rows, metadata and skips included.
    from tmtool.formats.tmx import read_tmx

    paths = sorted(DATA.glob("*.tmx")) + sorted((shared / "samples" / "tmx").glob("*.tmx"))
    compared = 0
    for path in paths:
        if path.name in ("hostile.tmx", "broken_at_end.tmx"):
            continue
        units = read_tmx(path, on_skip=lambda *_: None)
        expected = list(tmrows.batches(units, path.name))
        got = [(items, skips) for items, skips, _ in
               tmrows._read(str(path), path.name, lambda: True)]
        assert [b[0] for b in got] == [b[0] for b in expected], path.name
        compared += sum(len(b[0]) for b in got)
    assert compared > 300


def test_index_terms_carry_language_and_length() -> None:
    body = tmrows.index_body("le chat dort", "fr", 3)
    assert body.split() == [f"{w}{tmrows.suffix('fr', 3)}" for w in ("le", "chat", "dort")]
    assert tmrows.bucket(6) != tmrows.bucket(7) == tmrows.bucket(10) != tmrows.bucket(11)
    assert all(tmrows.bucket(n) <= tmrows.bucket(n + 1) for n in range(300))
    assert tmrows.buckets(10, 14) == sorted({tmrows.bucket(n) for n in range(10, 15)})


@linux_only
def test_the_reading_process_gives_the_batches_read_in_process() -> None:
    path = str(DATA / "memory.tmx")
    got = [([tmrows.analysed(i) for i in items], skips)
           for items, skips in tmrows.prepared_batches(path, "m")]
    assert got == list(tmrows._read_batches(path, "m"))


@linux_only
def test_reading_process_errors_are_raised_with_file_and_line() -> None:
    with pytest.raises(FormatError) as err:
        list(tmrows.prepared_batches(str(DATA / "broken_at_end.tmx"), None))
    assert err.value.path.endswith("broken_at_end.tmx") and err.value.line
    with pytest.raises(InputError, match="no such file"):
        list(tmrows.prepared_batches(str(DATA / "missing.tmx"), None))


@linux_only
def test_a_large_file_imports_through_the_reading_process(
        db_path: Path, monkeypatch: Any) -> None:
    with Store(db_path) as store:
        import_tmx(store, DATA / "memory.tmx")
        expected = list(iter_units(store))
    monkeypatch.setattr(tmrows, "PARALLEL_MIN_BYTES", 0)
    calls = []
    real = tmrows.prepared_batches
    monkeypatch.setattr(tmrows, "prepared_batches",
                        lambda *a: calls.append(a) or real(*a))
    db_path.unlink()
    with Store(db_path) as store:
        before = stats(store)
        with pytest.raises(FormatError):
            import_tmx(store, DATA / "broken_at_end.tmx")
        assert stats(store)["units"] == before["units"] == 0
        report = import_tmx(store, DATA / "memory.tmx")
        assert list(iter_units(store)) == expected
        assert report.added == len(expected)
    assert len(calls) == 2


def test_the_importer_analyses_the_items_it_stores(tmp_path: Path) -> None:
    # Batches left unanalysed by the reading process, duplicates included, are stored as
    # analysed ones are: same units, same index.
    from tmtool.fuzzy import lookup
    from tmtool.memory import _Importer

    path = DATA / "memory.tmx"

    def contents(store: Store) -> tuple[Any, ...]:
        rows = store.conn.execute("SELECT id, keys, ntok FROM tm_variants ORDER BY id").fetchall()
        terms = store.conn.execute("SELECT term, df FROM tm_terms ORDER BY term").fetchall()
        return (list(iter_units(store)), rows, terms,
                lookup(store, "Le chat dort sur le canapé.", min_score=40))

    results = []
    for here in (True, False):
        with Store(tmp_path / f"{here}.db") as store:
            for _ in range(2):  # the second import merges every unit
                _Importer(store, "m", None).run(
                    (items, skips) for items, skips, _ in
                    tmrows._read(str(path), "m", lambda here=here: here))
            results.append(contents(store))
    assert results[0] == results[1] and results[0][1]
