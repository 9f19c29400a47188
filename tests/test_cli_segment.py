"""``tmtool segment``: output formats, exit codes and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tmtool.cli import main

DATA = Path(__file__).resolve().parent / "data" / "segment"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["segment", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_text_format_is_one_sentence_per_line(lang: str) -> None:
    code, out = run(str(DATA / f"sample.{lang}.txt"), "--lang", lang)
    assert code == 0
    assert out == (DATA / f"sample.{lang}.sents").read_text(encoding="utf-8")


def test_json_format_offsets_index_the_file_text() -> None:
    path = DATA / "sample.fr.txt"
    code, out = run(str(path), "--lang", "fr", "--format", "json")
    assert code == 0
    records = json.loads(out)
    text = path.read_text(encoding="utf-8")
    assert [r["text"] for r in records] == (DATA / "sample.fr.sents").read_text(
        encoding="utf-8"
    ).splitlines()
    for r in records:
        assert set(r) == {"text", "start", "end", "para"}
        assert text[r["start"] : r["end"]] == r["text"]
    assert records[0]["para"] == 0 and records[-1]["para"] == 2


def test_tsv_format(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text("Il pleut. Nous restons.\n\nTitre\n", encoding="utf-8")
    code, out = run(str(path), "--lang", "fr", "--format", "tsv")
    assert code == 0
    assert out.splitlines() == [
        "para\tstart\tend\ttext",
        "0\t0\t9\tIl pleut.",
        "0\t10\t23\tNous restons.",
        "1\t25\t30\tTitre",
    ]


def test_multi_line_segment_prints_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text("A sentence wrapped over\ntwo lines.\n", encoding="utf-8")
    code, out = run(str(path), "--lang", "en")
    assert code == 0
    assert out == "A sentence wrapped over two lines.\n"


def test_encoding_option(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Le café est prêt. Il est chaud.\n".encode("latin-1"))
    code, out = run(str(path), "--lang", "fr", "--encoding", "latin-1")
    assert code == 0
    assert out == "Le café est prêt.\nIl est chaud.\n"


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("Hello there. Bye now.\n".encode("utf-16"))
    code, out = run(str(path), "--lang", "en")
    assert code == 0
    assert out == "Hello there.\nBye now.\n"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    code, out = run(str(path), "--lang", "fr")
    assert code == 1
    assert out == f"Error: {path}: no such file\n"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    code, out = run(str(path), "--lang", "en")
    assert code == 1
    assert out == f"Error: {path}: file is empty\n"


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    code, out = run(str(path), "--lang", "en")
    assert code == 1
    assert out == f"Error: {path}: looks like a binary file, not text\n"


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Le café.\n".encode("latin-1"))
    code, out = run(str(path), "--lang", "fr")
    assert code == 1
    assert out == (
        f"Error: {path}: line 1: not valid UTF-8 (byte 0xe9); give the right one with --encoding\n"
    )


def test_directory_is_an_input_error(tmp_path: Path) -> None:
    code, out = run(str(tmp_path), "--lang", "fr")
    assert code == 1
    assert out == f"Error: {tmp_path}: is a directory, not a file\n"


def test_unknown_encoding(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text("Hello.\n", encoding="utf-8")
    code, out = run(str(path), "--lang", "en", "--encoding", "klingon")
    assert code == 1
    assert out == f"Error: {path}: unknown encoding 'klingon'\n"


def test_language_is_required_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text("Hallo.\n", encoding="utf-8")
    code, out = run(str(path))
    assert code == 2 and "Missing option '--lang'" in out
    code, out = run(str(path), "--lang", "de")
    assert code == 2 and "Invalid value for '--lang'" in out


def test_reference_numbers_and_control_characters_end_sentences(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text(
        "La clause figure à l'art. 5. Elle oblige chaque allié.\n\n"
        "Voir p. 12. Tout y est.\n\n"
        "Il a signé.\x01 Le contrat est valide.\n",
        encoding="utf-8",
    )
    code, out = run(str(path), "--lang", "fr")
    assert code == 0
    assert out.splitlines() == [
        "La clause figure à l'art. 5.",
        "Elle oblige chaque allié.",
        "Voir p. 12.",
        "Tout y est.",
        "Il a signé.\x01",
        "Le contrat est valide.",
    ]


def test_vertical_tab_reads_as_a_space(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    path.write_text("Le chat\x0bdort. Il rêve.\n", encoding="utf-8")
    code, out = run(str(path), "--lang", "fr")
    assert code == 0
    assert out == "Le chat dort.\nIl rêve.\n"


def test_keep_quotations_keeps_a_reported_quotation_in_one_segment(tmp_path: Path) -> None:
    doc = tmp_path / "quote.fr.txt"
    quote = "« Nous ne céderons pas. C'est hors de question », a déclaré le ministre."
    doc.write_text(f"{quote} Il est reparti.\n", encoding="utf-8")
    code, out = run(str(doc), "--lang", "fr", "--keep-quotations")
    assert code == 0 and out.splitlines() == [quote, "Il est reparti."]
    code, out = run(str(doc), "--lang", "fr")
    assert code == 0 and len(out.splitlines()) == 3  # by default, as treebanks cut them


def test_text_output_puts_a_wrapped_sentence_on_one_line() -> None:
    result = CliRunner().invoke(main, ["segment", "-", "--lang", "fr"],
                                input="Une hausse de 5\u00a0%\nen un an. Puis\r\nune baisse.\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["Une hausse de 5\u00a0% en un an.", "Puis une baisse."]
