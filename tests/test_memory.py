"""The translation memory: import (one transaction per file, merges), lookup, concordance,
export."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tmtool.concordance import concordance
from tmtool.errors import FormatError, StoreError, UsageError
from tmtool.formats.tmx import read_tmx, read_tmx_header
from tmtool.fuzzy import lookup
from tmtool.memory import (
    SCHEMA_VERSION,
    DeleteReport,
    Skip,
    add_units,
    delete_units,
    export_tmx,
    get_unit,
    import_tmx,
    iter_units,
    stats,
)
from tmtool.model import TranslationUnit, Variant
from tmtool.store import Store

DATA = Path(__file__).parent / "data" / "tm"


def _snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, full-text index shadow tables included."""
    names = [r[0] for r in store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
    return {n: sorted(store.conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)
            for n in names}


def _tu_count(path: Path) -> int:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return len(etree.parse(str(path), parser).getroot().findall("./body/tu"))


def _pairs(unit: TranslationUnit) -> list[tuple[str, str, str]]:
    """What makes two units duplicates: languages, texts and inline codes."""
    return sorted((v.lang, v.text, v.markup or "") for v in unit.variants)


# -- import ------------------------------------------------------------------------------------


def test_every_real_sample_imports_and_nothing_is_silently_lost(shared: Path,
                                                                tmp_path: Path) -> None:
    samples = sorted((shared / "samples" / "tmx").glob("*.tmx"))
    assert len(samples) >= 15
    for i, path in enumerate(samples):
        skips: list[tuple[str, int | None]] = []
        units = list(read_tmx(path, on_skip=lambda r, line, into=skips: into.append((r, line))))
        with Store(tmp_path / f"{i}.db") as store:
            report = import_tmx(store, path)
            assert report.read == len(units) + len(skips) == _tu_count(path), path.name
            assert report.added + report.merged + len(report.skipped) == report.read
            assert all(s.reason for s in report.skipped)
            assert [(s.reason, s.line) for s in report.skipped] == skips
            stored = list(iter_units(store))
            assert len(stored) == report.added
            assert sorted(map(_pairs, stored)) == sorted({tuple(_pairs(u)): _pairs(u)
                                                          for u in units}.values())
            assert {u.origin for u in stored} <= {path.name}


def test_duplicates_are_merged_keeping_the_newest(store: Store) -> None:
    report = import_tmx(store, DATA / "duplicates.tmx")
    assert (report.read, report.added, report.merged) == (4, 2, 1)
    assert len(report.skipped) == 1 and "fewer than two" in report.skipped[0].reason
    merged = next(u for u in iter_units(store) if u.tuid == "new")
    assert merged.changedate == "20250601T120000Z"
    assert merged.creationdate == "20200101T000000Z"
    assert merged.usagecount == 4  # the higher: two exports of a memory count the same uses
    assert set(merged.notes) == {"first version", "second version"}
    assert stats(store)["duplicates_merged"] == 1

    again = import_tmx(store, DATA / "duplicates.tmx")
    assert (again.added, again.merged) == (0, 3)
    assert stats(store)["units"] == 2
    again_merged = next(u for u in iter_units(store) if u.tuid == "new")
    assert again_merged == merged  # importing a file again changes nothing...
    assert stats(store)["duplicates_merged"] == 4  # ... but the count of imports


def test_a_merge_keeps_the_newer_versions_props_type_by_type(store: Store) -> None:
    def unit(date: str, props: tuple[tuple[str, str], ...], usage: int) -> TranslationUnit:
        return TranslationUnit((Variant("fr", "Oui."), Variant("en", "Yes.")), changedate=date,
                               props=props, usagecount=usage)

    add_units(store, [unit("20240101T000000Z", (("x-Client", "OldCo"), ("x-Domain", "Law")), 7),
                      unit("20250101T000000Z", (("x-Client", "NewCo"),), 2)], origin="t")
    (merged,) = iter_units(store)
    assert merged.props == (("x-Client", "NewCo"), ("x-Domain", "Law"))
    assert merged.usagecount == 7


def test_importing_a_copy_keeps_the_units_origin(store: Store, tmp_path: Path) -> None:
    import_tmx(store, DATA / "memory.tmx")
    copy = tmp_path / "copy.tmx"
    copy.write_bytes((DATA / "memory.tmx").read_bytes())
    assert import_tmx(store, copy).merged == 5
    assert {u.origin for u in iter_units(store)} == {"memory.tmx"}
    assert stats(store)["origins"] == {"copy.tmx": 5, "memory.tmx": 5}  # both brought them
    # naming the origin relabels them
    assert import_tmx(store, copy, origin="client X").merged == 5
    assert {u.origin for u in iter_units(store)} == {"client X"}
    assert stats(store)["origins"] == {"client X": 5, "copy.tmx": 5, "memory.tmx": 5}


def test_a_file_failing_at_its_end_leaves_the_store_unchanged(filled: Store) -> None:
    before = _snapshot(filled)
    with pytest.raises(FormatError) as err:
        import_tmx(filled, DATA / "broken_at_end.tmx")
    assert "broken_at_end.tmx" in str(err.value)
    assert _snapshot(filled) == before
    assert concordance(filled, "parfaitement") == [] and concordance(filled, "correcte") == []
    # the store still works and takes the file once it is good
    assert import_tmx(filled, DATA / "memory.tmx").merged == 5


def test_a_hostile_file_leaves_the_store_unchanged(filled: Store) -> None:
    before = _snapshot(filled)
    with pytest.raises(FormatError):
        import_tmx(filled, DATA / "hostile.tmx")
    assert _snapshot(filled) == before


def test_a_failed_first_import_leaves_the_schema_and_an_empty_store(store: Store) -> None:
    def schema() -> list[tuple[Any, ...]]:
        return sorted(store.conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall(),
                      key=repr)

    import_tmx(store, DATA / "memory.tmx")
    store.conn.execute("DELETE FROM tm_units")  # an empty memory whose schema exists
    before, rows = schema(), _snapshot(store)
    with pytest.raises(FormatError):
        import_tmx(store, DATA / "broken_at_end.tmx")
    assert schema() == before and _snapshot(store) == rows
    assert import_tmx(store, DATA / "memory.tmx").added > 0
    assert schema() == before


def test_add_units_skips_what_an_import_skips_and_names_the_origin(store: Store,
                                                                   tmp_path: Path) -> None:
    """Units made in Python get the checks a TMX file's units get: a unit without two filled
    languages, or with a variant of no language, would be no translation, and the latter
    could not even be exported."""
    units = [TranslationUnit((Variant("fr", "Bonjour."), Variant("en", "Hello."))),
             TranslationUnit((Variant("fr", " "), Variant("en", "")), tuid="empty"),
             TranslationUnit((Variant("fr", "Seul."),), tuid="one"),
             TranslationUnit((Variant("", "Salut."), Variant("en", "Hi."))),
             TranslationUnit((Variant("fr", "Salut."), Variant("en", "Hi."),
                              Variant("de", "")), tuid="three")]
    report = add_units(store, units, origin="hand")
    assert (report.read, report.added) == (5, 2)
    assert report.skipped == (Skip("unit 'empty' has 0 non-empty variant(s), fewer than two"),
                              Skip("unit 'one' has 1 non-empty variant(s), fewer than two"),
                              Skip("unit has a variant without a language"))
    assert [u.origin for u in iter_units(store)] == ["hand", "hand"]
    assert export_tmx(store, tmp_path / "out.tmx") == 2


def test_schema_version_is_recorded_and_a_newer_store_refused(db_path: Path) -> None:
    with Store(db_path) as store:
        import_tmx(store, DATA / "memory.tmx")
        assert store.version("tm") == SCHEMA_VERSION == stats(store)["schema_version"]
        store.conn.execute("UPDATE schema SET version = ? WHERE component = 'tm'",
                           (SCHEMA_VERSION + 1,))
    with Store(db_path) as store, pytest.raises(StoreError, match="newer"):
        lookup(store, "Le chat dort.")


# -- export ------------------------------------------------------------------------------------


def test_export_validates_against_the_tmx_dtd(filled: Store, shared: Path,
                                              tmp_path: Path) -> None:
    out = tmp_path / "out.tmx"
    assert export_tmx(filled, out) == 5
    dtd = etree.DTD(str(shared / "schemas" / "tmx" / "tmx14.dtd"))
    doc = etree.parse(str(out), etree.XMLParser(no_network=True, load_dtd=False))
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()
    assert b'<bpt i="1">&lt;b&gt;</bpt>Enregistrer' in out.read_bytes()


def test_export_filters(filled: Store, tmp_path: Path) -> None:
    out = tmp_path / "out.tmx"
    assert export_tmx(filled, out, since="2024-01-11") == 2
    with pytest.raises(UsageError, match="no unit comes from origin 'nowhere'"):
        export_tmx(filled, out, origin="nowhere")  # a misspelt name would export nothing
    with pytest.raises(UsageError, match="did you mean 'memory.tmx'"):
        export_tmx(filled, out, origin="/some/folder/memory.tmx")
    assert export_tmx(filled, out, origin="memory.tmx") == 5
    add_units(filled, [TranslationUnit((Variant("fr", "Un."), Variant("de", "Eins."),
                                        Variant("en", "One.")))], origin="three")
    assert export_tmx(filled, out, src="fr", tgt="de") == 1
    assert [v.lang for u in read_tmx(out) for v in u.variants] == ["fr", "de"]
    assert read_tmx_header(out).props == (("x-tmtool-filter", "src=fr tgt=de"),)
    with pytest.raises(UsageError):
        export_tmx(filled, out, since="yesterday")



def test_since_with_a_time_zone_offset_is_read_in_utc(store: Store, tmp_path: Path) -> None:
    """TMX dates are UTC: 14:30 in Paris in winter is 13:30Z, after a unit changed at 13:00Z."""
    add_units(store, [
        TranslationUnit((Variant("fr", "Midi."), Variant("en", "Noon.")),
                        changedate="20240131T120000Z"),
        TranslationUnit((Variant("fr", "Une heure."), Variant("en", "One o'clock.")),
                        changedate="20240131T130000Z")], origin="t")
    out = tmp_path / "out.tmx"
    assert export_tmx(store, out, since="2024-01-31T14:30+01:00") == 0
    assert export_tmx(store, out, since="2024-01-31T13:30+01:00") == 1
    assert export_tmx(store, out, since="2024-01-31T08:30-04:00") == 1
    assert export_tmx(store, out, since="20240131T125959Z") == 1
    assert delete_units(store, since="2024-01-31T12:00:00-00:30", dry_run=True).deleted == 1
    assert export_tmx(store, out, since="2024-01-31T18+05:30") == 1  # 12:30Z: minutes kept
    assert export_tmx(store, out, since="2024-01-31T19+05:30") == 0
    for bad in ("2024-01-31+01:00", "2024-01-31T14:00+24:00", "2024-01-31T14:00+01:00Z",
                "0001-01-01T00:00+01:00"):
        with pytest.raises(UsageError, match="expected a date"):
            export_tmx(store, out, since=bad)


_XML_CHAR = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\ufffe\uffff",
                          min_codepoint=0x20) | st.sampled_from("\t\n")
_text = st.text(_XML_CHAR, min_size=1, max_size=20).filter(lambda s: s.strip() != "")
_meta = st.one_of(st.none(), st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7e),
                                     min_size=1, max_size=8))
_dates = st.dates(min_value=date(1000, 1, 1)).map(lambda d: d.strftime("%Y%m%dT120000Z"))
_date = st.one_of(st.none(), _dates)
_props = st.lists(st.tuples(st.from_regex(r"x-[a-z]{1,6}", fullmatch=True), _text), max_size=2)
_notes = st.lists(_text, max_size=2)
_attrs = st.dictionaries(st.sampled_from(["lastusagedate", "creationtool", "o-tmf"]),
                         _dates,
                         max_size=2).map(lambda d: tuple(d.items()))


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def _variant(draw: st.DrawFn, lang: str) -> Variant:
    pieces = draw(st.lists(st.tuples(st.sampled_from(["text", "ph", "pair"]), _text),
                           min_size=1, max_size=4))
    text, markup, tagged = "", "", False
    for i, (kind, value) in enumerate(pieces):
        if kind == "text":
            text += value
            markup += _escape(value)
        elif kind == "ph":
            tagged = True
            text += "\x00"  # a placeholder: a space between two words, else nothing
            markup += f'<ph x="{i}">{_escape(value)}</ph>'
        else:
            tagged = True
            text += value
            markup += (f'<bpt i="{i}">&lt;b&gt;</bpt>{_escape(value)}'
                       f'<ept i="{i}">&lt;/b&gt;</ept>')
    text = re.sub(r"(?<=\w)\x00+(?=\w)", " ", text).replace("\x00", "")
    if not text.strip():
        text, markup = "x" + text, "x" + markup
    return Variant(lang, text, markup if tagged else None, props=tuple(draw(_props)),
                   notes=tuple(draw(_notes)), creationdate=draw(_date),
                   changedate=draw(_date), creationid=draw(_meta), changeid=draw(_meta))


_unit = st.builds(
    lambda fr, en, tuid, props, notes, cd, md, usage, attrs: TranslationUnit(
        (fr, en), tuid=tuid, srclang="fr-FR", props=tuple(props), notes=tuple(notes),
        creationdate=cd, changedate=md, usagecount=usage, attrs=attrs),
    _variant("fr-FR"), _variant("en-GB"), _meta, _props, _notes, _date, _date,
    st.one_of(st.none(), st.integers(0, 1000)), _attrs)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_unit, min_size=1, max_size=5))
def test_import_export_import_gives_the_same_units(units: list[TranslationUnit]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "a.db") as a, Store(Path(tmp) / "b.db") as b:
            add_units(a, units)
            export_tmx(a, Path(tmp) / "out.tmx")
            import_tmx(b, Path(tmp) / "out.tmx")
            first = [_comparable(u) for u in iter_units(a)]
            second = [_comparable(u) for u in iter_units(b)]
    assert first == second
    distinct = {tuple(_pairs(u)) for u in units}
    assert len(first) == len(distinct)


def _index_state(store: Store) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The index's terms with their document counts, and the kept term counts."""
    store.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab "
                       "USING fts5vocab(main, tm_index, 'row')")
    terms = sorted(store.conn.execute("SELECT term, doc FROM temp.vocab"))
    store.conn.execute("DROP TABLE temp.vocab")
    return terms, sorted(store.conn.execute("SELECT term, df FROM tm_terms"))


def _rebuilt(units: list[TranslationUnit], tmp: Path) -> tuple[Any, Any]:
    with Store(tmp / "rebuilt.db") as fresh:
        add_units(fresh, units)
        return _index_state(fresh)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_unit, min_size=1, max_size=6), st.data())
def test_deleting_units_leaves_the_index_of_a_fresh_import_of_the_rest(
        units: list[TranslationUnit], data: st.DataObject) -> None:
    """A deleted variant leaves the index under exactly the terms it was indexed with: any
    other text would corrupt the index or leave postings that lookups then read."""
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "a.db") as store:
        add_units(store, units)
        ids = [r[0] for r in store.conn.execute("SELECT id FROM tm_units")]
        chosen = data.draw(st.lists(st.sampled_from(ids), unique=True))
        assert delete_units(store, unit_ids=chosen).deleted == len(chosen)
        rest = list(iter_units(store))
        assert len(rest) == len(ids) - len(chosen)
        assert _index_state(store) == _rebuilt(rest, Path(tmp))


def test_deleting_an_origin(store: Store, tmp_path: Path) -> None:
    import_tmx(store, DATA / "memory.tmx")
    other = [TranslationUnit((Variant("fr-FR", f"Le contrat numéro {n} prévoit 1 000 euros."),
                              Variant("en-GB", f"Contract number {n} provides EUR 1,000.")))
             for n in range(40)]
    add_units(store, [*other, TranslationUnit(
        (Variant("fr-FR", "Une <b>très</b> longue phrase " + "encore " * 30 + "."),
         Variant("en-GB", "A very long sentence " + "again " * 30 + ".")))], origin="client-b")
    store.conn.execute("INSERT INTO tm_origins(origin, props) "
                       "VALUES ('client-b', '[[\"x\", \"y\"]]')")
    assert lookup(store, "Le contrat numéro 7 prévoit 1 000 euros.")[0].score == 100
    kept = list(iter_units(store, origin="memory.tmx"))
    assert delete_units(store, origin="client-b", dry_run=True) == DeleteReport(41, 0)
    assert stats(store)["origins"]["client-b"] == 41  # a dry run deletes nothing
    assert delete_units(store, origin="client-b") == DeleteReport(41, 0)
    assert list(iter_units(store)) == kept
    assert stats(store)["origins"] == {"memory.tmx": len(kept)}
    assert store.conn.execute("SELECT origin FROM tm_origins").fetchall() == [("memory.tmx",)]
    assert all("contrat" not in m.source
               for m in lookup(store, "Le contrat numéro 7 prévoit 1 000 euros.", min_score=0))
    assert _index_state(store) == _rebuilt(kept, tmp_path)
    assert store.conn.execute("PRAGMA freelist_count").fetchone() == (0,)  # space given back
    with pytest.raises(UsageError, match="no unit comes from origin 'client-b'"):
        delete_units(store, origin="client-b")


def test_delete_filters(filled: Store) -> None:
    with pytest.raises(UsageError, match="nothing selected"):
        delete_units(filled)
    units = list(iter_units(filled))
    assert delete_units(filled, since="2024-01-11", dry_run=True).deleted == 2
    first, last = filled.conn.execute("SELECT min(id), max(id) FROM tm_units").fetchone()
    with pytest.raises(UsageError, match="no unit 10000 in the store"):
        delete_units(filled, unit_ids=[first, 10_000])  # nothing, rather than a part
    assert get_unit(filled, first) is not None
    assert delete_units(filled, unit_ids=[first, last]).deleted == 2
    assert get_unit(filled, first) is None
    assert delete_units(filled, unit_ids=[]).deleted == 0
    assert len(list(iter_units(filled))) == len(units) - 2
    add_units(filled, [_pair("Nouveau.", "New.")])  # a deleted unit's id is not given again
    assert filled.conn.execute("SELECT max(id) FROM tm_units").fetchone()[0] == last + 1
    for bad in ({"since": "yesterday"}, {"since": "2024-02-30"}, {"since": ""},
                {"src": ""}, {"src": "fr", "tgt": " "}):
        with pytest.raises(UsageError):  # an empty filter must not select more
            delete_units(filled, **bad)
    assert len(list(iter_units(filled))) == len(units) - 1


def test_a_variant_analysed_otherwise_makes_delete_index_the_memory_again(
        filled: Store, tmp_path: Path) -> None:
    """Its index terms cannot be told from its text: taking them out could corrupt the index,
    so what stays is indexed anew (and its keys made as this tmtool makes them)."""
    from tmtool.match import stored_keys

    first, second = (r[0] for r in filled.conn.execute(
        "SELECT id FROM tm_units ORDER BY id LIMIT 2"))
    for uid in (first, second):
        filled.conn.execute("UPDATE tm_variants SET keys = 'old' WHERE unit_id = ?", (uid,))
    assert delete_units(filled, unit_ids=[first]).deleted == 1
    for text, keys in filled.conn.execute("SELECT text, keys FROM tm_variants"):
        assert keys == stored_keys(text)[1]
    assert _index_state(filled) == _rebuilt(list(iter_units(filled)), tmp_path)


def _pair(fr: str, en: str, date: str | None = None) -> TranslationUnit:
    return TranslationUnit((Variant("fr-FR", fr), Variant("en-GB", en)), changedate=date)


def test_deleting_an_import_keeps_what_another_import_brought_too(store: Store,
                                                                   tmp_path: Path) -> None:
    add_units(store, [_pair("Bonjour.", "Hello.", "20250101T000000Z"),
                      _pair("Merci.", "Thank you.", "20250101T000000Z")], origin="client")
    # an older copy: the client's version stays and keeps its origin
    add_units(store, [_pair("Merci.", "Thank you.", "20200101T000000Z")], origin="vendor")
    # a newer version of the other unit: it wins, and names the unit
    add_units(store, [_pair("Bonjour.", "Hello.", "20260101T000000Z"),
                      _pair("Non.", "No.")], origin="vendor")
    assert stats(store)["origins"] == {"vendor": 3, "client": 2}
    assert delete_units(store, origin="vendor", dry_run=True) == DeleteReport(1, 2)
    assert delete_units(store, origin="vendor") == DeleteReport(1, 2)
    left = {u.variants[0].text: u for u in iter_units(store)}
    assert sorted(left) == ["Bonjour.", "Merci."]
    assert {u.origin for u in left.values()} == {"client"}
    assert left["Bonjour."].changedate == "20260101T000000Z"  # the merged version stays
    assert stats(store)["origins"] == {"client": 2}
    assert store.conn.execute("SELECT count(*) FROM tm_unit_origins").fetchone() == (0,)
    assert lookup(store, "Merci.", tgt="en")[0].score == 100
    assert _index_state(store) == _rebuilt(list(left.values()), tmp_path)
    assert delete_units(store, origin="client") == DeleteReport(2, 0)
    assert list(iter_units(store)) == []


def test_units_of_two_origins_merged_in_one_addition_keep_both(store: Store) -> None:
    a = _pair("Oui.", "Yes.", "20250101T000000Z")
    b = _pair("Oui.", "Yes.", "20240101T000000Z")
    add_units(store, [dataclasses.replace(a, origin="a.tmx"),
                      dataclasses.replace(b, origin="b.tmx")])
    (unit,) = iter_units(store)
    assert unit.origin == "a.tmx"
    assert stats(store)["origins"] == {"a.tmx": 1, "b.tmx": 1}
    assert len(list(iter_units(store, origin="b.tmx"))) == 1
    assert delete_units(store, origin="a.tmx") == DeleteReport(0, 1)
    assert [u.origin for u in iter_units(store)] == ["b.tmx"]


_origin_units = st.lists(st.tuples(st.sampled_from(["Un.", "Deux.", "Trois.", "Quatre."]),
                                   st.sampled_from([None, "20240101T000000Z",
                                                    "20250101T000000Z"])), max_size=4)


@settings(max_examples=30, deadline=None)
@given(_origin_units, _origin_units, st.booleans())
def test_deleting_an_origin_leaves_what_the_other_brought(
        a: list[tuple[str, str | None]], b: list[tuple[str, str | None]], named: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "a.db") as store:
        for origin, drawn in (("a", a), ("b", b)):
            units = [_pair(fr, fr.upper(), date) for fr, date in drawn]
            if named:  # --origin: the stored units merged with take the label
                add_units(store, units, origin=origin)
            else:
                add_units(store, [dataclasses.replace(u, origin=origin) for u in units])
        if not a:
            return
        delete_units(store, origin="a")
        rest = list(iter_units(store))
        assert sorted(u.variants[0].text for u in rest) == sorted({fr for fr, _ in b})
        assert all(u.origin == "b" for u in rest)
        assert stats(store)["origins"] == ({"b": len(rest)} if rest else {})
        assert _index_state(store) == _rebuilt(rest, Path(tmp))


def _comparable(unit: TranslationUnit) -> TranslationUnit:
    from dataclasses import replace

    return replace(unit, origin=None)


def test_get_unit_and_stats(filled: Store) -> None:
    unit = get_unit(filled, 1)
    assert unit is not None and unit.tuid == "chat" and unit.props == (("x-client", "Acme"),)
    assert get_unit(filled, 999) is None
    info = stats(filled)
    assert info["units"] == 5 and info["languages"]["fr-FR"] == 3
    assert info["origins"] == {"memory.tmx": 5}
    assert info["newest_change"] == "2024-01-12T10:00:00Z"
    add_units(filled, [TranslationUnit((Variant("fr", "Oui."), Variant("de", " \n"),
                                        Variant("en", "Yes.")))], origin="t")
    after = stats(filled)  # a language left untranslated translates nothing
    assert "de" not in after["languages"] and after["variants"] == info["variants"] + 3
    assert after["languages"]["fr"] == info["languages"].get("fr", 0) + 1


def test_the_store_is_sqlite_with_the_documented_tables(filled: Store) -> None:
    names = {r[0] for r in filled.conn.execute("SELECT name FROM sqlite_master")}
    assert {"tm_units", "tm_variants", "tm_index", "tm_terms"} <= names
    with pytest.raises(sqlite3.IntegrityError):
        filled.conn.execute("INSERT INTO tm_variants(unit_id, lang, plang, text, keys, ntok) "
                            "VALUES (12345, 'fr', 'fr', 'x', 'x', 1)")


def test_a_version_1_store_is_migrated_and_its_units_found(db_path: Path) -> None:
    from tmtool.memory import MIGRATIONS

    with Store(db_path) as store:
        store.migrate("tm", MIGRATIONS[:1])
        with store.transaction():
            store.conn.execute("INSERT INTO tm_units(id, dupkey, origin) VALUES (1, 7, 'old.tmx')")
            store.conn.executemany(
                "INSERT INTO tm_variants(unit_id, lang, plang, text, folded, ntok) "
                "VALUES (1, ?, ?, ?, ?, ?)",
                [("fr-FR", "fr", "Les garanties de sécurité sont prêtes.",
                  "les garanties de securite sont pretes.", 6),
                 ("en-GB", "en", "The security guarantees are ready.",
                  "the security guarantees are ready.", 5)])
    with Store(db_path) as store:
        hits = lookup(store, "Les garanties de sécurité sont prêtes !")
        assert store.version("tm") == SCHEMA_VERSION
        assert [(h.target, h.origin) for h in hits] == [
            ("The security guarantees are ready.", "old.tmx")]
        assert [h.unit_id for h in concordance(store, "garanties de securite")] == [1]
        assert concordance(store, "security", lang="fr") == []


def test_deleting_an_import_from_a_version_6_store_keeps_units_merged_before(
        db_path: Path) -> None:
    """Version 6 kept only the origin whose version won: a merged unit may have come from
    other imports too, so deleting that origin keeps it."""
    from tmtool.memory import EARLIER_IMPORTS

    with Store(db_path) as store:
        add_units(store, [_pair("Un.", "One."), _pair("Deux.", "Two.")], origin="a.tmx")
        add_units(store, [_pair("Deux.", "Two.", "20250101T000000Z")], origin="b.tmx")
        # what version 6 had: no record of the other origins
        store.conn.execute("DROP TABLE tm_unit_origins")
        store.conn.execute("ALTER TABLE tm_origins DROP COLUMN source")
        store.conn.execute("UPDATE schema SET version = 6 WHERE component = 'tm'")
    with Store(db_path) as store:  # upgraded on opening
        assert stats(store)["origins"] == {"a.tmx": 1, "b.tmx": 1, EARLIER_IMPORTS: 1}
        assert delete_units(store, origin="b.tmx") == DeleteReport(0, 1)
        assert sorted(u.variants[0].text for u in iter_units(store)) == ["Deux.", "Un."]
        assert stats(store)["duplicates_merged"] == 0


def test_units_differing_only_in_inline_codes_are_kept_apart(store: Store) -> None:
    plain = TranslationUnit((Variant("en-GB", "Click Save."),
                             Variant("fr-FR", "Cliquez sur Enregistrer.")))
    tagged = TranslationUnit((
        Variant("en-GB", "Click Save.", markup='Click <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">'
                '&lt;/b&gt;</ept>.'),
        Variant("fr-FR", "Cliquez sur Enregistrer.", markup='Cliquez sur <bpt i="1">&lt;b&gt;'
                '</bpt>Enregistrer<ept i="1">&lt;/b&gt;</ept>.')))
    report = add_units(store, [plain, tagged])
    assert (report.added, report.merged) == (2, 0)
    assert [m.score for m in lookup(store, "Click Save.", src="en", tgt="fr")] == [100.0, 99.0]
    assert (add_units(store, [tagged, plain]).merged, stats(store)["units"]) == (2, 2)


def test_a_version_2_store_keeps_tagged_units_apart_from_plain_ones(db_path: Path) -> None:
    from tmtool.memory import MIGRATIONS
    from tmtool.tmrows import dupkey

    tagged = ('Click <ph x="1"/>Save.', 'Cliquez sur <ph x="1"/>Enregistrer.')
    with Store(db_path) as store:
        store.migrate("tm", MIGRATIONS[:2])
        with store.transaction():
            # version 2 keyed a unit on its texts alone
            key = dupkey([("en-GB", "Click Save.", ""), ("fr-FR", "Cliquez sur Enregistrer.", "")])
            store.conn.execute("INSERT INTO tm_units(id, dupkey) VALUES (1, ?)", (key,))
            store.conn.executemany(
                "INSERT INTO tm_variants(unit_id, lang, plang, text, markup, keys, ntok) "
                "VALUES (1, ?, ?, ?, ?, ?, ?)",
                [("en-GB", "en", "Click Save.", tagged[0], "click save", 2),
                 ("fr-FR", "fr", "Cliquez sur Enregistrer.", tagged[1],
                  "cliquez sur enregistrer", 3)])
    with Store(db_path) as store:
        again = TranslationUnit((Variant("en-GB", "Click Save.", markup=tagged[0]),
                                 Variant("fr-FR", "Cliquez sur Enregistrer.", markup=tagged[1])))
        plain = TranslationUnit((Variant("en-GB", "Click Save."),
                                 Variant("fr-FR", "Cliquez sur Enregistrer.")))
        assert (add_units(store, [again]).merged, add_units(store, [plain]).added) == (1, 1)
        assert store.version("tm") == SCHEMA_VERSION


def test_duplicates_of_a_stored_unit_in_one_batch_all_count(store: Store) -> None:
    def unit(usage: int, date: str) -> TranslationUnit:
        return TranslationUnit((Variant("fr-FR", "Le chat dort."), Variant("en-GB", "The cat.")),
                               usagecount=usage, changedate=date)

    add_units(store, [unit(1, "20240101T000000Z")])
    report = add_units(store, [unit(2, "20250101T000000Z"), unit(4, "20230101T000000Z")])
    assert (report.added, report.merged) == (0, 2)
    (stored,) = list(iter_units(store))
    assert stored.usagecount == 4 and stored.changedate == "20250101T000000Z"  # the last one too
    assert stats(store)["duplicates_merged"] == 2


def test_term_counts_kept_while_importing_equal_a_recount_of_the_index(store: Store) -> None:
    from tmtool.memory import _count_terms

    import_tmx(store, DATA / "memory.tmx")  # into an empty store: counted from the index
    add_units(store, [TranslationUnit((Variant("fr-FR", f"Le chat numéro {i} dort."),
                                       Variant("en-GB", f"Cat number {i} sleeps.")))
                      for i in range(3)])  # a small addition: counted term by term
    add_units(store, [TranslationUnit((Variant("fr-FR", "Le chat dort."),
                                       Variant("en-GB", "The cat sleeps.")))])
    kept = sorted(store.conn.execute("SELECT term, df FROM tm_terms").fetchall())
    with store.transaction():
        _count_terms(store.conn)
    assert sorted(store.conn.execute("SELECT term, df FROM tm_terms").fetchall()) == kept
    assert any(term.startswith("chat\ue002fr") for term, _ in kept)


def _tmx_with_header(path: Path, props: str, notes: str, text: str) -> Path:
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="fr" '
        f'creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
        f'adminlang="en" datatype="plaintext">{props}{notes}</header><body>'
        f'<tu><tuv xml:lang="fr"><seg>{text}</seg></tuv><tuv xml:lang="en"><seg>{text}</seg>'
        f'</tuv></tu></body></tmx>', encoding="utf-8")
    return path


@pytest.mark.parametrize("in_a_second_process", [False, True])
def test_header_props_and_notes_of_each_file_come_back_on_export(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_a_second_process: bool) -> None:
    from tmtool import tmrows

    if in_a_second_process:
        monkeypatch.setattr(tmrows, "PARALLEL_MIN_BYTES", 0)
    a = _tmx_with_header(tmp_path / "a.tmx", '<prop type="x-Client:SingleString">ACME</prop>'
                         '<prop type="x-Domain">law</prop>', "<note>From Trados.</note>", "Un.")
    b = _tmx_with_header(tmp_path / "b.tmx", '<prop type="x-Domain">law</prop>', "", "Deux.")
    out = tmp_path / "out.tmx"
    with Store(tmp_path / "tm.db") as store:
        import_tmx(store, a)
        import_tmx(store, a)  # again: nothing doubles
        import_tmx(store, b)
        export_tmx(store, out)
        header = read_tmx_header(out)
        assert header.props == (("x-Client:SingleString", "ACME"), ("x-Domain", "law"))
        assert header.notes == ("From Trados.",)
        export_tmx(store, out, origin="b.tmx")  # only the headers of the units written
        assert read_tmx_header(out).props == (("x-Domain", "law"),
                                              ("x-tmtool-filter", "origin=b.tmx"))
        assert read_tmx_header(out).notes == ()
        c = _tmx_with_header(tmp_path / "c.tmx", '<prop type="x-Domain">tax</prop>', "", "Deux.")
        import_tmx(store, c)  # b's unit again: b's version stays, c brought it too
        assert [u.origin for u in iter_units(store, origin="c.tmx")] == ["b.tmx"]
        export_tmx(store, out, origin="c.tmx")  # c's header alone: nothing of b's leaks
        assert read_tmx_header(out).props == (("x-Domain", "tax"),
                                              ("x-tmtool-filter", "origin=c.tmx"))
        export_tmx(store, out)  # the whole memory: every import's header
        assert ("x-Domain", "tax") in read_tmx_header(out).props
        broken = tmp_path / "broken.tmx"
        broken.write_text(a.read_text(encoding="utf-8").replace("</body>", ""), "utf-8")
        with pytest.raises(FormatError):
            import_tmx(store, broken)  # a failed import keeps nothing of its header either
        assert store.conn.execute("SELECT count(*) FROM tm_origins WHERE origin = ?",
                                  ("broken.tmx",)).fetchone() == (0,)


def test_a_region_in_a_filter_keeps_that_region_and_untagged_regions(tmp_path: Path) -> None:
    def unit(fr: str, text: str, en: str = "en-GB") -> TranslationUnit:
        return TranslationUnit((Variant(fr, f"Texte {text}."), Variant(en, f"Text {text}.")))

    out = tmp_path / "out.tmx"
    with Store(tmp_path / "tm.db") as store:
        add_units(store, [unit("fr-FR", "de France"), unit("fr-CA", "du Canada"),
                          unit("fr", "sans région"), unit("fr-CA", "américain", "en-US")])
        assert export_tmx(store, out, src="fr-CA", tgt="en") == 3
        assert [u.variants[0].text for u in read_tmx(out)] == [
            "Texte du Canada.", "Texte sans région.", "Texte américain."]
        assert read_tmx_header(out).srclang == "fr-CA"
        assert export_tmx(store, out, src="fr-ca", tgt="en-GB") == 2
        assert export_tmx(store, out, src="fr", tgt="en") == 4
        assert [h.source for h in concordance(store, "texte", lang="fr-FR")] == [
            "Texte sans région.", "Texte de France."]


def test_schema_5_gives_stored_numbers_with_separators_one_key(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from tmtool import match
    from tmtool.memory import _count_terms, _v5

    def unit(fr: str, en: str) -> TranslationUnit:
        return TranslationUnit((Variant("fr-FR", fr), Variant("en-GB", en)))

    with monkeypatch.context() as patch:
        patch.setattr(match, "NUMBER_GROUP", re.compile(r"(?!x)x"))  # version 4: each group
        with Store(db_path) as store:                                  # of digits a key
            add_units(store, [unit("Il y a 10 000 000 soldats.", "There are 10,000,000."),
                              unit("Le taux est de 3,5 %.", "The rate is 3.5%."),
                              unit("Le chat dort.", "The cat sleeps.")])
            assert store.conn.execute("SELECT keys, ntok FROM tm_variants WHERE id = 1"
                                      ).fetchone() == ("il y a # # # soldats", 7)
    with Store(db_path) as store:
        with store.transaction():
            _v5(store.db)
        assert lookup(store, "Il y a 10000000 soldats.")[0].score == 99.0
        assert store.conn.execute("SELECT keys, ntok FROM tm_variants WHERE id = 1"
                                  ).fetchone() == ("il y a # soldats", 5)
        assert [m.target for m in lookup(store, "Le taux est de 3 %.")] == ["The rate is 3.5%."]
        assert [h.unit_id for h in concordance(store, "10 000 000 soldats")] == [1]
        kept = sorted(store.conn.execute("SELECT term, df FROM tm_terms WHERE df != 0"))
        with store.transaction():
            _count_terms(store.conn)
        assert sorted(store.conn.execute("SELECT term, df FROM tm_terms")) == kept


def test_other_tmx_attributes_come_back_and_merge(store: Store, tmp_path: Path,
                                                   shared: Path) -> None:
    sample = shared / "samples" / "tmx" / "sdl_studio_sample.tmx"
    out = tmp_path / "out.tmx"
    import_tmx(store, sample)
    export_tmx(store, out)
    dtd = etree.DTD(str(shared / "schemas" / "tmx" / "tmx14.dtd"))
    assert dtd.validate(etree.parse(str(out), etree.XMLParser(no_network=True, load_dtd=False)))

    def last_used(path: Path) -> list[str | None]:
        return [dict(u.attrs).get("lastusagedate") for u in read_tmx(path)]

    assert last_used(out) == last_used(sample) and None not in last_used(sample)

    def unit(used: str, tool: str, changed: str) -> TranslationUnit:
        return TranslationUnit((Variant("fr-FR", "Un."), Variant("en-GB", "One.")),
                               changedate=changed,
                               attrs=(("lastusagedate", used), ("creationtool", tool)))

    add_units(store, [unit("20250101T000000Z", "Old", "20200101T000000Z")])
    add_units(store, [unit("20210101T000000Z", "New", "20240101T000000Z")])
    (merged,) = [u for u in iter_units(store) if u.variants[0].text == "Un."]
    # the newer unit's attributes, but the last use is the latest of both
    assert dict(merged.attrs) == {"lastusagedate": "20250101T000000Z", "creationtool": "New"}
    used = TranslationUnit((Variant("fr-FR", "Un.", attrs=(("usagecount", "2"),)),
                            Variant("en-GB", "One.")))
    add_units(store, [used, used])
    (merged,) = [u for u in iter_units(store) if u.variants[0].text == "Un."]
    assert dict(merged.variants[0].attrs) == {"usagecount": "2"}  # the same uses, not twice


def test_schema_9_separates_words_a_placeholder_stood_between(db_path: Path) -> None:
    from tmtool.memory import _count_terms

    glued = TranslationUnit((Variant("fr-FR", "Cliquez surEnregistrer pour valider.",
                                     'Cliquez sur<ph x="1">&lt;br/&gt;</ph>Enregistrer pour '
                                     'valider.'),
                             Variant("en-GB", "Click Save to confirm.")))
    with Store(db_path) as store:  # as version 8 read it
        add_units(store, [glued])
        store.conn.execute("UPDATE schema SET version = 8 WHERE component = 'tm'")
    with Store(db_path) as store:
        assert concordance(store, "Enregistrer")[0].source == (
            "Cliquez sur Enregistrer pour valider.")
        best = lookup(store, "Cliquez sur Enregistrer pour valider.")[0]
        assert (best.score, best.penalties) == (99.0, ("tags",))
        kept = sorted(store.conn.execute("SELECT term, df FROM tm_terms"))
        with store.transaction():
            _count_terms(store.conn)
        assert sorted(store.conn.execute("SELECT term, df FROM tm_terms")) == kept
    path = db_path.parent / "again.tmx"
    with Store(db_path) as store:
        export_tmx(store, path)
        assert import_tmx(store, path).merged == 1  # the same unit as a file gives it now


def test_schema_9_stores_iso_dates_in_tmx_form(db_path: Path) -> None:
    """An earlier tmtool kept ISO 8601 dates as the file wrote them: --since and stats read
    them as if they were UTC."""
    unit = TranslationUnit((Variant("fr-FR", "Enregistrer."),
                            Variant("en-US", "Save.", changedate="2024-05-01T12:30:00+02:00")),
                           creationdate="2024-05-01", attrs=(("lastusagedate", "2024-05-02"),))
    with Store(db_path) as store:  # as version 8 stored it
        add_units(store, [unit])
        store.conn.execute("UPDATE schema SET version = 8 WHERE component = 'tm'")
    with Store(db_path) as store:
        (got,) = iter_units(store)
        assert got.creationdate == "20240501T000000Z"
        assert got.variants[1].changedate == "20240501T103000Z"
        assert got.attrs == (("lastusagedate", "20240502T000000Z"),)
        assert [u.creationdate for u in iter_units(store, since="2024-05-01T10:30:00Z")] == [
            "20240501T000000Z"]
        assert list(iter_units(store, since="2024-05-01T10:31:00Z")) == []


def test_schema_10_repairs_stored_markup_as_an_import_does(db_path: Path) -> None:
    loose = TranslationUnit((Variant("fr-FR", "Cliquez  pour enregistrer.",
                                     'Cliquez <x id="1"/> pour <bpt i="4">&lt;b&gt;</bpt>'
                                     'enregistrer.'),
                             Variant("en-GB", "Click to save.")))
    with Store(db_path) as store:  # as version 9 stored what an earlier import kept
        add_units(store, [loose])
        store.conn.execute("UPDATE schema SET version = 9 WHERE component = 'tm'")
    with Store(db_path) as store:
        (got,) = iter_units(store)
        assert got.variants[0].markup == (
            'Cliquez <ph>&lt;x id="1"/&gt;</ph> pour <it pos="begin">&lt;b&gt;</it>enregistrer.')
        assert got.variants[0].text == "Cliquez  pour enregistrer."
        path = db_path.parent / "again.tmx"
        export_tmx(store, path)
        assert import_tmx(store, path).merged == 1  # what an export writes is what is stored


def test_the_export_header_names_the_source_most_units_have(db_path: Path,
                                                             tmp_path: Path) -> None:
    # a CAT tool compares the header's srclang with its project's source language
    def unit(src: str, tgt: str, srclang: str | None) -> TranslationUnit:
        return TranslationUnit((Variant(src, f"{src} {srclang} a"), Variant(tgt, f"{tgt} b")),
                               srclang=srclang)

    with Store(db_path) as store:
        add_units(store, [unit("en-US", "de-DE", "en-US"), unit("en-US", "de-DE", "en"),
                          unit("fr-CA", "en-GB", "fr-CA"), unit("fr-FR", "en-GB", "fr")])
        out = tmp_path / "all.tmx"
        export_tmx(store, out)
        header = read_tmx_header(out)
        assert header.srclang == "en-US"  # two units have it ("en" names its en-US variant)
        units = read_tmx(out)
        assert [u.srclang for u in units] == ["en-US", "en-US", "fr-CA", "fr-FR"]
        export_tmx(store, out, src="fr", tgt="en")
        assert read_tmx_header(out).srclang in ("fr-CA", "fr-FR")
        export_tmx(store, out, src="fr-FR", tgt="en")
        assert read_tmx_header(out).srclang == "fr-FR"
        export_tmx(store, out, src="de", tgt="en")
        assert read_tmx_header(out).srclang == "de-DE"


def _import_in_worker(args: tuple[str, str]) -> int:
    from tmtool import tmrows

    tmrows.PARALLEL_MIN_BYTES = 0  # what a large file would do: read by a second process
    tmrows.os.cpu_count = lambda: 2  # type: ignore[attr-defined]  # (this worker's copy)
    tmx, db = args
    with Store(db) as store:
        return import_tmx(store, tmx).added


def test_a_large_file_is_imported_inside_a_process_pool(tmp_path: Path) -> None:
    """A pool's worker may start no process of its own: there the file is read in-process."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        added = pool.map(_import_in_worker, [(str(DATA / "memory.tmx"), str(tmp_path / "w.db"))])
    assert added == [5]
