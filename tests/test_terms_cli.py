"""tmtool glossary extract / build: output formats, exit codes and error lines."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tmtool.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora"
DATA = ROOT / "tests" / "data" / "terms"

TEXT = ("Le comité de surveillance examine le blanchiment de capitaux. "
        "Le comité de surveillance publie un rapport sur le blanchiment de capitaux. ")


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_extract_text_one_term_per_line() -> None:
    f = CORPUS / "ukraine-security.fr.txt"
    r = CliRunner().invoke(main, ["glossary", "extract", str(f), "--lang", "fr", "--limit", "3"])
    assert r.exit_code == 0, r.output
    top = r.output.splitlines()
    assert len(top) == 3
    r = CliRunner().invoke(main, ["glossary", "extract", str(f), "--lang", "fr"])
    every = r.output.splitlines()
    assert 3 < len(every) < 200
    assert every[:3] == top  # --limit cuts the same ranking
    r = CliRunner().invoke(main, ["glossary", "extract", str(f), "--lang", "fr", "--limit",
                                  str(len(every) + 20)])
    more = r.output.splitlines()
    assert len(more) == len(every) + 20 and more[:len(every)] == every  # past the cut-off
    assert "Zelensky" in every and "garanties de sécurité" in every


def test_extract_json_and_tsv_add_scores() -> None:
    f = CORPUS / "ukraine-security.en.txt"
    r = CliRunner().invoke(main, ["glossary", "extract", str(f), "--format",
                                  "json", "--limit", "2", "--lang", "en"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert len(data) == 2 and set(data[0]) == {"term", "score", "frequency", "documents"}
    r = CliRunner().invoke(main, ["glossary", "extract", str(f), "--lang", "en", "--format",
                                  "tsv", "--limit", "1"])
    assert r.output.splitlines()[0] == "term\tscore\tfrequency\tdocuments"


def test_extract_errors(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    r = CliRunner().invoke(main, ["glossary", "extract", str(missing), "--lang", "fr"])
    assert r.exit_code == 1
    assert r.output.strip() == f"Error: {missing}: no such file"
    r = CliRunner().invoke(main, ["glossary", "extract", str(missing), "--lang", "de"])
    assert r.exit_code == 2
    r = CliRunner().invoke(main, ["glossary", "extract", "--lang", "fr"])
    assert r.exit_code == 2


def test_build_needs_two_documents_or_a_tmx(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["glossary", "build", "--no-store"])
    assert r.exit_code == 1
    assert r.output.strip() == "Error: give two documents (FR EN) or --tmx FILE"
    f = write(tmp_path, "a.txt", TEXT)
    r = CliRunner().invoke(main, ["glossary", "build", str(f), str(f), "--tmx", str(f)])
    assert r.exit_code == 1
    assert r.output.strip() == "Error: give either FR EN or --tmx, not both"


def test_build_from_documents_stores_pairs(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    r = CliRunner().invoke(main, [
        "glossary", "build", str(CORPUS / "ukraine-security.fr.txt"),
        str(CORPUS / "ukraine-security.en.txt"), "--db", str(db), "--format", "tsv"])
    assert r.exit_code == 0, r.output
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert rows[0][:3] == ["fr", "en", "confidence"]
    pairs = {(row[0], row[1]) for row in rows[1:]}
    assert ("garanties de sécurité", "security guarantees") in pairs
    from tmtool.store import Store
    from tmtool.termbase import count_entries

    with Store(db) as store:
        assert count_entries(store) == len(rows) - 1


def test_build_into_a_store_marks_the_pairs_it_left_out(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    docs = [str(CORPUS / "ukraine-security.fr.txt"), str(CORPUS / "ukraine-security.en.txt")]
    r = CliRunner().invoke(main, ["glossary", "add", "--fr", "garanties de sécurité",
                                  "--en", "security assurances", "--db", str(db)])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["glossary", "build", *docs, "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "1 left out (marked below)" in r.stderr
    lines = r.stdout.splitlines()
    assert "garanties de sécurité = security guarantees  (left out of the store)" in lines
    assert sum("left out" in line for line in lines) == 1
    r = CliRunner().invoke(main, ["glossary", "build", *docs, "--db", str(db), "--format", "json"])
    records = json.loads(r.stdout)
    assert [(x["fr"], x["en"]) for x in records if not x["stored"]] == [
        ("garanties de sécurité", "security guarantees")]


def test_build_from_a_tmx_without_french_and_english_names_it(tmp_path: Path) -> None:
    tmx = write(tmp_path, "de.tmx", '<tmx version="1.4"><header srclang="en"/><body><tu>'
                '<tuv xml:lang="en"><seg>Yes</seg></tuv><tuv xml:lang="de"><seg>Ja</seg></tuv>'
                '</tu></body></tmx>')
    r = CliRunner().invoke(main, ["glossary", "build", "--tmx", str(tmx), "--no-store"])
    assert r.exit_code == 1
    assert r.output.strip() == (f"Error: {tmx}: no unit with both French and English text to "
                                "build a glossary from")


def test_build_from_tmx(tmp_path: Path) -> None:
    units = "".join(
        f'<tu><tuv xml:lang="fr"><seg>{fr}</seg></tuv><tuv xml:lang="en"><seg>{en}</seg></tuv></tu>'
        for fr, en in (line.split("\t") for line in
                       (DATA / "bitext.tsv").read_text(encoding="utf-8").splitlines() if line))
    tmx = write(tmp_path, "m.tmx", '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4">'
                '<header srclang="fr" datatype="plaintext" segtype="sentence" adminlang="en" '
                'o-tmf="x" creationtool="t" creationtoolversion="1"/>'
                f"<body>{units}</body></tmx>")
    r = CliRunner().invoke(main, ["glossary", "build", "--tmx", str(tmx), "--no-store"])
    assert r.exit_code == 0, r.output
    assert "blanchiment de capitaux = money laundering" in r.output.splitlines()


def _tmx(tmp_path: Path) -> Path:
    units = "".join(
        f'<tu><tuv xml:lang="fr"><seg>{fr}</seg></tuv><tuv xml:lang="en"><seg>{en}</seg></tuv></tu>'
        for fr, en in (line.split("\t") for line in
                       (DATA / "bitext.tsv").read_text(encoding="utf-8").splitlines() if line))
    return write(tmp_path, "m.tmx", '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4">'
                 '<header srclang="fr" datatype="plaintext" segtype="sentence" adminlang="en" '
                 'o-tmf="x" creationtool="t" creationtoolversion="1"/>'
                 f"<body>{units}</body></tmx>")


def test_build_exports_termbase_with_curated_glossary(tmp_path: Path) -> None:
    from tmtool.formats.glossary_csv import read_glossary_csv
    from tmtool.formats.tbx import read_tbx

    curated = write(tmp_path, "curated.csv",
                    "fr-FR,en-GB,definition\n"
                    "rapport annuel,annual report,Report on a year of activity\n"
                    "blanchiment de capitaux,laundering of money,\n")
    tbx, csv_out = tmp_path / "out.tbx", tmp_path / "out.csv"
    r = CliRunner().invoke(main, ["glossary", "build", "--tmx", str(_tmx(tmp_path)),
                                  "--glossary", str(curated), "--no-store",
                                  "-o", str(tbx), "-o", str(csv_out)])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"{tbx}: ") and lines[1].startswith(f"{csv_out}: ")
    for entries in (list(read_tbx(tbx)), list(read_glossary_csv(csv_out))):
        assert [t.text for t in entries[0].terms] == ["rapport annuel", "annual report"]
        assert entries[0].definition == "Report on a year of activity"
        # the curated equivalent wins over the one found in the text
        texts = {t.text for e in entries for t in e.terms}
        assert "laundering of money" in texts and "money laundering" not in texts
        assert len(entries) > 2 and entries[2].confidence is not None
        assert {t.lang for e in entries for t in e.terms} == {"fr-FR", "en-GB"}
    assert str(tmp_path) not in tbx.read_text(encoding="utf-8")  # sources by file name


def test_build_export_errors(tmp_path: Path) -> None:
    tmx = _tmx(tmp_path)
    bad = tmp_path / "out.txt"
    r = CliRunner().invoke(main, ["glossary", "build", "--tmx", str(tmx), "--no-store",
                                  "-o", str(bad)])
    assert r.exit_code == 1
    assert r.output.strip() == f"Error: {bad}: the output must end in .tbx, .csv or .tsv"
    assert not bad.exists()
    missing = tmp_path / "missing.csv"
    r = CliRunner().invoke(main, ["glossary", "build", "--tmx", str(tmx), "--no-store",
                                  "--glossary", str(missing), "-o", str(tmp_path / "x.tbx")])
    assert r.exit_code == 1
    assert r.output.strip() == f"Error: {missing}: no such file"


def test_a_build_that_fails_writes_nothing(tmp_path: Path) -> None:
    """An output that cannot be written is found before any other output or the store is
    touched: a failed command changes nothing."""
    tmx, ok, db = _tmx(tmp_path), tmp_path / "ok.tbx", tmp_path / "tm.db"
    unwritable = tmp_path / "missing" / "x.csv"
    for args in (["--no-store", "-o", str(ok), "-o", str(unwritable)],
                 ["--db", str(db), "-o", str(unwritable)]):
        r = CliRunner().invoke(main, ["glossary", "build", "--tmx", str(tmx), *args])
        assert r.exit_code == 1
        assert r.stderr == f"Error: {unwritable}: cannot write: No such file or directory\n"
        assert not ok.exists() and not db.exists()
    (tmp_path / "not-a-store.db").write_text("hello\n")
    r = CliRunner().invoke(main, ["glossary", "build", "--tmx", str(tmx), "-o", str(ok),
                                  "--db", str(tmp_path / "not-a-store.db")])
    assert r.exit_code == 1 and "not a tmtool store" in r.stderr and not ok.exists()


def test_build_and_extract_read_other_encodings(tmp_path: Path) -> None:
    fr, en = tmp_path / "doc.fr.txt", tmp_path / "doc.en.txt"
    fr.write_bytes("Les garanties de sécurité sont prêtes.\n".encode("cp1252"))
    en.write_bytes(b"The security guarantees are ready.\n")
    r = CliRunner().invoke(main, ["glossary", "build", str(fr), str(en), "--no-store"])
    assert r.exit_code == 1 and "--encoding" in r.stderr  # the error names the way out
    r = CliRunner().invoke(main, ["glossary", "build", str(fr), str(en), "--no-store",
                                  "--encoding", "cp1252"])
    assert r.exit_code == 0 and "garanties de sécurité = security guarantees" in r.stdout
    r = CliRunner().invoke(main, ["glossary", "extract", str(fr), "--lang", "fr", "--limit", "5",
                                  "--encoding", "cp1252"])
    assert r.exit_code == 0 and "sécurité" in r.stdout
