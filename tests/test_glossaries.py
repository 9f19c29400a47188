"""The bundled glossaries: the curated source and the termbase built from corpora/ with it.

The built files (TBX and CSV) must be what ``python scripts/build_glossaries.py`` writes from
the current corpus and code, hold the seed terms, keep the curated entries as written, and
validate as TBX-Basic.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from seed_pairs import SEED_PAIRS

from tmtool.bitext import glossary_pairs
from tmtool.cli import main
from tmtool.formats.glossary_csv import read_glossary_csv
from tmtool.formats.tbx import read_tbx
from tmtool.model import TermEntry

ROOT = Path(__file__).resolve().parents[1]
GLOSSARIES = ROOT / "glossaries"
CURATED = GLOSSARIES / "ukraine-security.curated.csv"
BUILT_TBX = GLOSSARIES / "ukraine-security.tbx"
BUILT_CSV = GLOSSARIES / "ukraine-security.csv"



def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_glossaries",
                                                  ROOT / "scripts" / "build_glossaries.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pairs(entries: list[TermEntry]) -> set[tuple[str, str]]:
    return {(f.text, e.text) for x in entries for f in x.terms for e in x.terms
            if f.lang.startswith("fr") and e.lang.startswith("en")}


# -- the curated source -----------------------------------------------------------------------


def test_curated_glossary_imports_and_finds_inflected_forms(tmp_path: Path) -> None:
    db = str(tmp_path / "g.db")
    runner = CliRunner()
    result = runner.invoke(main, ["glossary", "import", str(CURATED), "--db", db])
    assert result.exit_code == 0, result.output
    assert "20 entries (20 new, 0 merged)" in result.output
    result = runner.invoke(main, ["glossary", "lookup", "garantie de securite", "--db", db,
                                  "--format", "json", "--no-fuzzy"])
    assert result.exit_code == 0, result.output
    assert "security guarantees" in result.output


def test_glossary_pairs_from_csv_with_language_columns() -> None:
    pairs = glossary_pairs(str(CURATED), "fr", "en")
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
    assert runner.invoke(main, ["glossary", "import", str(CURATED), "--db", db]).exit_code == 0
    result = runner.invoke(main, ["glossary", "export", "-o", str(tbx), "--db", db])
    assert result.exit_code == 0, result.output
    assert set(glossary_pairs(str(tbx), "fr", "en")) == set(glossary_pairs(str(CURATED)))


# -- the built termbase ----------------------------------------------------------------------


def test_built_termbase_is_up_to_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fails when the corpus, the curated glossary or the code changed without
    ``python scripts/build_glossaries.py`` being rerun."""
    monkeypatch.chdir(ROOT)
    commands = _script().commands(tmp_path)
    assert commands, "no corpus pair found in corpora/"
    for args in commands:
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
    for built in (BUILT_TBX, BUILT_CSV):
        fresh = tmp_path / built.name
        assert fresh.read_bytes() == built.read_bytes(), (
            f"{built.relative_to(ROOT)} is out of date: run python scripts/build_glossaries.py")


def test_built_files_hold_no_date_and_no_local_path() -> None:
    """A rerun on another day or in another checkout writes the same bytes."""
    for built in (BUILT_TBX, BUILT_CSV):
        text = built.read_text(encoding="utf-8-sig")
        assert "<date>" not in text and str(ROOT) not in text
        assert "ukraine-security.fr.txt" in text  # sources are named, relative to corpora/


@pytest.mark.parametrize("fr, en", SEED_PAIRS)
def test_seed_pairs_are_in_both_built_files(fr: str, en: str) -> None:
    assert (fr, en) in _pairs(list(read_tbx(BUILT_TBX)))
    assert (fr, en) in _pairs(list(read_glossary_csv(BUILT_CSV)))


def test_built_termbase_keeps_curated_entries_first_and_adds_the_corpus() -> None:
    curated = list(read_glossary_csv(CURATED))
    built = list(read_tbx(BUILT_TBX))
    assert len(built) > len(curated) + 20  # the corpus adds pairs of its own
    for mine, theirs in zip(curated, built, strict=False):
        assert [t.text for t in mine.terms] == [t.text for t in theirs.terms]
        assert (mine.definition, mine.subject) == (theirs.definition, theirs.subject)
    # curated equivalents win over what the corpus suggests ("pertes" = "casualties")
    pertes = [e for e in built if any(t.text == "pertes" for t in e.terms)]
    assert len(pertes) == 1 and {t.text for t in pertes[0].terms} == {"pertes", "casualties"}
    # one column per language: the curated tags are used for the built entries too
    assert {t.lang for e in built for t in e.terms} == {"fr-FR", "en-GB"}
    # built entries carry their corpus context and confidence
    extra = built[len(curated):]
    assert all(e.confidence is not None and all(t.context for t in e.terms) for e in extra)


def test_built_tbx_is_valid_tbx_core_structure(shared: Path) -> None:
    """The core RNG. The TBX-Basic Schematron takes the better part of a minute, so it runs
    with the regeneration (``python scripts/build_glossaries.py --validate``) instead."""
    from lxml import etree

    rng = etree.RelaxNG(etree.parse(str(shared / "schemas" / "tbx" / "core_rng" /
                                        "TBXcoreStructV03.rng")))
    doc = etree.parse(str(BUILT_TBX), etree.XMLParser(resolve_entities=False, no_network=True))
    assert rng.validate(doc), rng.error_log


def test_the_library_builds_the_same_termbase(tmp_path: Path) -> None:
    """``glossary_from_documents`` then ``write_termbase`` is ``glossary build --glossary -o``."""
    from tmtool.termbase import read_file
    from tmtool.terms.build import glossary_from_documents, write_termbase
    from tmtool.textio import read_text

    fr = ROOT / "corpora" / "ukraine-security.fr.txt"
    en = ROOT / "corpora" / "ukraine-security.en.txt"
    built = glossary_from_documents(read_text(fr), read_text(en), curated=read_file(CURATED),
                                    fr_name=fr, en_name=en)
    write_termbase(built.entries, tmp_path / "built.tbx", title=built.title)
    assert (tmp_path / "built.tbx").read_bytes() == BUILT_TBX.read_bytes()
    assert built.pairs and _pairs(built.entries[:20]) == _pairs(list(read_file(CURATED)))


def test_a_swapped_document_gives_a_warning_from_the_library() -> None:
    from tmtool.errors import TmtoolWarning
    from tmtool.terms.build import glossary_from_documents
    from tmtool.textio import read_text

    fr = read_text(ROOT / "corpora" / "ukraine-security.fr.txt")
    en = read_text(ROOT / "corpora" / "ukraine-security.en.txt")
    with pytest.warns(TmtoolWarning) as record:
        glossary_from_documents(en, fr, fr_name="en.txt", en_name="fr.txt")
    assert [str(w.message).split(":")[0] for w in record] == [
        "en.txt reads as en, not fr", "fr.txt reads as fr, not en"]
