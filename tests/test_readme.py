"""The README's Python examples run as written, one after another, as a reader would."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DATA = Path(__file__).resolve().parent / "data"


def _python_blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"),
                      flags=re.S | re.M)


def test_the_readme_has_python_examples_for_each_part() -> None:
    blocks = "\n".join(_python_blocks())
    for call in ("align_texts", "import_tmx", "lookup(store", "concordance(store",
                 "export_tmx", "glossary_from_documents", "find_in_text"):
        assert call in blocks, call


def test_the_readme_python_examples_run(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # the files the examples name, as a reader would have them
    shutil.copy(ROOT / "corpora" / "ukraine-security.fr.txt", tmp_path / "fr.txt")
    shutil.copy(ROOT / "corpora" / "ukraine-security.en.txt", tmp_path / "en.txt")
    shutil.copy(DATA / "tm" / "memory.tmx", tmp_path / "export.tmx")
    shutil.copy(ROOT / "glossaries" / "ukraine-security.curated.csv", tmp_path / "curated.csv")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "readme"}
    for block in _python_blocks():
        exec(compile(block, str(README), "exec"), namespace)  # noqa: S102 - the docs' own code
    shown = capsys.readouterr().out
    assert "security guarantees" in shown  # a term lookup found the curated entry
    # a fuzzy match, its penalty and its translation
    assert "86.5% ('tags',) 1. The exact content of the security guarantees" in shown
    for made in ("out.tmx", "fr-en.tmx", "terms.tbx", "terms.csv", "tmtool.db"):
        assert (tmp_path / made).stat().st_size > 0, made
    assert not os.path.exists(tmp_path / "tmtool.db-wal")  # every store was closed
