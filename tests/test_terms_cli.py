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
    lines = r.output.splitlines()
    assert len(lines) == 3
    assert "Zelensky" in lines
    r = CliRunner().invoke(main, ["glossary", "extract", str(f), "--lang", "fr"])
    assert 3 < len(r.output.splitlines()) < 200


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
