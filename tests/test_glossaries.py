"""The bundled glossary is a real termbase: it imports, looks up, exports, and guides alignment."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tmtool.bitext import glossary_pairs
from tmtool.cli import main

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "glossaries" / "ukraine-security.csv"


def test_bundled_glossary_imports_and_finds_inflected_forms(tmp_path: Path) -> None:
    db = str(tmp_path / "g.db")
    runner = CliRunner()
    result = runner.invoke(main, ["glossary", "import", str(GLOSSARY), "--db", db])
    assert result.exit_code == 0, result.output
    assert "20 entries (20 new, 0 merged)" in result.output
    result = runner.invoke(main, ["glossary", "lookup", "garantie de securite", "--db", db,
                                  "--format", "json", "--no-fuzzy"])
    assert result.exit_code == 0, result.output
    assert "security guarantees" in result.output


def test_glossary_pairs_from_csv_with_language_columns() -> None:
    pairs = glossary_pairs(str(GLOSSARY), "fr", "en")
    assert ("garanties de sécurité", "security guarantees") in pairs
    assert ("OTAN", "NATO") in pairs and ("OTAN", "North Atlantic Treaty Organization") in pairs
    assert all(fr != "ceasefire" for fr, _ in pairs)


def test_glossary_pairs_from_bare_two_columns(tmp_path: Path) -> None:
    path = tmp_path / "bare.tsv"
    path.write_text("cessez-le-feu\tceasefire\narticle 5\tArticle 5\n", encoding="utf-8")
    assert glossary_pairs(str(path)) == [("cessez-le-feu", "ceasefire"), ("article 5", "Article 5")]


def test_glossary_pairs_from_tbx(tmp_path: Path) -> None:
    db = str(tmp_path / "g.db")
    tbx = tmp_path / "g.tbx"
    runner = CliRunner()
    assert runner.invoke(main, ["glossary", "import", str(GLOSSARY), "--db", db]).exit_code == 0
    result = runner.invoke(main, ["glossary", "export", "-o", str(tbx), "--db", db])
    assert result.exit_code == 0, result.output
    assert set(glossary_pairs(str(tbx), "fr", "en")) == set(glossary_pairs(str(GLOSSARY)))
