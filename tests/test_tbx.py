"""TBX: v3 TBX-Basic export that validates, v2/v3 import keeping statuses, hostile XML refused."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tmtool import termbase
from tmtool.errors import FormatError, InputError
from tmtool.formats.tbx import TBX_POS, read_tbx, write_tbx
from tmtool.model import DataCategory, Term, TermEntry, TermStatus
from tmtool.store import Store

DATA = Path(__file__).parent / "data" / "tbx"


def golden_entries() -> list[TermEntry]:
    return [
        TermEntry(
            terms=(
                Term("garantie de sécurité", "fr-FR", pos="noun", status=TermStatus.PREFERRED,
                     context="Kiev réclame des garanties de sécurité.", source="Le Monde"),
                Term("assurance de sécurité", "fr-FR", status=TermStatus.ADMITTED),
                Term("security guarantee", "en-GB", pos="noun", status=TermStatus.PREFERRED),
                Term("safety guarantee", "en-GB", status=TermStatus.FORBIDDEN, note="Avoid."),
            ),
            id=1, subject="défense", definition="Engagement d'un État à en protéger un autre.",
            note="Relu & validé <2026>", confidence=0.9,
            created="2026-01-05T10:00:00Z", modified="2026-02-01T09:30:00Z",
            extra={"definition:en-GB": "A commitment by one state to protect another."},
        ),
        TermEntry(terms=(Term("OTAN", "fr-FR", pos="properNoun"), Term("NATO", "en-GB")), id=2,
                  created="2026-01-05", modified="2026-01-05"),
    ]


def test_export_matches_golden_file(tmp_path: Path) -> None:
    out = tmp_path / "golden_export.tbx"
    assert write_tbx(golden_entries(), out, title="tmtool test termbase") == 2
    assert out.read_text(encoding="utf-8") == (DATA / "golden_export.tbx").read_text("utf-8")


def _validate(shared: Path, path: Path) -> subprocess.CompletedProcess[str]:
    script = shared / "tools" / "validate_tbx.sh"
    if not script.exists() or shutil.which("bash") is None:
        pytest.skip("the TBX validator is not available")
    result = subprocess.run(["bash", str(script), str(path), "basic"], capture_output=True,
                            text=True, timeout=300)
    if result.returncode == 2:
        pytest.skip(f"the TBX validator cannot run here: {result.stderr.strip()[-200:]}")
    return result


def _validate_some(shared: Path, store: Store, out: Path) -> subprocess.CompletedProcess[str]:
    """Validate the export of the stored entries that bring a kind of field not seen yet (the
    Schematron validator takes minutes on hundreds of entries, seconds on a dozen)."""
    chosen, seen = [], set()
    for e in termbase.list_entries(store):
        kinds = ({d.name for d in e.data} | set(e.extra) | {len({t.lang for t in e.terms})}
                 | {(t.lang[:2], d.name) for t in e.terms for d in t.data})
        if kinds - seen:
            chosen.append(e)
            seen |= kinds
    assert write_tbx(chosen, out) == len(chosen)
    return _validate(shared, out)


def test_export_passes_core_rng_and_tbx_basic_schematron(shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.tbx"
    sample = shared / "samples" / "tbx" / "t5_TBX-basic-sample.tbx"
    entries = golden_entries() + list(read_tbx(sample))
    write_tbx(entries, out)
    result = _validate(shared, out)
    assert result.returncode == 0, result.stdout


def test_validation_can_fail(shared: Path, tmp_path: Path) -> None:
    """The validation test above can fail: a value TBX-Basic does not allow is refused."""
    out = tmp_path / "bad.tbx"
    write_tbx(golden_entries(), out)
    text = out.read_text(encoding="utf-8").replace("admittedTerm-admn-sts", "admitted", 1)
    out.write_text(text, encoding="utf-8")
    assert _validate(shared, out).returncode == 1


def _expected(path: Path) -> tuple[int, Counter[str]]:
    """Entry count and administrativeStatus values, read from the raw file text."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    entries = len(re.findall(r"<(?:termEntry|conceptEntry)[\s>]", text))
    statuses = Counter(m.split("Term-")[0] for m in re.findall(
        r'type="administrativeStatus">\s*([A-Za-z-]+)', text))
    return entries, statuses


@pytest.mark.parametrize("name", ["crowdin_glossary_v3.tbx", "heartsome_ImportTBXTest.tbx",
                                  "okapi_sdl_tbx.tbx", "phrase_v3_dca.tbx",
                                  "t5_TBX-basic-sample.tbx"])
def test_shared_samples_import(shared: Path, name: str) -> None:
    path = shared / "samples" / "tbx" / name
    entries = list(read_tbx(path))
    n_entries, statuses = _expected(path)
    assert len(entries) == n_entries
    got = Counter(str(t.status) for e in entries for t in e.terms if t.status)
    if name.startswith("phrase"):  # Phrase writes flags: <termNote type="preferred">true
        text = path.read_text(encoding="utf-8")
        statuses = Counter({"preferred": len(re.findall(r'"preferred">true<', text))})
    assert got == statuses
    assert all(t.text and t.lang for e in entries for t in e.terms)


def test_samples_keep_fields(shared: Path) -> None:
    folder = shared / "samples" / "tbx"
    (crowdin,) = read_tbx(folder / "crowdin_glossary_v3.tbx")
    assert crowdin.definition and crowdin.terms[0].pos == "noun"
    (t5,) = read_tbx(folder / "t5_TBX-basic-sample.tbx")
    term = t5.terms[0]
    assert (term.pos, term.status, term.source) == ("verb", TermStatus.PREFERRED, "IBM")
    assert t5.subject and t5.definition and t5.note and t5.created and t5.modified
    okapi = list(read_tbx(folder / "okapi_sdl_tbx.tbx"))
    # the definitions are in language sections and stay there, never moved up to the concept
    assert sum(1 for e in okapi if any(k.startswith("definition:") for k in e.extra)) > len(
        okapi) // 2
    assert not any(e.definition for e in okapi)
    assert any(len({t.lang for t in e.terms}) > 1 for e in okapi)


def test_dct_and_dca_styles_read_alike(shared: Path) -> None:
    base = shared / "schemas" / "tbx" / "basic_dialect"
    dca = list(read_tbx(base / "DCA" / "Example_Astronomy_DCA_VALID.tbx"))
    dct = list(read_tbx(base / "DCT" / "Example_Astronomy_DCT_VALID.tbx"))
    assert len(dca) == len(dct) > 10
    # the two samples differ only in a few G-Source notes
    assert [(e.terms, e.subject, e.definition, e.created, e.extra) for e in dca] == [
        (e.terms, e.subject, e.definition, e.created, e.extra) for e in dct]
    assert any(t.status == TermStatus.DEPRECATED for e in dca for t in e.terms)


def test_v2_statuses_and_fields() -> None:
    entries = list(read_tbx(DATA / "v2_statuses.tbx"))
    assert len(entries) == 2  # the entry without terms is skipped
    first, second = entries
    assert [(t.text, t.lang, t.status) for t in first.terms] == [
        ("garantie de sécurité", "fr-FR", TermStatus.PREFERRED),
        ("assurance de sécurité", "fr-FR", TermStatus.ADMITTED),
        ("security guarantee", "en-GB", TermStatus.PREFERRED),
        ("safety guarantee", "en-GB", TermStatus.DEPRECATED),
    ]
    assert first.terms[0].context == "Kiev réclame des garanties de sécurité."
    assert first.terms[0].source == "Le Monde" and first.terms[2].pos == "noun"
    assert first.terms[3].note == "Older wording."
    assert (first.subject, first.note) == ("défense", "Entrée de test.")
    assert first.definition == "Engagement d'un État à en protéger un autre."
    assert [t.status for t in second.terms] == [
        TermStatus.DEPRECATED, None, TermStatus.FORBIDDEN]


@pytest.mark.parametrize("name, message", [
    ("billion_laughs.tbx", "line 2: refused: the DOCTYPE declares entities"),
    ("xxe.tbx", "line 2: refused: the DOCTYPE declares entities"),
    ("malformed.tbx", "line 9: malformed XML: Opening and ending tag mismatch"),
    ("no_lang.tbx", "line 6: <langSec> without xml:lang"),
])
def test_bad_files_give_a_clear_error(name: str, message: str) -> None:
    with pytest.raises(FormatError) as err:
        list(read_tbx(DATA / name))
    assert str(err.value).startswith(f"{DATA / name}, ")
    assert message in str(err.value)


def test_not_a_tbx_file(tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    path.write_text('<?xml version="1.0"?><tmx version="1.4"><body/></tmx>', encoding="utf-8")
    with pytest.raises(FormatError, match=r"line 1: not a TBX file \(root element <tmx>.*"
                                          r"use tmtool tm import"):
        list(read_tbx(path))
    text = tmp_path / "notes.tbx"
    text.write_text("hello\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"notes.tbx, line 1: malformed XML"):
        list(read_tbx(text))
    with pytest.raises(InputError, match="no such file"):
        list(read_tbx(tmp_path / "missing.tbx"))


def test_langs_filter_and_empty_export(tmp_path: Path) -> None:
    out = tmp_path / "fr.tbx"
    assert write_tbx(golden_entries(), out, langs=["fr"]) == 2
    assert {t.lang for e in read_tbx(out) for t in e.terms} == {"fr-FR"}
    empty = tmp_path / "empty.tbx"
    assert write_tbx(golden_entries(), empty, langs=["de"]) == 0
    assert list(read_tbx(empty)) == []
    assert "<body" not in empty.read_text(encoding="utf-8")  # the core RNG wants 1+ entries


def test_failed_export_leaves_no_file(tmp_path: Path) -> None:
    def broken() -> Iterator[TermEntry]:
        yield golden_entries()[0]
        raise RuntimeError("disk on fire")

    out = tmp_path / "out.tbx"
    with pytest.raises(RuntimeError):
        write_tbx(broken(), out)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InputError, match="cannot write"):
        write_tbx(golden_entries(), tmp_path / "no" / "such" / "dir.tbx")


# -- round trip --------------------------------------------------------------------------

_WORD = st.text(alphabet="abcdeéèçàôûxyzABCÉ&<>'\"-", min_size=1, max_size=8)
TEXT = st.lists(_WORD, min_size=1, max_size=4).map(" ".join)
OPT = st.none() | TEXT
LANGS = st.sampled_from(["fr-FR", "en-GB", "de", "fr-CA"])


@st.composite
def entries(draw: st.DrawFn) -> TermEntry:
    terms = draw(st.lists(st.builds(
        Term, text=TEXT, lang=LANGS, pos=st.none() | st.sampled_from(TBX_POS),
        status=st.none() | st.sampled_from(list(TermStatus)), context=OPT, source=OPT,
        note=st.none() | st.lists(TEXT, min_size=1, max_size=2).map("\n".join)),
        min_size=1, max_size=5))
    # terms of one language are written together, in order of first appearance
    order = list(dict.fromkeys(t.lang for t in terms))
    terms = sorted(terms, key=lambda t: order.index(t.lang))
    definition = draw(OPT)
    extra = {}
    if definition is not None and draw(st.booleans()):
        extra[f"definition:{terms[-1].lang}"] = definition + " (2)"
    date = st.none() | st.sampled_from(["2026-01-05", "2025-12-24T18:30:00Z"])
    return TermEntry(terms=tuple(terms), subject=draw(OPT), definition=definition,
                     note=draw(st.none() | st.lists(TEXT, min_size=1, max_size=2)
                               .map("\n".join)),
                     confidence=draw(st.none() | st.floats(0, 1)), created=draw(date),
                     modified=None, extra=extra)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(entries(), min_size=1, max_size=4))
def test_round_trip_loses_nothing(tmp_path: Path, items: list[TermEntry]) -> None:
    out = tmp_path / "rt.tbx"
    write_tbx(items, out)
    expected = [replace(e, modified=e.created) for e in items]  # modification defaults to creation
    assert list(read_tbx(out)) == expected


# -- every TBX-Basic data category, through the store ------------------------------------------


def _fields(path: Path) -> Counter[tuple[str, ...]]:
    """Each leaf of a TBX file as (level, element, type, text): where it sits and what it says.

    The level is the path of sections above it (conceptEntry/langSec xml:lang/termSec) and
    of the group it is in, so a field moved to another level counts as lost.
    """
    from lxml import etree

    out: Counter[tuple[str, ...]] = Counter()
    for el in etree.parse(str(path)).iter("{*}conceptEntry"):
        for leaf in el.iter():
            if not isinstance(leaf.tag, str) or len(leaf):
                continue
            names = []
            for a in reversed(list(leaf.iterancestors())):
                name = etree.QName(a).localname
                if name in ("langSec", "termSec", "descripGrp", "transacGrp"):
                    names.append(name + ":" + (a.get("{http://www.w3.org/XML/1998/namespace}"
                                                     "lang") or ""))
            out[("/".join(names), etree.QName(leaf).localname, leaf.get("type") or "",
                 leaf.text or "")] += 1
    return out


def test_every_basic_category_survives_store_and_export(store: Store, tmp_path: Path) -> None:
    source = DATA / "tbx_basic_levels.tbx"
    counts = termbase.import_file(store, source)
    assert counts.total == 1
    assert [(s.reason, s.line) for s in counts.skipped] == [
        ("empty <term> in fr skipped", 85), ("<conceptEntry> without any term skipped", 83)]
    out = tmp_path / "out.tbx"
    warnings: list[tuple[str, int | None]] = []
    assert termbase.export_file(store, out, warn=lambda m, n: warnings.append((m, n))) == 1
    got, expected = _fields(out), _fields(source)
    expected.pop(("langSec:fr/termSec:", "term", "", " "))  # the empty term, reported above
    assert got == expected
    # internal references lose only their target (the ids are the file's), and say so
    assert [m for m, _ in warnings] == [
        "crossReference 'cessez-le-feu' written without its target 'c2' (TBX-Basic wants a "
        "web address or an id of the same file)",
        "crossReference 'trêve' written without its target 'c2' (TBX-Basic wants a web "
        "address or an id of the same file)"]
    lines = out.read_text(encoding="utf-8").splitlines()
    assert all("crossReference" in lines[n - 1] for _, n in warnings)


def test_store_keeps_term_dates_and_invents_none(store: Store, tmp_path: Path) -> None:
    termbase.import_file(store, DATA / "tbx_basic_levels.tbx")
    (e,) = termbase.list_entries(store)
    fr = e.terms[0]
    assert (fr.created, fr.modified) == ("2001-05-07T10:57:25Z", "2001-05-08T09:00:00Z")
    assert (e.terms[1].created, e.terms[1].modified) == (None, None)
    termbase.import_file(store, DATA / "golden_export.tbx", merge=False)
    dated = [x for x in termbase.list_entries(store) if x.id != e.id]
    assert [(x.created, x.modified) for x in dated] == [
        ("2026-01-05T10:00:00Z", "2026-02-01T09:30:00Z"), ("2026-01-05", "2026-01-05")]
    no_dates = tmp_path / "undated.tbx"
    write_tbx([TermEntry(terms=(Term("trêve", "fr"), Term("truce", "en")))], no_dates)
    assert termbase.import_file(store, no_dates).added == 1
    out = tmp_path / "again.tbx"
    termbase.export_file(store, out)
    text = out.read_text(encoding="utf-8")
    last = text[text.index('<conceptEntry id="c4">'):]
    assert "trêve" in last and "transacGrp" not in last  # no import time passed off as a date
    assert text.count("<transacGrp>") == (2 + 1 + 2) + 1 + 2  # no modification = origination


def test_langsec_definitions_stay_in_their_langsec(shared: Path, store: Store,
                                                    tmp_path: Path) -> None:
    termbase.import_file(store, shared / "samples" / "tbx" / "okapi_sdl_tbx.tbx")
    out = tmp_path / "okapi.tbx"
    termbase.export_file(store, out)
    fields = _fields(out)
    assert not [k for k in fields if k[:3] == ("", "descrip", "definition")]
    written: Counter[str] = Counter()
    for k, n in fields.items():
        if k[2] == "definition":
            written[k[0]] += n
    text = (shared / "samples" / "tbx" / "okapi_sdl_tbx.tbx").read_text(encoding="utf-8")
    sources = Counter(re.findall(r'<langSet xml:lang="(\w+)">\s*<descripGrp>\s*'
                                 r'<descrip type="definition">', text))
    assert written == {"langSec:de": 45, "langSec:en": 223} == {
        f"langSec:{k}": n for k, n in sources.items()}
    assert _validate_some(shared, store, tmp_path / "some.tbx").returncode == 0


def test_samples_lose_nothing_silently(shared: Path, store: Store, tmp_path: Path) -> None:
    """t5 (TBX-Basic 2008) and okapi (SDLX): every field kept, or reported with its line."""
    folder = shared / "samples" / "tbx"
    t5 = termbase.import_file(store, folder / "t5_TBX-basic-sample.tbx")
    assert [(s.reason, s.line) for s in t5.skipped] == [
        ("<transacGrp> inside <descripGrp> not kept", 11),
        ("back matter (<back>) not imported", 50)]
    okapi = termbase.import_file(store, folder / "okapi_sdl_tbx.tbx")
    assert {s.reason for s in okapi.skipped} == {"empty <term> in de skipped"}
    text = (folder / "okapi_sdl_tbx.tbx").read_text(encoding="utf-8")
    assert len(okapi.skipped) == text.count("<term/>")
    out = tmp_path / "both.tbx"
    warnings: list[tuple[str, int | None]] = []
    termbase.export_file(store, out, warn=lambda m, n: warnings.append((m, n)))
    assert _validate_some(shared, store, tmp_path / "some.tbx").returncode == 0
    written = out.read_text(encoding="utf-8")
    for needle in ('<termNote type="termType">fullForm</termNote>',
                   '<termNote type="grammaticalGender">masculine</termNote>',
                   '<termNote type="geographicalUsage">Canada</termNote>',
                   '<termNote type="geographicalUsage">USA</termNote>',
                   '<termNote type="termLocation">menuItem</termNote>',
                   '<admin type="customerSubset">IBM</admin>',
                   '<admin type="projectSubset">Tivoli Storage Manager</admin>',
                   '<ref type="crossReference">unscheduled operation</ref>',
                   '<xref type="xGraphic" target="http://upload.wikimedia.org/',
                   '<transacNote type="responsibility">Jane</transacNote>',
                   '<admin type="source">Terminology SIG</admin>',
                   '<note>termType: synonym</note>',
                   '<note>abbreviatedFormFor: gray-component replacement</note>',
                   '<note>pronunciation: ledding</note>',
                   '<date>2001-05-07T10:57:25Z</date>'):
        assert needle in written, needle
    noted = Counter(m.split(" ", 1)[0] for m, _ in warnings)
    assert noted == {"termType": 67, "abbreviatedFormFor": 3, "pronunciation": 1,
                     "externalCrossReference": 1, "langId": 2, "crossReference": 1,
                     "origination.responsibility": 1, "modification.responsibility": 1}


def test_heartsome_fields_reach_json_and_tbx(shared: Path, store: Store,
                                             tmp_path: Path) -> None:
    termbase.import_file(store, shared / "samples" / "tbx" / "heartsome_ImportTBXTest.tbx")
    first = next(termbase.list_entries(store))
    assert first.data == (DataCategory("Txt::Text Field", "TI-07196 Neroc SPC620NC"),)
    out = tmp_path / "h.tbx"
    termbase.export_file(store, out)
    assert out.read_text(encoding="utf-8").count("<note>Txt::Text Field: ") == 127
    assert _validate_some(shared, store, tmp_path / "some.tbx").returncode == 0


def test_other_tools_fields_are_written_as_notes(tmp_path: Path) -> None:
    """Fields TBX-Basic has no category for stay in the file as notes, and are reported."""
    out = tmp_path / "notes.tbx"
    entry = TermEntry(terms=(Term("GCR", "en", data=(
        DataCategory("abbreviatedFormFor", "gray-component replacement"),
        DataCategory("termType", "synonym"))),),
        extra={"Txt::Text Field": "TI-07196"})
    warnings: list[tuple[str, int | None]] = []
    write_tbx([entry], out, warn=lambda m, n: warnings.append((m, n)))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [lines[n - 1].strip() for _, n in warnings] == [
        "<note>Txt::Text Field: TI-07196</note>",
        "<note>abbreviatedFormFor: gray-component replacement</note>",
        "<note>termType: synonym</note>"]
    assert warnings[2][0] == "termType 'synonym' written as a note (a value TBX-Basic does " \
                             "not list)"


def test_creation_transactions_are_origination(shared: Path, store: Store) -> None:
    """MultiTerm and the LTAC test files write "creation": its date is the entry's origination."""
    good = shared / "schemas" / "tbx" / "test_files" / "basic_good.tbx"
    counts = termbase.import_file(store, good)
    assert [s.reason for s in counts.skipped] == ["back matter (<back>) not imported"]
    entries = list(termbase.list_entries(store))
    assert len(entries) == 45 and all(e.created for e in entries)
    assert entries[0].created.startswith("2010-04-17") and entries[0].modified.startswith(
        "2010-05-01")


@pytest.mark.parametrize("sample", ["okapi_sdl_tbx.tbx", "heartsome_ImportTBXTest.tbx",
                                    "phrase_v3_dca.tbx", "t5_TBX-basic-sample.tbx",
                                    "crowdin_glossary_v3.tbx"])
def test_export_then_import_again_changes_nothing(shared: Path, store: Store,
                                                  tmp_path: Path, sample: str) -> None:
    """A field written as a "name: value" note, or without the target TBX-Basic cannot keep,
    is not added again beside itself: importing an export into the same termbase and
    exporting again gives the same file (but for its title), dates included."""
    termbase.import_file(store, shared / "samples" / "tbx" / sample)
    first, second = tmp_path / "first.tbx", tmp_path / "second.tbx"
    termbase.export_file(store, first)
    counts = termbase.import_file(store, first)
    assert counts.added == 0
    termbase.export_file(store, second)

    def body(path: Path) -> str:
        return re.sub(r"<title>.*?</title>|<sourceDesc>.*?</sourceDesc>", "",
                      path.read_text(encoding="utf-8"), flags=re.S)

    assert body(second) == body(first)
    if sample.startswith("okapi"):
        assert body(first).count("<note>termType: synonym</note>") == 67


def test_a_part_of_speech_tbx_basic_does_not_list_comes_back(tmp_path: Path) -> None:
    entry = TermEntry(terms=(Term("Kremlin", "fr", pos="properNoun"),
                             Term("Kremlin", "en", pos="determiner")))
    out = tmp_path / "pos.tbx"
    told: list[tuple[str, int | None]] = []
    write_tbx([entry], out, warn=lambda m, n: told.append((m, n)))
    assert [t.pos for e in read_tbx(out) for t in e.terms] == ["properNoun", "determiner"]
    assert [m.split(" (")[0] for m, _ in told] == [
        "partOfSpeech 'properNoun' written as a note beside partOfSpeech 'noun'",
        "partOfSpeech 'determiner' written as a note beside partOfSpeech 'other'"]


def test_a_note_in_words_stays_a_note() -> None:
    from tmtool.formats.tbx import _demoted

    for note in ("client: do not use", "source: Larousse 2020", "voir: garantie légale",
                 "e.g: a case", "Attention: faux ami", "termType: a\nsecond line"):
        assert _demoted(note, None) is None, note
    assert _demoted("termType: synonym", None) == DataCategory("termType", "synonym")
    assert _demoted("origination.responsibility: Jane", "en") == DataCategory(
        "origination.responsibility", "Jane", None, "en")
    assert _demoted("pronunciation: ledding", None) == DataCategory("pronunciation", "ledding")


def test_categories_named_as_multiterm_writes_them(tmp_path: Path) -> None:
    path = tmp_path / "multiterm.tbx"
    path.write_text(
        '<martif type="TBX" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>x</p>'
        '</sourceDesc></fileDesc></martifHeader><text><body><termEntry id="1">'
        '<descrip type="Definition">A halt to fighting.</descrip>'
        '<descrip type="Subject">defence</descrip><langSet xml:lang="en"><tig>'
        '<term>ceasefire</term><termNote type="Part of speech">noun</termNote></tig></langSet>'
        '<langSet xml:lang="fr"><tig><term>cessez-le-feu</term></tig></langSet></termEntry>'
        '</body></text></martif>', encoding="utf-8")
    (e,) = read_tbx(path)
    assert (e.definition, e.subject, e.terms[0].pos, e.data) == (
        "A halt to fighting.", "defence", "noun", ())


def test_several_subject_fields_come_back_as_several(tmp_path: Path) -> None:
    """TBX-Basic's own sample gives an entry two subject fields: read as "manufacturing;
    production", they are written back as two fields, not as one new value."""
    from lxml import etree

    entry = TermEntry(terms=(Term("vis", "fr"), Term("screw", "en")),
                      subject="manufacturing; production")
    out = tmp_path / "two.tbx"
    write_tbx([entry], out)
    fields = etree.parse(str(out)).xpath("//*[local-name()='descrip'][@type='subjectField']")
    assert [f.text for f in fields] == ["manufacturing", "production"]
    assert next(iter(read_tbx(out))).subject == "manufacturing; production"
    odd = TermEntry(terms=entry.terms, subject="a;  b; ")  # no clean list: one field
    write_tbx([odd], out)
    fields = etree.parse(str(out)).xpath("//*[local-name()='descrip'][@type='subjectField']")
    assert [f.text for f in fields] == ["a;  b; "]
