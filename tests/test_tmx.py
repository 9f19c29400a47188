"""TMX reading and writing: real exports, encodings, inline codes, errors, round trips."""

from __future__ import annotations

import codecs
import dataclasses
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tmtool.errors import FormatError, InputError, TmtoolWarning
from tmtool.formats.tmx import (
    TmxHeader,
    TmxReader,
    TmxSkipWarning,
    read_tmx,
    read_tmx_header,
    seg_content,
    write_tmx,
)
from tmtool.formats.xml import secure_parser, strip_illegal
from tmtool.model import TranslationUnit, Variant

DATA = Path(__file__).resolve().parent / "data" / "tmx"

Units = list[TranslationUnit]


def _read(path: Path | str) -> tuple[Units, list[tuple[str, int | None]]]:
    skipped: list[tuple[str, int | None]] = []
    units = list(read_tmx(path, on_skip=lambda reason, line: skipped.append((reason, line))))
    return units, skipped


def _text(units: Units, lang: str) -> list[str]:
    return [v.text for u in units for v in u.variants if v.lang == lang]


def _no_origin(units: Units) -> Units:
    return [dataclasses.replace(u, origin=None) for u in units]


# --- real exports ------------------------------------------------------------------------------
# Unit counts were taken from the files themselves (their "<tu" start tags, after decoding).


def _check_sdl(units: Units, header: TmxHeader) -> None:
    assert header.creationtool == "SDL Language Platform"
    assert len(header.props) == 5 and ("x-Project id:SingleString", "") in header.props
    assert sum(len(u.props) for u in units) == 63
    assert units[0].usagecount == 2 and units[0].creationid == "PEGASUS\\Ziad"
    assert sum(1 for u in units if u.variants[0].markup) == 11


def _check_trados(units: Units, header: TmxHeader) -> None:
    assert header.props[0][0] == "" and header.props[1][0] == "RTFStyleSheet"
    marked = [u for u in units if u.variants[0].markup]
    assert len(marked) == 7
    assert marked[0].variants[0].text == "Second paragraph tag"


def _check_matecat(units: Units, header: TmxHeader) -> None:
    assert sum(len(u.props) for u in units) == 8
    assert any("\t" in t for t in _text(units, "it-IT"))


def _check_heartsome(units: Units, header: TmxHeader) -> None:
    assert sum(1 for u in units if any(v.markup for v in u.variants)) == 199
    assert "7 External microphone" in _text(units, "en-US")


def _check_dejavu(units: Units, header: TmxHeader) -> None:
    assert header.srclang == "zh-CN"
    assert all(("x-issource", "True") in u.variants[0].props for u in units) or all(
        any(t == "x-issource" for t, _ in u.variants[0].props) for u in units
    )
    assert sum(len(u.props) for u in units) == 8


def _check_2a(units: Units, header: TmxHeader) -> None:
    assert all(u.variants[0].markup and u.variants[1].markup for u in units)
    assert "Some text with a part highlighted." in _text(units, "en-US")  # <hi> text kept


def _check_1g(units: Units, header: TmxHeader) -> None:
    assert any("\u201c=U+201C" in t for t in _text(units, "en-GB"))


def _check_1l(units: Units, header: TmxHeader) -> None:
    (unit,) = units
    assert header.notes == ("Text of header note 1", "Text of header note 2")
    assert header.props == (("myPropeType", "Data"),)
    assert unit.tuid == "tu001" and unit.usagecount == 100 and len(unit.notes) == 2
    assert unit.variants[1].notes and unit.variants[1].props


def _check_okapi_all(units: Units, header: TmxHeader) -> None:
    assert units[1].srclang == "*all*" and len(units[1].variants) == 3
    assert header.notes == ("This is a note at document level.",)
    assert ("x-Domain", "Computing") in units[0].props
    assert "\uf8ff" in units[0].variants[0].text


def _check_omegat11(units: Units, header: TmxHeader) -> None:
    assert header.version == "1.1" and header.srclang == "en-US"
    assert units[0].variants[1].text.startswith("Se connecter")


def _check_omegat_okapi(units: Units, header: TmxHeader) -> None:
    assert "Elephants cannot fly." in _text(units, "en-US")
    assert sum(1 for u in units if u.variants[0].markup) == 11


def _check_opus(units: Units, header: TmxHeader) -> None:
    assert header.version == "1.4." and header.creationtool is None


def _check_ttk(units: Units, header: TmxHeader) -> None:
    assert [v.lang for v in units[0].variants] == ["en-US", "en-GB", "fr", "sr"]


def _check_crowdin(units: Units, header: TmxHeader) -> None:
    assert all(u.props and u.props[0][0] == "x-crowdin-metadata" for u in units)


def _check_swordfish(units: Units, header: TmxHeader) -> None:
    assert sum(len(u.props) for u in units) == 130
    assert any(t.startswith("Erreur lors de l\u2019enregistrement") for t in _text(units, "fr"))


SAMPLES: list[tuple[str, int, set[str], Callable[[Units, TmxHeader], None]]] = [
    ("sdl_studio_sample.tmx", 19, {"en-US", "de-DE"}, _check_sdl),
    ("trados_twb_html_test_utf16le.tmx", 11, {"en-US", "fr-FR"}, _check_trados),
    ("matecat_example.tmx", 2, {"it-IT", "en-GB"}, _check_matecat),
    ("heartsome_ImportTMXTest.tmx", 314, {"en-US", "zh-CN"}, _check_heartsome),
    ("dejavu_utf8.tmx", 2, {"zh-CN", "en-US"}, _check_dejavu),
    ("lisa_compkit_ImportTest2A_utf16le.tmx", 7, {"en-US", "fr-CA"}, _check_2a),
    ("lisa_compkit_ImportTest1G_utf16be.tmx", 3, {"en-US", "en-GB"}, _check_1g),
    ("lisa_compkit_ImportTest1L.tmx", 1, {"en-US", "fr", "en-GB"}, _check_1l),
    ("okapi_sampleTMX2_all.tmx", 2, {"en-US", "fr-CA", "fr-FR"}, _check_okapi_all),
    ("omegat_en-fr.tmx", 1, {"en", "fr"}, _check_omegat11),
    ("omegat_mytm_okapi.tmx", 25, {"en-US", "fr-FR"}, _check_omegat_okapi),
    ("opus_opustools_en-sv.tmx", 1, {"en", "sv"}, _check_opus),
    ("ttk_en-US_en-GB_fr_sr.tmx", 1, {"en-US", "en-GB", "fr", "sr"}, _check_ttk),
    ("crowdin_export.tmx", 4, {"en", "nl"}, _check_crowdin),
    ("maxprograms_tmxeditor_java_fr.tmx", 44, {"en", "fr"}, _check_swordfish),
]


@pytest.mark.parametrize(("name", "count", "langs", "check"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_real_exports_lose_no_unit(
    shared: Path, name: str, count: int, langs: set[str], check: Callable[[Units, TmxHeader], None]
) -> None:
    path = shared / "samples" / "tmx" / name
    with TmxReader(path, on_skip=lambda r, line: None) as reader:
        units = list(reader)
        header = reader.header
    assert len(units) + reader.skipped == count
    assert {v.lang for u in units for v in u.variants} == langs
    assert all(u.origin == str(path) for u in units)
    check(units, header)


def test_every_shared_sample_is_covered(shared: Path) -> None:
    names = {p.name for p in (shared / "samples" / "tmx").glob("*.tmx")}
    assert names == {s[0] for s in SAMPLES}


def test_read_header_stops_early(shared: Path) -> None:
    header = read_tmx_header(shared / "samples" / "tmx" / "maxprograms_tmxeditor_java_fr.tmx")
    assert header.srclang == "en" and header.creationtool == "Swordfish"


# --- encodings ---------------------------------------------------------------------------------

ENCODED = [
    "utf8_bom.tmx",
    "utf16le_bom.tmx",
    "utf16be_bom.tmx",
    "utf16le_nobom.tmx",
    "utf16le_declared_utf8.tmx",
    "utf8_declared_utf16.tmx",
]


@pytest.mark.parametrize("name", ENCODED)
def test_encodings_and_wrong_declarations(name: str) -> None:
    units, skipped = _read(DATA / name)
    assert skipped == []
    assert _text(units, "fr-FR") == [
        "Le café ouvre à neuf heures.",
        "« Guillemets » – et signes €.",
    ]
    assert _text(units, "en-GB")[1] == "\u201cQuotes\u201d \u2013 and \u20ac signs."
    assert [u.tuid for u in units] == ["1", "2"]


def test_latin1_declared_as_utf8() -> None:
    with pytest.warns(TmtoolWarning, match="not valid UTF-8 as declared"):
        units, _ = _read(DATA / "latin1_declared_utf8.tmx")
    assert _text(units, "en-GB") == ["The café opens at nine.", "Quotes and signs."]


def _many_units(count: int) -> str:
    tu = (
        '<tu><tuv xml:lang="en"><seg>caf\u00e9 {}</seg></tuv>'
        '<tuv xml:lang="fr"><seg>x</seg></tuv></tu>\n'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en"/><body>\n'
        + "".join(tu.format(i) for i in range(count))
        + "</body></tmx>\n"
    )


def test_latin1_beyond_the_first_chunk_of_a_utf8_file(tmp_path: Path) -> None:
    raw = _many_units(3000).encode("utf-8")
    cut = raw.index(b"<tu>", len(raw) // 2)  # well past the bytes used to guess the encoding
    path = tmp_path / "mixed.tmx"
    path.write_bytes(raw[:cut] + raw[cut:].decode("utf-8").encode("latin-1"))
    line = raw[:cut].count(b"\n") + 1
    with pytest.warns(TmtoolWarning, match=f"mixed.tmx, line {line}: not valid UTF-8") as seen:
        units, _ = _read(path)
    assert len(seen) == 1  # once per file, not once per byte
    assert len(units) == 3000
    assert {u.variants[0].text[:4] for u in units} == {"caf\u00e9"}


def test_bad_utf16_deep_in_the_file_gives_its_line(tmp_path: Path) -> None:
    text = _many_units(3000).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    raw = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    at = text.index("caf\u00e9 2000")
    bad = raw[: 2 + 2 * at] + b"\x00\xdc" + raw[2 + 2 * at + 2 :]  # a lone low surrogate
    path = tmp_path / "bad16.tmx"
    path.write_bytes(bad)
    read: list[TranslationUnit] = []
    with pytest.raises(FormatError) as info:
        read.extend(read_tmx(path))
    assert info.value.line == text[:at].count("\n") + 1
    assert "not valid UTF-16-LE" in info.value.message


def test_read_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = (DATA / "utf16be_bom.tmx").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    units, _ = _read("-")
    assert len(units) == 2 and units[0].origin == "-"


def test_illegal_control_characters_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "ctrl.tmx"
    path.write_bytes(
        b'<tmx version="1.4"><header srclang="en"/><body><tu>'
        b'<tuv xml:lang="en"><seg>a\x01b&#x1F;c&#0;d&#x9;e</seg></tuv>'
        b'<tuv xml:lang="fr"><seg>f\x0bg</seg></tuv></tu></body></tmx>'
    )
    units, _ = _read(path)
    assert [v.text for v in units[0].variants] == ["abcd\te", "fg"]


# --- structure ---------------------------------------------------------------------------------


def test_tmx11_lang_attribute_and_code_case() -> None:
    with TmxReader(DATA / "tmx11_lang.tmx") as reader:
        units = list(reader)
        assert reader.header.srclang == "en-US" and reader.header.version == "1.1"
    assert [v.lang for v in units[0].variants] == ["en", "fr-FR"]
    assert units[0].srclang == "en-US"


def test_all_srclang_three_languages_props_notes_dates() -> None:
    units, _ = _read(DATA / "all_srclang.tmx")
    header = read_tmx_header(DATA / "all_srclang.tmx")
    assert header.srclang == "*all*" and header.segtype == "phrase"
    assert header.notes == ("Header note",) and header.props == (("x-domain", "cooking"),)
    menu, recipe = units
    assert menu.srclang == "*all*" and recipe.srclang == "fr-FR"
    assert [v.lang for v in menu.variants] == ["en-GB", "fr-FR", "fr-CA"]
    assert (menu.tuid, menu.usagecount) == ("menu", 7)
    assert (menu.creationdate, menu.creationid) == ("20240102T030405Z", "anne")
    assert (menu.changedate, menu.changeid) == ("20240203T040506Z", "bob")
    assert menu.notes == ("Unit note",) and menu.props == (("x-origin", "manual"),)
    en = menu.variants[0]
    assert en.props == (("x-quality", "good"),) and en.notes == ("Variant note",)
    assert en.creationid == "anne"
    assert menu.variant("fr") is menu.variants[1]


def test_units_in_a_namespace_are_refused_at_their_line(tmp_path: Path) -> None:
    # Unmatched, such units were never released: nothing was read and memory grew.
    path = tmp_path / "ns.tmx"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">'
                    '<header srclang="en"/>\n<body>\n<tu xmlns="urn:x"><tuv xml:lang="en">'
                    '<seg>a</seg></tuv><tuv xml:lang="fr"><seg>b</seg></tuv></tu>\n'
                    '</body></tmx>\n', encoding="utf-8")
    with pytest.raises(FormatError) as err:
        list(read_tmx(path))
    assert str(err.value) == (f"{path}, line 4: <tu> in the XML namespace 'urn:x' "
                              f"(TMX has no namespace)")


def test_default_namespace_on_root_is_ignored() -> None:
    units, skipped = _read(DATA / "namespace.tmx")
    assert [v.text for v in units[0].variants] == ["Press Enter.", "Appuyez sur Entrée."]
    assert units[0].variants[0].markup == 'Press <ph x="1">&lt;br/&gt;</ph>Enter.'
    assert [line for _, line in skipped] == [10]  # line numbers unchanged


def test_inline_codes_text_and_markup() -> None:
    units, _ = _read(DATA / "inline.tmx")
    bold, image, italic = units
    assert bold.variants[1].text == "Cliquez sur Enregistrer maintenant."
    assert bold.variants[1].markup == (
        'Cliquez sur <bpt i="1" x="1" type="bold">&lt;b&gt;</bpt>Enregistrer'
        '<ept i="1">&lt;/b&gt;</ept> maintenant.'
    )
    # <hi> is text; <sub> inside a code is a separate flow (alt text), not part of the sentence
    assert image.variants[0].text == "See  and brake pads."
    assert "<sub>A red car</sub>" in (image.variants[0].markup or "")
    assert italic.variants[0].text == "Italic start & end"
    assert italic.variants[0].markup == (
        '<it pos="begin" x="1">&lt;i&gt;</it>Italic start &amp; end<ut>{\\b0}</ut>'
    )
    assert all(v.markup is not None for u in units for v in u.variants)


def test_a_placeholder_between_two_words_separates_them() -> None:
    from lxml import etree

    def text(markup: str) -> str:
        return seg_content(etree.fromstring(f"<seg>{markup}</seg>"))[0]

    assert text("Click<ph>&lt;br/&gt;</ph>Save.") == "Click Save."
    assert text("Click <ph>&lt;br/&gt;</ph>Save.") == "Click Save."
    assert text("<ph>&lt;img/&gt;</ph>Save<ph>{0}</ph><ph>{1}</ph>now") == "Save now"
    assert text("Save<ph>{0}</ph><ph>{1}</ph>") == "Save"
    assert text("See the table<ph>[1]</ph>. Hello<ph/>, world (<ph>{0}</ph>)") == (
        "See the table. Hello, world ()")  # beside punctuation: no space
    # formatting codes may sit inside a word
    assert text('un<bpt i="1">&lt;b&gt;</bpt>believ<ept i="1">&lt;/b&gt;</ept>able') == (
        "unbelievable")


def test_inline_markup_round_trip(tmp_path: Path) -> None:
    units, _ = _read(DATA / "inline.tmx")
    out = tmp_path / "out.tmx"
    assert write_tmx(out, units, srclang="en-GB") == 3
    again, _ = _read(out)
    assert _no_origin(again) == _no_origin(units)


def _segs_tmx(path: Path, segs: list[str], root: str = "") -> Path:
    """A TMX file of one unit per French ``<seg>`` content given (beside an English "x")."""
    path.write_text(f'<tmx version="1.4"{root}><header srclang="fr"/><body>\n' + "".join(
        f'<tu><tuv xml:lang="fr"><seg>{seg}</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv>'
        f'</tu>\n' for seg in segs) + "</body></tmx>", encoding="utf-8")
    return path


def _written_back(units: Units, tmp_path: Path, shared: Path, srclang: str = "fr") -> None:
    """Write ``units``, check the file against the TMX DTD and read the same units back."""
    out = tmp_path / "out.tmx"
    write_tmx(out, units, srclang=srclang)
    dtd = etree.DTD(str(shared / "schemas" / "tmx" / "tmx14.dtd"))
    assert dtd.validate(etree.parse(str(out), etree.XMLParser(no_network=True, load_dtd=False)))
    again, _ = _read(out)  # what CAT tools get back is what was stored
    assert _no_origin(again) == _no_origin(units)


def test_inline_elements_tmx_lacks_are_kept_as_native_codes(tmp_path: Path,
                                                             shared: Path) -> None:
    src = tmp_path / "xliff-codes.tmx"
    src.write_text(
        '<tmx version="1.4"><header srclang="en" segtype="sentence" datatype="plaintext" '
        'o-tmf="x" adminlang="en" creationtool="x" creationtoolversion="1"/><body>\n<tu>'
        '<tuv xml:lang="en"><seg>Click <x id="1"/> to <g id="2">save '
        '<bpt i="1">&lt;b&gt;</bpt>now<ept i="1">&lt;/b&gt;</ept></g>.</seg></tuv>'
        '<tuv xml:lang="fr"><seg>Cliquez <x id="1"/> pour <g id="2">enregistrer</g>.</seg>'
        '</tuv></tu></body></tmx>', encoding="utf-8")
    with pytest.warns(TmtoolWarning, match=r"line 2: <x> is no TMX 1.4 inline element "
                                           r"\(and 3 more\)"):
        units, _ = _read(src)
    en, fr = units[0].variants
    assert (en.text, fr.text) == ("Click  to save now.", "Cliquez  pour enregistrer.")
    assert en.markup == (
        'Click <ph>&lt;x id="1"/&gt;</ph> to <bpt i="2">&lt;g id="2"&gt;</bpt>save '
        '<bpt i="1">&lt;b&gt;</bpt>now<ept i="1">&lt;/b&gt;</ept><ept i="2">&lt;/g&gt;</ept>.')
    _written_back(units, tmp_path, shared, "en")


def test_inline_codes_off_tmx14_are_repaired_not_dropped(tmp_path: Path, shared: Path) -> None:
    src = _segs_tmx(tmp_path / "loose.tmx", [
        'Un <it x="1">&lt;b&gt;</it>gras', 'One <it>&lt;/b&gt;</it>bold',
        'Deux <bpt>&lt;b&gt;</bpt>gras<ept>&lt;/b&gt;</ept>',
        'Trois <ph id="1">&lt;br/&gt;</ph> fin',
        'Quatre <bpt i="1" rid="1">&lt;b&gt;<hi>z</hi></bpt>x<ept i="1">&lt;/b&gt;</ept>'])
    with pytest.warns(TmtoolWarning, match=r"line 2: <it> without pos \(and 6 more\): inline "
                                           r"codes made TMX 1.4"):
        units, _ = _read(src)
    assert [u.variants[0].markup for u in units] == [
        'Un <it x="1" pos="begin">&lt;b&gt;</it>gras',
        'One <it pos="end">&lt;/b&gt;</it>bold',
        'Deux <bpt i="1">&lt;b&gt;</bpt>gras<ept i="1">&lt;/b&gt;</ept>',
        'Trois <ph>&lt;br/&gt;</ph> fin',
        'Quatre <bpt i="1">&lt;b&gt;&lt;hi&gt;z&lt;/hi&gt;</bpt>x<ept i="1">&lt;/b&gt;</ept>']
    assert [u.variants[0].text for u in units] == [
        "Un gras", "One bold", "Deux gras", "Trois  fin", "Quatre x"]
    _written_back(units, tmp_path, shared)


def test_codes_inside_codes_namespaces_and_lone_codes_are_repaired(tmp_path: Path,
                                                                   shared: Path) -> None:
    segs = ['A <bpt i="1"><x id="7"/>&lt;b&gt;</bpt>b<ept i="1">&lt;/b&gt;<foo>z</foo></ept>',
            'B <xl:x id="1"/> c <xl:g id="2">d</xl:g>', 'C <ph xl:foo="1" x="2">{0}</ph> e',
            'D <ept>&lt;/b&gt;</ept> f <bpt>&lt;u&gt;</bpt>g', 'E <ph x="1">{0}</ph> valid',
            'F <bpt i="5">&lt;u&gt;</bpt>h <ept i="7">&lt;/u&gt;</ept>',
            'G <bpt i="1">x</bpt>a<bpt i="1">y</bpt>b<ept i="1">z</ept>',
            'H <ept i="1">/</ept>a<bpt i="1">b</bpt>',
            'I <ph><sub><bpt i="1">x</bpt>a</sub></ph>b<ept i="1">y</ept>',
            'J <bpt i="1">&lt;b&gt;</bpt>a<ept>&lt;/i&gt;</ept>b<ept i="1">&lt;/b&gt;</ept>']
    src = _segs_tmx(tmp_path / "odd.tmx", segs, ' xmlns:xl="urn:x"')
    with pytest.warns(TmtoolWarning, match=r"line 2: <x> is no TMX 1.4 inline element"):
        units, _ = _read(src)
    assert [u.variants[0].markup for u in units] == [
        'A <bpt i="1">&lt;x id="7"/&gt;&lt;b&gt;</bpt>b<ept i="1">&lt;/b&gt;'
        '&lt;foo&gt;z&lt;/foo&gt;</ept>',
        'B <ph>&lt;x id="1"/&gt;</ph> c <bpt i="1">&lt;g id="2"&gt;</bpt>d<ept i="1">&lt;/g&gt;'
        '</ept>',
        'C <ph x="2">{0}</ph> e',
        'D <it pos="end">&lt;/b&gt;</it> f <it pos="begin">&lt;u&gt;</it>g',
        'E <ph x="1">{0}</ph> valid',  # a namespace declared on the root is not carried
        'F <it pos="begin">&lt;u&gt;</it>h <it pos="end">&lt;/u&gt;</it>',  # lone codes
        'G <it pos="begin">x</it>a<bpt i="2">y</bpt>b<ept i="2">z</ept>',  # i once
        'H <it pos="end">/</it>a<it pos="begin">b</it>',  # an end before its beginning
        'I <ph><sub><it pos="begin">x</it>a</sub></ph>b<it pos="end">y</it>',  # two flows
        'J <bpt i="1">&lt;b&gt;</bpt>a<it pos="end">&lt;/i&gt;</it>b<ept i="1">&lt;/b&gt;</ept>']
    _written_back(units, tmp_path, shared)


def test_units_with_fewer_than_two_texts_are_reported() -> None:
    units, skipped = _read(DATA / "skipped.tmx")
    assert [u.tuid for u in units] == ["kept", "kept-too"]
    assert [line for _, line in skipped] == [9, 13, 16]
    assert "'empty-target'" in skipped[0][0] and "fewer than two" in skipped[0][0]


def test_skips_warn_without_handler() -> None:
    with pytest.warns(TmxSkipWarning, match="skipped") as record:
        units = list(read_tmx(DATA / "skipped.tmx"))
    assert len(units) == 2
    assert [str(w.message).split(":")[0].split(", ")[-1] for w in record] == [
        "line 9",
        "line 13",
        "line 16",
    ]


# --- errors ------------------------------------------------------------------------------------


def test_truncated_file_gives_line_after_streaming_good_units() -> None:
    seen: list[str | None] = []
    with pytest.raises(FormatError) as info:
        for unit in read_tmx(DATA / "truncated.tmx"):
            seen.append(unit.tuid)
    assert seen == ["1"]
    assert info.value.line is not None and info.value.line >= 10
    assert "truncated" in info.value.message


def test_mismatched_tags() -> None:
    with pytest.raises(FormatError) as info:
        list(read_tmx(DATA / "mismatched.tmx"))
    assert info.value.line == 6
    assert str(info.value).startswith(f"{DATA / 'mismatched.tmx'}, line 6: malformed XML")


def test_root_is_not_tmx() -> None:
    with pytest.raises(FormatError, match=r"not a TMX file: the root is <martif>"):
        list(read_tmx(DATA / "not_tmx.xml"))


def test_tu_without_tuv_is_skipped() -> None:
    skipped: list[tuple[str, int | None]] = []
    units = list(read_tmx(DATA / "tu_without_tuv.tmx", on_skip=lambda r, n: skipped.append((r, n))))
    assert [u.tuid for u in units] == ["1"]
    assert skipped == [("tu '2' has no <tuv>", 9)]


@pytest.mark.parametrize(
    ("body", "reason", "line"),
    [
        (b'<tu tuid="7">\n<tuv xml:lang="en"><seg>x</seg></tuv>\n<tuv><seg>y</seg></tuv></tu>',
         "tu '7' has a <tuv> without xml:lang", 3),
        (b'<tu>\n<tuv xml:lang="en"><seg>x</seg></tuv>\n<tuv xml:lang="fr"/></tu>',
         "tu has 1 non-empty variant(s), fewer than two", 1),
        (b'<tu tuid="8"><tuv xml:lang="en"><seg>x</seg>\n<seg>y</seg></tuv>'
         b'<tuv xml:lang="fr"><seg>z</seg></tuv></tu>',
         "tu '8' has a <tuv> with more than one <seg>", 1),
        (b'\n<tuv xml:lang="en"><seg>x</seg></tuv>', "<tuv> outside any <tu>", 2),
    ],
)
def test_unusable_variant_skips_its_unit(tmp_path: Path, body: bytes, reason: str,
                                         line: int) -> None:
    """A broken unit costs itself, not the file: the units around it are read."""
    good = (b'<tu tuid="%d"><tuv xml:lang="en"><seg>a</seg></tuv>'
            b'<tuv xml:lang="fr"><seg>b</seg></tuv></tu>')
    path = tmp_path / "one_bad.tmx"
    path.write_bytes(b'<tmx version="1.4"><body>' + good % 1 + body + good % 2
                     + b"</body></tmx>")
    skipped: list[tuple[str, int | None]] = []
    with TmxReader(path, on_skip=lambda r, n: skipped.append((r, n))) as reader:
        assert [u.tuid for u in reader] == ["1", "2"]
        assert reader.skipped == 1
    assert skipped == [(reason, line)]


def test_a_tuv_without_seg_is_an_empty_variant(tmp_path: Path) -> None:
    """As ``<seg/>``: the unit's other languages still make a pair."""
    path = tmp_path / "no_seg.tmx"
    path.write_bytes(b'<tmx version="1.4"><body><tu><tuv xml:lang="fr"><seg>Oui.</seg></tuv>'
                     b'<tuv xml:lang="de"/><tuv xml:lang="en"><seg>Yes.</seg></tuv></tu>'
                     b"</body></tmx>")
    (unit,) = read_tmx(path)
    assert [(v.lang, v.text) for v in unit.variants] == [("fr", "Oui."), ("de", ""),
                                                         ("en", "Yes.")]


def test_elements_outside_units_are_reported_wherever_they_are(tmp_path: Path) -> None:
    path = tmp_path / "strays.tmx"
    unit = b'<tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="fr"><seg>b</seg></tuv></tu>'
    path.write_bytes(b'<tmx version="1.4"><body>\n<tuv xml:lang="en"><seg>first</seg></tuv>\n'
                     + unit + b"\n<!-- a comment -->\n<prop>x</prop>\n<note>y</note>\n" + unit
                     + b'\n<tuv xml:lang="en"><seg>last</seg></tuv>\n</body></tmx>')
    skipped: list[tuple[str, int | None]] = []
    units = list(read_tmx(path, on_skip=lambda r, n: skipped.append((r, n))))
    assert len(units) == 2
    assert skipped == [("<tuv> outside any <tu>", 2), ("<prop> outside any <tu>", 5),
                       ("<note> outside any <tu>", 6), ("<tuv> outside any <tu>", 8)]


def test_a_body_of_stray_elements_only_reports_them(tmp_path: Path) -> None:
    path = tmp_path / "strays_only.tmx"
    path.write_bytes(b'<tmx version="1.4"><header srclang="fr"/><body>\n'
                     b'<tuv xml:lang="fr"><seg>Orphelin.</seg></tuv>\n<prop type="x">p</prop>'
                     b"\n</body></tmx>")
    skipped: list[tuple[str, int | None]] = []
    assert list(read_tmx(path, on_skip=lambda r, n: skipped.append((r, n)))) == []
    assert skipped == [("<tuv> outside any <tu>", 2), ("<prop> outside any <tu>", 3)]
    path.write_bytes(path.read_bytes().replace(b'<header srclang="fr"/>', b""))  # no header
    skipped.clear()
    assert list(read_tmx(path, on_skip=lambda r, n: skipped.append((r, n)))) == []
    assert skipped == [("<tuv> outside any <tu>", 2), ("<prop> outside any <tu>", 3)]


def test_an_element_wrapping_units_is_not_reported(tmp_path: Path) -> None:
    path = tmp_path / "group.tmx"
    unit = b'<tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="fr"><seg>b</seg></tuv></tu>'
    path.write_bytes(b'<tmx version="1.4"><body><group>' + unit + b"</group>" + unit
                     + b"<group>" + unit + b"</group></body></tmx>")
    skipped: list[tuple[str, int | None]] = []
    assert len(list(read_tmx(path, on_skip=lambda r, n: skipped.append((r, n))))) == 3
    assert skipped == []


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        (b"", "malformed XML", None),
        (b"just text\n", "malformed XML", 1),
        (b"\xff\xfe<\x00t\x00m\x00x\x00>\x00\x00\xd8", "not valid UTF-16-LE", 1),
    ],
)
def test_malformed_files(tmp_path: Path, content: bytes, message: str, line: int | None) -> None:
    path = tmp_path / "bad.tmx"
    path.write_bytes(content)
    with pytest.raises(FormatError) as info:
        list(read_tmx(path))
    assert message in info.value.message
    if line is not None:
        assert info.value.line == line


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(read_tmx(tmp_path / "nope.tmx"))
    with pytest.raises(InputError, match="is a directory"):
        list(read_tmx(tmp_path))


# --- writing -----------------------------------------------------------------------------------


def _unit(en: str, fr: str, **kw: object) -> TranslationUnit:
    return TranslationUnit(variants=(Variant("en-GB", en), Variant("fr-FR", fr)), **kw)  # type: ignore[arg-type]


def test_written_file_validates_against_dtd(shared: Path, tmp_path: Path) -> None:
    units, _ = _read(DATA / "inline.tmx")
    units += list(read_tmx(DATA / "all_srclang.tmx"))
    units.append(_unit("bad <b>markup</b>", "x", props=(("x-link-kind", "1-1"),)))
    units.append(
        TranslationUnit(
            variants=(Variant("en-GB", "A\x00B", markup="<b>A</b>B"), Variant("fr-FR", "C")),
            notes=("n\x07",),
        )
    )
    out = tmp_path / "valid.tmx"
    write_tmx(
        out,
        units,
        srclang="en-GB",
        header_props=[("x-aligner", "gale-church")],
        header_notes=["made by tests"],
    )
    dtd = etree.DTD(str(shared / "schemas" / "tmx" / "tmx14.dtd"))
    doc = etree.parse(str(out), secure_parser())
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()
    head = out.read_text(encoding="utf-8")
    assert '<!DOCTYPE tmx SYSTEM "tmx14.dtd">' in head
    header = read_tmx_header(out)
    assert header.creationtool == "tmtool" and header.o_tmf == "tmtool"
    assert header.props == (("x-aligner", "gale-church"),)
    assert header.creationdate and len(header.creationdate) == 16
    back = list(read_tmx(out))
    # markup in another vocabulary (HTML) is kept as native codes around the same text
    assert back[-1].variants[0].text == "AB"
    assert back[-1].variants[0].markup == (
        '<bpt i="1">&lt;b&gt;</bpt>A<ept i="1">&lt;/b&gt;</ept>B')
    assert back[-1].notes == ("n",)
    assert back[-2].variants[0].markup is None  # not TMX inline markup: written as text


def test_stale_markup_is_not_written(tmp_path: Path) -> None:
    unit = TranslationUnit(
        (Variant("en-GB", "new text", markup='old <ph x="1">{1}</ph> text'), Variant("fr", "x"))
    )
    write_tmx(tmp_path / "s.tmx", [unit], srclang="en-GB")
    (back,) = read_tmx(tmp_path / "s.tmx")
    assert back.variants[0].text == "new text" and back.variants[0].markup is None


def _failing_units() -> Iterator[TranslationUnit]:
    yield _unit("one", "un")
    raise RuntimeError("source broke")


def test_atomic_write_keeps_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "tm.tmx"
    out.write_bytes(b"previous content")
    with pytest.raises(RuntimeError):
        write_tmx(out, _failing_units(), srclang="en-GB")
    assert out.read_bytes() == b"previous content"
    assert os.listdir(tmp_path) == ["tm.tmx"]


def test_atomic_write_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        write_tmx(tmp_path / "new.tmx", _failing_units(), srclang="en-GB")
    assert os.listdir(tmp_path) == []


def test_unit_without_variants_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="unit 2 has no variants"):
        write_tmx(tmp_path / "x.tmx", [_unit("a", "b"), TranslationUnit(())], srclang="en")
    assert os.listdir(tmp_path) == []


def test_write_to_unwritable_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot write"):
        write_tmx(tmp_path / "missing" / "x.tmx", [_unit("a", "b")], srclang="en")


def test_write_to_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(buffer, encoding="utf-8"))
    assert write_tmx("-", [_unit("Hello", "Bonjour")], srclang="en-GB") == 1
    assert b"<seg>Bonjour</seg>" in buffer.getvalue()


# --- round trip property -----------------------------------------------------------------------

LANGS = st.sampled_from(["en-GB", "fr-FR", "fr-CA", "de-DE", "zh-Hant-TW", "en"])
ANY_TEXT = st.text(max_size=40)
LEGAL = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"), max_size=15
).map(strip_illegal)
DATE = st.datetimes(min_value=datetime(1000, 1, 1)).map(lambda d: d.strftime("%Y%m%dT%H%M%SZ"))
PROPS = st.lists(st.tuples(ANY_TEXT, ANY_TEXT), max_size=3).map(tuple)
NOTES = st.lists(ANY_TEXT, max_size=2).map(tuple)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _el(tag: str, attrs: str, content: str) -> str:
    """An element as lxml writes it: self-closed when empty."""
    return f"<{tag} {attrs}>{content}</{tag}>" if content else f"<{tag} {attrs}/>"


@st.composite
def _markup(draw: st.DrawFn) -> tuple[str, str]:
    """(plain text, markup) built from text, paired codes, placeholders and highlights."""
    text, markup = [], []
    for i, kind in enumerate(draw(st.lists(st.sampled_from("tbphi"), min_size=1, max_size=6))):
        piece = draw(LEGAL)
        if kind == "t":
            text.append(piece)
            markup.append(_esc(piece))
        elif kind == "b":
            inner = draw(LEGAL)
            text.append(inner)
            markup.append(
                _el("bpt", f'i="{i}" x="{i}"', _esc(piece))
                + _esc(inner)
                + _el("ept", f'i="{i}"', "&lt;/x&gt;")
            )
        elif kind == "p":
            sub = _el("sub", 'type="alt"', _esc(draw(LEGAL)))
            markup.append(_el("ph", f'x="{i}"', _esc(piece) + sub))
            text.append("\x00")  # a placeholder: a space between two words, else nothing
        elif kind == "h":
            text.append(piece)
            markup.append(_el("hi", f'type="x-{i}"', _esc(piece)))
        else:
            markup.append(_el("it", 'pos="end"', _esc(piece)))
    plain = re.sub(r"(?<=\w)\x00+(?=\w)", " ", "".join(text)).replace("\x00", "")
    return plain, "".join(markup)


@st.composite
def _variant(draw: st.DrawFn) -> Variant:
    if draw(st.booleans()):
        text, markup = draw(_markup().filter(lambda tm: tm[0].strip()))
    else:
        text, markup = draw(ANY_TEXT.filter(lambda t: strip_illegal(t).strip())), None
    return Variant(
        lang=draw(LANGS),
        text=text,
        markup=markup,
        props=draw(PROPS),
        notes=draw(NOTES),
        creationdate=draw(st.none() | DATE),
        changedate=draw(st.none() | DATE),
        creationid=draw(st.none() | ANY_TEXT),
        changeid=draw(st.none() | ANY_TEXT),
    )


UNITS = st.lists(
    st.builds(
        TranslationUnit,
        variants=st.lists(_variant(), min_size=2, max_size=3).map(tuple),
        tuid=st.none() | ANY_TEXT,
        srclang=st.none() | LANGS,
        props=PROPS,
        notes=NOTES,
        creationdate=st.none() | DATE,
        changedate=st.none() | DATE,
        creationid=st.none() | ANY_TEXT,
        changeid=st.none() | ANY_TEXT,
        usagecount=st.none() | st.integers(0, 10**6),
        attrs=st.dictionaries(st.sampled_from(["lastusagedate", "creationtool", "datatype"]),
                              DATE, max_size=2).map(lambda d: tuple(d.items())),
    ),
    max_size=4,
)


def _clean(value: object) -> object:
    return strip_illegal(value) if isinstance(value, str) else value


def _source(unit: TranslationUnit, header: str) -> str | None:
    """The unit's srclang as read back: one of its variants' tags, else the header's when the
    unit holds it, else the unit's first language."""
    langs = [v.lang for v in unit.variants]
    found = unit.srclang
    if found is not None and found not in langs:
        same = [tag for tag in langs if tag.split("-")[0] == found.split("-")[0]]
        found = same[0] if len(same) == 1 else None
    if found is None and header != "*all*" and header not in langs:
        return langs[0]
    return found


def _expected(unit: TranslationUnit, srclang: str) -> TranslationUnit:
    """What reading gives back: illegal characters dropped, srclang naming a
    variant, else inherited from the header."""
    variants = tuple(
        dataclasses.replace(
            v,
            text=strip_illegal(v.text),
            markup=v.markup if v.markup and "<" in v.markup else None,  # no code: plain text
            props=tuple((strip_illegal(a), strip_illegal(b)) for a, b in v.props),
            notes=tuple(strip_illegal(n) for n in v.notes),
            creationid=_clean(v.creationid),
            changeid=_clean(v.changeid),
        )
        for v in unit.variants
    )
    return dataclasses.replace(
        unit,
        variants=variants,
        tuid=_clean(unit.tuid),
        srclang=_source(unit, srclang) or srclang,
        props=tuple((strip_illegal(a), strip_illegal(b)) for a, b in unit.props),
        notes=tuple(strip_illegal(n) for n in unit.notes),
        creationid=_clean(unit.creationid),
        changeid=_clean(unit.changeid),
        attrs=tuple(sorted(unit.attrs)),  # attributes have no order: read back by name
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units=UNITS, srclang=LANGS)
def test_write_then_read_gives_the_same_units(units: Units, srclang: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rt.tmx"
        assert write_tmx(path, units, srclang=srclang) == len(units)
        back, skipped = _read(path)
    assert skipped == []
    assert _no_origin(back) == [_expected(u, srclang) for u in units]


# --- a real CAT tool ---------------------------------------------------------------------------

PAIRS = [
    ("Le train part à huit heures.", "The train leaves at eight o'clock."),
    ("Il pleut depuis ce matin.", "It has been raining since this morning."),
    ("Où se trouve la gare ?", "Where is the station?"),
    ("Nous avons réservé une table pour deux.", "We have booked a table for two."),
    ("Le musée est fermé le lundi.", "The museum is closed on Mondays."),
    ("Pouvez-vous parler plus lentement ?", "Can you speak more slowly?"),
    ("Ma sœur habite à Lyon.", "My sister lives in Lyon."),
    ("Le rapport doit être remis vendredi.", "The report must be submitted on Friday."),
    ("Cette rue est très animée le soir.", "This street is very lively in the evening."),
    ("J'ai oublié mon parapluie au bureau.", "I left my umbrella at the office."),
    ("Les élèves préparent « l'examen » final.", "The pupils are preparing for the final exam."),
    ("Le prix a augmenté de 5 % & plus.", "The price rose by 5% & more."),
]


@pytest.mark.skipif(not Path("/usr/bin/omegat").exists(), reason="OmegaT is not installed")
def test_omegat_uses_every_exact_match(shared: Path, tmp_path: Path) -> None:
    if not shutil.which("java"):
        pytest.skip("java is not installed")
    units = [TranslationUnit((Variant("fr-FR", fr), Variant("en-GB", en))) for fr, en in PAIRS]
    out = tmp_path / "omegat.tmx"
    write_tmx(out, units, srclang="fr-FR")
    result = subprocess.run(
        ["bash", str(shared / "tools" / "omegat_check.sh"), str(out), "fr-FR", "en-GB"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"translated from TMX: {len(PAIRS)}/{len(PAIRS)}" in result.stdout


def test_iso_dates_are_read_as_tmx_dates(tmp_path: Path) -> None:
    """Some tools write ISO 8601 dates; CAT tools reading the export expect TMX's form (UTC).
    What is no date at all is kept as the file gave it."""
    path = tmp_path / "iso.tmx"
    path.write_bytes(
        b'<?xml version="1.0"?><tmx version="1.4"><header srclang="fr" '
        b'creationdate="2024-04-30"/><body>'
        b'<tu creationdate="2024-05-01T12:00:00+02:00" changedate="2024-05-02" '
        b'lastusagedate="2024-06-01T10:00:00+02:00">'
        b'<tuv xml:lang="fr" changedate="2024-05-03T08:30:00Z"><seg>Oui.</seg></tuv>'
        b'<tuv xml:lang="en" creationdate="20241399T250000Z"><seg>Yes.</seg></tuv></tu>'
        b'</body></tmx>')
    with pytest.warns(TmtoolWarning, match="'20241399T250000Z' is no date"):
        (unit,) = read_tmx(path)
    assert (unit.creationdate, unit.changedate) == ("20240501T100000Z", "20240502T000000Z")
    assert unit.attrs == (("lastusagedate", "20240601T080000Z"),)
    assert unit.variants[0].changedate == "20240503T083000Z"
    assert unit.variants[1].creationdate == "20241399T250000Z"
    assert read_tmx_header(path).creationdate == "20240430T000000Z"


def test_dates_that_are_none_are_kept_and_told(tmp_path: Path) -> None:
    path = tmp_path / "odd.tmx"
    path.write_bytes(
        b'<?xml version="1.0"?><tmx version="1.4"><header srclang="fr"/><body>\n'
        b'<tu creationdate="20240101T000000Z"><tuv xml:lang="fr"><seg>Oui.</seg></tuv>'
        b'<tuv xml:lang="en"><seg>Yes.</seg></tuv></tu>\n'
        b'<tu creationdate="yesterday"><tuv xml:lang="fr" changedate="2024-13-45">'
        b'<seg>Non.</seg></tuv><tuv xml:lang="en"><seg>No.</seg></tuv></tu>\n'
        b'</body></tmx>')
    with pytest.warns(TmtoolWarning) as told:
        units = list(read_tmx(path))
    assert [u.creationdate for u in units] == ["20240101T000000Z", "yesterday"]
    assert units[1].variants[0].changedate == "2024-13-45"
    (message,) = [str(w.message) for w in told]
    assert message.startswith(f"{path}, line 3: '") and message.endswith(
        "' is no date (and 1 more): kept as given")


def test_each_reader_tells_its_own_odd_dates_at_their_line(tmp_path: Path) -> None:
    odd, good = tmp_path / "odd.tmx", tmp_path / "good.tmx"
    unit = (b'<tu%s><tuv xml:lang="fr"><seg>Oui.</seg></tuv>'
            b'<tuv xml:lang="en"><seg>Yes.</seg></tuv></tu>\n')
    odd.write_bytes(b'<?xml version="1.0"?><tmx version="1.4">\n<header srclang="fr" '
                    b'creationdate="someday"/><body>\n' + unit % b'' + b'</body></tmx>')
    good.write_bytes(b'<?xml version="1.0"?><tmx version="1.4"><header srclang="fr"/><body>\n'
                     + unit % b' creationdate="20240101T000000Z"' * 2 + b'</body></tmx>')
    with pytest.warns(TmtoolWarning) as told:
        first, second = TmxReader(odd), TmxReader(good)
        for pair in zip(first, second, strict=False):  # read in turns, as threads may
            assert pair[1].creationdate == "20240101T000000Z"
        list(first), list(second)
    assert [str(w.message) for w in told] == [
        f"{odd}, line 2: 'someday' is no date: kept as given"]


def test_a_unit_s_srclang_names_one_of_its_variants(tmp_path: Path) -> None:
    """An export of two languages may leave a unit without its source variant: its srclang
    must not name a language the unit no longer holds."""
    units = [
        TranslationUnit((Variant("fr", "Oui."), Variant("sr", "Da.")), srclang="en-US"),
        TranslationUnit((Variant("fr-FR", "Non."), Variant("sr", "Ne.")), srclang="fr"),
        TranslationUnit((Variant("fr", "Bon."), Variant("sr", "Dobro.")), srclang="sr"),
    ]
    out = tmp_path / "two.tmx"
    write_tmx(out, units, srclang="*all*")
    tus = etree.parse(str(out), secure_parser()).getroot().iter("tu")
    assert [tu.get("srclang") for tu in tus] == [None, "fr-FR", "sr"]
    write_tmx(out, units[:1], srclang="en-US")  # the header's language: not the unit's
    assert etree.parse(str(out), secure_parser()).getroot().find(".//tu").get("srclang") == "fr"


def test_a_binary_file_is_told_in_one_error(tmp_path: Path) -> None:
    path = tmp_path / "program.tmx"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning about encodings first
        with pytest.raises(InputError, match="looks like a binary file, not XML"):
            list(read_tmx(path))


def test_repair_keeps_pairs_a_file_numbered_again_and_sub_flows_apart() -> None:
    from tmtool.formats.tmx import repaired_content

    def repaired(markup: str) -> str | None:
        found = repaired_content(etree.fromstring(f"<seg>{markup}</seg>"))
        return None if found is None else found[1]

    nested = ('<bpt i="1">{<sub><bpt i="1">a</bpt>x<ept i="1">b</ept></sub>}</bpt>T'
              '<ept i="1">}</ept>')
    assert repaired(nested) is None  # each flow pairs its own codes
    assert repaired(nested + "<x/>") == nested + "<ph>&lt;x/&gt;</ph>"
    assert repaired('<bpt i="1"/>a<ept i="1"/> <bpt i="1"/>b<ept i="1"/>') == (
        '<bpt i="1"/>a<ept i="1"/> <bpt i="2"/>b<ept i="2"/>')
    assert repaired('Un <ph xml:lang="fr">1</ph> b') == "Un <ph>1</ph> b"


@pytest.mark.parametrize(
    ("typed", "plain", "markup"),
    [
        ("Appuyez sur <b>Entrée</b>.", "Appuyez sur Entrée.",
         'Appuyez sur <bpt i="1">&lt;b&gt;</bpt>Entrée<ept i="1">&lt;/b&gt;</ept>.'),
        ("Ligne<br/>suivante", "Ligne suivante", "Ligne<ph>&lt;br/&gt;</ph>suivante"),
        ("Début <i>ouvert et fin</u>", "Début ouvert et fin",
         'Début <it pos="begin">&lt;i&gt;</it>ouvert et fin<it pos="end">&lt;/u&gt;</it>'),
        ("a < 3 et b > 2 & c", "a < 3 et b > 2 & c", None),
        # an HTML element without a closing tag is a placeholder, as <br/> is
        ("Ligne<br>suivante", "Ligne suivante", "Ligne<ph>&lt;br&gt;</ph>suivante"),
        # angle brackets that are no tag: comparisons, a placeholder of the text, no values
        ("si x<y et y>z alors", "si x<y et y>z alors", None),
        ("Remplacez <nom> par votre nom.", "Remplacez <nom> par votre nom.", None),
        ("<nom>Dupont</nom> a écrit", "Dupont a écrit",
         '<bpt i="1">&lt;nom&gt;</bpt>Dupont<ept i="1">&lt;/nom&gt;</ept> a écrit'),
        ('<a href="x>y">lien</a>', "lien",
         '<bpt i="1">&lt;a href="x&gt;y"&gt;</bpt>lien<ept i="1">&lt;/a&gt;</ept>'),
    ],
)
def test_tags_as_cat_tools_show_them_become_inline_codes(typed: str, plain: str,
                                                          markup: str | None) -> None:
    from tmtool.formats.tmx import tagged_text

    assert tagged_text(typed) == (plain, markup)


def test_units_keep_what_their_header_says_of_them(tmp_path: Path) -> None:
    # a file of blocks of HTML: each unit says so on export, under tmtool's own header
    src = tmp_path / "blocks.tmx"
    src.write_text(
        '<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="block" '
        'o-tmf="t" adminlang="en" srclang="en-US" datatype="html"/><body>'
        '<tu><tuv xml:lang="en-US"><seg>One.</seg></tuv><tuv xml:lang="fr-FR"><seg>Un.</seg>'
        '</tuv></tu><tu segtype="sentence" datatype="plaintext"><tuv xml:lang="en-US">'
        '<seg>Two.</seg></tuv><tuv xml:lang="fr-FR"><seg>Deux.</seg></tuv></tu></body></tmx>',
        encoding="utf-8")
    units = list(read_tmx(src))
    assert [u.attrs for u in units] == [(("datatype", "html"), ("segtype", "block")),
                                        (("datatype", "plaintext"), ("segtype", "sentence"))]
    out = tmp_path / "out.tmx"
    write_tmx(out, units, srclang="en-US")
    tus = etree.parse(str(out)).getroot().findall("body/tu")
    assert [(tu.get("segtype"), tu.get("datatype")) for tu in tus] == [
        ("block", "html"), ("sentence", "plaintext")]
