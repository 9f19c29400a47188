"""CSV/TSV glossaries as memoQ and MultiTerm users write them; lossless round trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tmtool.errors import FormatError, InputError
from tmtool.formats.glossary_csv import (
    language_of,
    read_glossary_csv,
    split_cell,
    write_glossary_csv,
)
from tmtool.model import DataCategory, Term, TermEntry, TermStatus


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


@pytest.mark.parametrize("header, lang", [
    ("fr-FR", "fr-FR"), ("FR_fr", "fr-FR"), ("en", "en"), ("French", "fr"),
    ("Français", "fr"), ("English (United Kingdom)", "en-GB"), ("anglais", "en"),
    ("German (Austria)", "de-AT"), ("note", None), ("id", None), ("Definition", None),
    ("foo", None), ("xx-YY", None), ("zh-Hant-TW", "zh-Hant-TW"),
    # ISO 639-2 codes and the UK region are the registry's fr, en-GB; memoQ names regions
    ("fra", "fr"), ("fre", "fr"), ("en-UK", "en-GB"), ("English_United_Kingdom", "en-GB"),
    ("French_Canada", "fr-CA"), ("Anglais (Royaume-Uni)", "en-GB"),
    ("Anglais (États-Unis)", "en-US"), ("Français (Canada)", "fr-CA"),
    ("English (U.K.)", "en-GB"), ("Anglais (R.-U.)", "en-GB"), ("English (Narnia)", None),
])
def test_language_headers(header: str, lang: str | None) -> None:
    assert language_of(header) == lang


def test_semicolon_file_with_bom_names_and_synonyms(tmp_path: Path) -> None:
    path = write(tmp_path, "memoq.csv",
                 "\ufeffFrench;English;French_status;Definition;Client\n"
                 "garantie de sécurité|assurance de sécurité;security guarantee;preferred|admitted;"
                 "Engagement;ACME\n"
                 "\n"
                 "l'OTAN;NATO;;;\n")
    first, second = read_glossary_csv(path)
    assert [(t.lang, t.text, t.status) for t in first.terms] == [
        ("fr", "garantie de sécurité", TermStatus.PREFERRED),
        ("fr", "assurance de sécurité", TermStatus.ADMITTED),
        ("en", "security guarantee", None)]
    assert first.definition == "Engagement" and first.extra == {"Client": "ACME"}
    assert [t.text for t in second.terms] == ["l'OTAN", "NATO"]


def test_tab_file_in_utf16_with_quotes_and_one_status_for_all(tmp_path: Path) -> None:
    path = write(tmp_path, "multiterm.txt",
                 "\ufeffen-GB\tfr-FR\tfr-FR_pos\tnote\n"
                 'ceasefire\tcessez-le-feu|trêve\tnoun\t"a note, with ""quotes""\n'
                 'and a new line"\n', encoding="utf-16-le")
    (e,) = read_glossary_csv(path)
    assert [(t.lang, t.text, t.pos) for t in e.terms] == [
        ("en-GB", "ceasefire", None), ("fr-FR", "cessez-le-feu", "noun"),
        ("fr-FR", "trêve", "noun")]
    assert e.note == 'a note, with "quotes"\nand a new line'


def test_escaped_pipes() -> None:
    assert split_cell(r"a\|b|c\\|d") == ["a|b", "c\\", "d"]


@pytest.mark.parametrize("text, message", [
    ("Term,Comment\nx,y\n", "line 1: no language column in the header"),
    ("fr,en\nOTAN,NATO\nun,deux,trois\n", "line 3: row has 3 fields but the header has 2"),
    ("fr,en,fr_status\nOTAN,NATO,sometimes\n", "line 2: unknown term status 'sometimes'"),
    ("fr,en,fr_status\na|b,c,preferred|admitted|forbidden\n",
     "line 2: column fr_status has 3 values for 2 terms"),
    ("fr,en,confidence\nOTAN,NATO,high\n", "line 2: confidence 'high' is not a number"),
    ('fr,en\npaix,peace\n"paix durable,lasting peace\ntrêve,truce\n',
     "line 3: a quote opened in this row is never closed"),
    # text after a closing quote: the quotes would vanish from the term, silently
    ('fr,en\n"Grosse" Pomme,Big Apple\n', "line 2: malformed row"),
])
def test_errors_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "bad.csv", text)
    with pytest.raises(FormatError) as err:
        list(read_glossary_csv(path))
    assert str(err.value).startswith(f"{path}, {message}")


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(read_glossary_csv(tmp_path / "missing.csv"))
    with pytest.raises(InputError, match="file is empty"):
        list(read_glossary_csv(write(tmp_path, "empty.csv", "\n")))


def test_export_columns_and_langs_order(tmp_path: Path) -> None:
    entries = [TermEntry(terms=(Term("OTAN", "fr-FR", status=TermStatus.PREFERRED),
                                Term("NATO", "en-GB"), Term("NATO", "de")),
                         subject="défense")]
    out = tmp_path / "g.csv"
    assert write_glossary_csv(entries, out, langs=["en", "fr"]) == 1
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel and memoQ read UTF-8 with a BOM
    assert raw.decode("utf-8-sig").splitlines() == [
        "en-GB,fr-FR,fr-FR_status,subject", "NATO,OTAN,preferred,défense"]
    tsv = tmp_path / "g.tsv"
    write_glossary_csv(entries, tsv)
    header = tsv.read_text(encoding="utf-8").splitlines()[0]
    assert header == "fr-FR\tfr-FR_status\ten-GB\tde\tsubject"


# -- round trip --------------------------------------------------------------------------

_WORD = st.text(alphabet="abcéèçôxyzABÉ&<>'\",;|\\-", min_size=1, max_size=8)
TEXT = st.lists(_WORD, min_size=1, max_size=3).map(" ".join).filter(lambda s: s.strip() == s)
OPT = st.none() | TEXT
LANGS = st.sampled_from(["fr-FR", "en-GB", "de", "fr-CA"])


@st.composite
def entries(draw: st.DrawFn) -> TermEntry:
    terms = draw(st.lists(st.builds(
        Term, text=TEXT, lang=LANGS, pos=st.none() | st.sampled_from(["noun", "verb"]),
        status=st.none() | st.sampled_from(list(TermStatus)), context=OPT, source=OPT,
        note=OPT), min_size=1, max_size=5))
    order = list(dict.fromkeys(t.lang for t in terms))
    terms = sorted(terms, key=lambda t: order.index(t.lang))
    extra = draw(st.dictionaries(st.sampled_from(["Client", "Project"]), TEXT, max_size=2))
    definition = draw(OPT)
    if definition is not None and draw(st.booleans()):
        extra[f"definition:{terms[0].lang}"] = definition + " (2)"
    return TermEntry(terms=tuple(terms), subject=draw(OPT), definition=definition,
                     note=draw(st.none() | st.lists(TEXT, min_size=1, max_size=2)
                               .map("\n".join)),
                     confidence=draw(st.none() | st.floats(0, 1)), extra=extra)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(entries(), min_size=1, max_size=4), st.sampled_from(["g.csv", "g.tsv"]))
def test_round_trip_loses_nothing(tmp_path: Path, items: list[TermEntry], name: str) -> None:
    # every entry's languages in the file's column order, as export writes them
    order = list(dict.fromkeys(t.lang for e in items for t in e.terms))
    items = [TermEntry(terms=tuple(sorted(e.terms, key=lambda t: order.index(t.lang))),
                       subject=e.subject, definition=e.definition, note=e.note,
                       confidence=e.confidence, extra=e.extra) for e in items]
    out = tmp_path / name
    write_glossary_csv(items, out)
    assert list(read_glossary_csv(out)) == items


def test_fields_csv_cannot_hold_are_reported(tmp_path: Path) -> None:
    e = TermEntry(terms=(Term("GCR", "en", data=(DataCategory("termType", "acronym"),)),
                         Term("GCR", "de")),
                  data=(DataCategory("xGraphic", "Carte", "https://example.org/c.svg"),
                        DataCategory("xGraphic", "Plan", "https://example.org/p.svg")))
    warnings: list[tuple[str, int | None]] = []
    write_glossary_csv([e], tmp_path / "g.csv", warn=lambda m, n: warnings.append((m, n)))
    assert warnings == [
        ("2 xGraphic field(s) not written (CSV has no column for them; a .tbx export keeps "
         "them)", None),
        ("1 termType field(s) not written (CSV has no column for them; a .tbx export keeps "
         "them)", None)]


def test_rows_without_terms_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text("fr;en;note\nOTAN;NATO;\n;;sans terme\n\n", encoding="utf-8")
    warnings: list[tuple[str, int | None]] = []
    entries = list(read_glossary_csv(path, warn=lambda m, n: warnings.append((m, n))))
    assert len(entries) == 1
    assert warnings == [("row without any term skipped", 3)]


def test_memoq_columns_and_unknown_ones(tmp_path: Path) -> None:
    path = write(tmp_path, "memoq.csv",
                 "Entry_ID,Entry_Subject,Entry_Domain,Entry_Note,English,English_Def,French,"
                 "French_Def,Client\n"
                 "1,Security,Defence,Checked,ceasefire,A halt to fighting,cessez-le-feu,"
                 "Arrêt des combats,ACME\n")
    told: list[tuple[str, int | None]] = []
    (entry,) = read_glossary_csv(path, warn=lambda m, n: told.append((m, n)))
    assert (entry.subject, entry.note, entry.definition) == ("Security; Defence", "Checked", None)
    assert entry.extra == {"Entry_ID": "1", "definition:en": "A halt to fighting",
                           "definition:fr": "Arrêt des combats", "Client": "ACME"}
    assert told == [("column(s) Entry_ID, Client not recognised: kept as extra fields of each "
                     "entry", 1)]


def test_a_language_definition_comes_back_as_it_went(tmp_path: Path) -> None:
    path = write(tmp_path, "ld.csv", "fr,en,fr_definition,en_definition\n"
                                     "ours,bear,Mammifère,A mammal\n")
    (entry,) = read_glossary_csv(path)
    out = tmp_path / "out.csv"
    write_glossary_csv([entry], out)
    assert list(read_glossary_csv(out)) == [entry]
    assert entry.definition is None and entry.extra["definition:fr"] == "Mammifère"
