"""Units as the memory stores them, and large files read by a second process."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
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
    assert tmrows.texts(item) == [("en-GB", "The cat sleeps.", ""), ("fr-FR", "Le chat dort.", "")]


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
    # TranslationUnits. Both ways must give the same rows, skips and errors.
    from tmtool.formats.tmx import read_tmx

    def as_units(path: Path) -> list[tmrows.Batch]:
        skips: list[tmrows.Skip] = []
        units = read_tmx(path, on_skip=lambda reason, line: skips.append(tmrows.Skip(reason,
                                                                                     line)))
        return list(tmrows.batches(units, path.name, skips))

    def as_tuples(path: Path) -> list[tmrows.Batch]:
        return [(items, skips) for items, skips, _ in
                tmrows._read(str(path), path.name, lambda: True)]

    paths = sorted(DATA.glob("*.tmx")) + sorted((shared / "samples" / "tmx").glob("*.tmx"))
    compared = skipped = failed = 0
    for path in paths:
        try:
            expected = as_units(path)
        except FormatError as e:
            with pytest.raises(FormatError) as err:
                as_tuples(path)
            assert str(err.value) == str(e)
            failed += 1
            continue
        got = as_tuples(path)
        assert got == expected, path.name
        compared += sum(len(items) for items, _ in got)
        skipped += sum(len(skips) for _, skips in got)
    assert compared > 300 and skipped and failed >= 2


def test_a_unit_without_two_languages_and_texts_is_skipped() -> None:
    prep = tmrows.Preparer(None)
    for langs, why in ((("fr-FR", "en-GB"), "has 0 non-empty variant(s), fewer than two"),
                       (("", "*all*"), "has a variant without a language"),
                       ((None, "en"), "has a variant without a language")):
        unit = TranslationUnit(tuple(Variant(lang, text) for lang, text in  # type: ignore[arg-type]
                                     zip(langs, ("", " \n"), strict=True)), tuid="9")
        assert prep.item(unit) == tmrows.Skip(f"unit '9' {why}")


def test_imports_restore_the_cycle_collector(tmp_path: Path) -> None:
    import gc

    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx version='1.4'><header/><body><tu>", encoding="utf-8")
    with Store(tmp_path / "m.db") as store:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            try:
                import_tmx(store, DATA / "memory.tmx")
                assert gc.isenabled() == enabled
                with pytest.raises(FormatError):
                    import_tmx(store, bad)
                assert gc.isenabled() == enabled
            finally:
                gc.enable()


def _latest(unit: TranslationUnit) -> str:
    dates = [unit.changedate, unit.creationdate]
    for v in unit.variants:
        dates += [v.changedate, v.creationdate]
    return tmrows.date_key(*dates)


def _earliest(a: str | None, b: str | None) -> str | None:
    if a and b:
        return a if tmrows.date_key(a) <= tmrows.date_key(b) else b
    return a or b


def _union(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(a + b))


def _newer_props(latest: tuple[tuple[str, str], ...], other: tuple[tuple[str, str], ...]
                 ) -> tuple[tuple[str, str], ...]:
    """The newer version's props, then the other's of a type the newer lacks."""
    types = {t for t, _ in latest}
    return tuple(dict.fromkeys(latest + tuple(p for p in other if p[0] not in types)))


def merged_units(old: TranslationUnit, new: TranslationUnit) -> TranslationUnit:
    """What merging two units with the same texts must give, written on the units."""
    latest, other = (new, old) if _latest(new) > _latest(old) else (old, new)
    by_key = {(v.lang, v.text): v for v in other.variants}
    variants = []
    for v in latest.variants:
        o = by_key[(v.lang, v.text)]
        variants.append(replace(
            v, markup=v.markup if v.markup is not None else o.markup,
            props=_newer_props(v.props, o.props), notes=_union(v.notes, o.notes),
            creationdate=_earliest(v.creationdate, o.creationdate),
            creationid=v.creationid or o.creationid, changedate=v.changedate or o.changedate,
            changeid=v.changeid or o.changeid))
    counts = [u.usagecount for u in (old, new) if u.usagecount is not None]
    usage = max(counts) if counts else None  # both may count the same uses
    return replace(
        latest, variants=tuple(variants), tuid=latest.tuid or other.tuid,
        srclang=latest.srclang or other.srclang, props=_newer_props(latest.props, other.props),
        notes=_union(latest.notes, other.notes),
        creationdate=_earliest(latest.creationdate, other.creationdate),
        creationid=latest.creationid or other.creationid,
        changedate=latest.changedate or other.changedate,
        changeid=latest.changeid or other.changeid, usagecount=usage,
        origin=latest.origin or other.origin)


_dates = st.one_of(st.none(), st.builds(
    lambda y, m, d: f"{y}{m:02d}{d:02d}T120000Z", st.integers(2000, 2030), st.integers(1, 12),
    st.integers(1, 28)))
_ids = st.one_of(st.none(), st.sampled_from(["anna", "ben"]))
_props = st.lists(st.tuples(st.sampled_from(["x-a", "x-b"]), st.sampled_from(["1", "2"])),
                  max_size=2).map(tuple)
_notes = st.lists(st.sampled_from(["checked", "draft"]), max_size=2).map(tuple)


@st.composite
def _unit_pair(draw: Any) -> tuple[TranslationUnit, TranslationUnit]:
    # Two duplicates: the same languages, texts and inline codes, any metadata.
    sides = [(lang, text, draw(st.sampled_from([None, f"<ph x='1'/>{text}"])))
             for lang, text in (("fr-FR", "Le chat dort."), ("en-GB", "The cat sleeps."))]

    def unit() -> TranslationUnit:
        variants = tuple(Variant(
            lang, text, markup=markup, props=draw(_props), notes=draw(_notes),
            creationdate=draw(_dates), changedate=draw(_dates), creationid=draw(_ids),
            changeid=draw(_ids))
            for lang, text, markup in sides)
        if draw(st.booleans()):
            variants = variants[::-1]
        return TranslationUnit(
            variants, tuid=draw(st.sampled_from([None, "1", "2"])),
            srclang=draw(st.sampled_from([None, "fr-FR"])), props=draw(_props),
            notes=draw(_notes), creationdate=draw(_dates), changedate=draw(_dates),
            creationid=draw(_ids), changeid=draw(_ids),
            usagecount=draw(st.sampled_from([None, 0, 3])),
            origin=draw(st.sampled_from([None, "a.tmx", "b.tmx"])))
    return unit(), unit()


@given(_unit_pair())
def test_merging_two_items_merges_their_units(pair: tuple[TranslationUnit, TranslationUnit]
                                              ) -> None:
    old, new = pair
    prep = tmrows.Preparer(None)
    items = [prep.item(u, analyse) for u in (old, new) for analyse in (True, False)]
    for a in items[:2]:
        for b in items[2:]:
            merged = tmrows.merge_items(a, b)  # type: ignore[arg-type]
            assert tmrows.item_unit(merged) == merged_units(old, new)
            # the analysis an item carries is kept, whichever side gave it
            assert (merged[2][0][4] is None) == (a[2][0][4] is None and b[2][0][4] is None)


@settings(max_examples=30, deadline=None)
@given(_unit_pair())
def test_a_duplicate_of_a_stored_unit_is_merged_into_it(
        pair: tuple[TranslationUnit, TranslationUnit]) -> None:
    # The stored side comes back from the store, its analysis left out and its latest date
    # read from the store, and the merged unit is written back.
    import tempfile

    from tmtool.memory import add_units, get_unit

    old, new = pair
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "m.db") as store:
        add_units(store, [old])
        assert add_units(store, [new]).merged == 1
        stored = get_unit(store, 1)
        assert stored is not None
        # variants keep the order they were first stored in
        assert stored == replace(merged_units(old, new), variants=tuple(
            sorted(merged_units(old, new).variants, key=stored.variants.index)))


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
