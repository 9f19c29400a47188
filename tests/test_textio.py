"""Outputs are never half-written, and writing never replaces what the path really is."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from tmtool.errors import InputError
from tmtool.formats.tmx import write_tmx
from tmtool.model import TranslationUnit, Variant
from tmtool.textio import atomic_output

UNIT = TranslationUnit(variants=(Variant("fr-FR", "Bonjour."), Variant("en-GB", "Hello.")))


def test_new_file_gets_the_content_and_the_usual_mode(tmp_path: Path) -> None:
    out = tmp_path / "new.txt"
    with atomic_output(out, encoding="utf-8") as f:
        f.write("é\n")
    assert out.read_text(encoding="utf-8") == "é\n"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["new.txt"]


def test_failed_write_keeps_the_old_file_and_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "kept.tmx"
    out.write_bytes(b"old")
    os.chmod(out, 0o640)
    with pytest.raises(RuntimeError), atomic_output(out) as f:
        f.write(b"half")
        raise RuntimeError("stopped")
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.tmx"]
    with atomic_output(out) as f:
        f.write(b"new")
    assert out.read_bytes() == b"new"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640  # a replaced file keeps its mode


def test_symlink_stays_a_link_and_its_target_is_written(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "memory.tmx"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.tmx"
    link.symlink_to(real)
    assert write_tmx(link, [UNIT], srclang="fr-FR") == 1
    assert link.is_symlink()
    assert "Bonjour." in real.read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["memory.tmx"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipe_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_tmx(fifo, [UNIT], srclang="fr-FR")
    reader.join(timeout=10)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert b"<seg>Bonjour.</seg>" in got[0]


def test_folder_or_missing_folder_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"), atomic_output(tmp_path):
        pass
    with pytest.raises(InputError, match="cannot write"), \
            atomic_output(tmp_path / "missing" / "x.tmx"):
        pass


def test_standard_input_reads_as_a_file_does() -> None:
    from click.testing import CliRunner

    from tmtool.cli import main

    result = CliRunner().invoke(main, ["segment", "-", "--lang", "fr"],
                                input="Il a signé. Le contrat est valide.\n".encode("utf-16"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["Il a signé.", "Le contrat est valide."]
    result = CliRunner().invoke(main, ["segment", "-", "--lang", "fr"], input=b"")
    assert result.exit_code == 1 and result.stderr == "Error: -: file is empty\n"


def test_a_soft_line_break_separates_words(tmp_path: Path) -> None:
    from tmtool.textio import read_text

    doc = tmp_path / "word-export.txt"
    doc.write_bytes("Le chat\vdort.\r\nIl rêve.\n".encode())
    assert read_text(doc) == "Le chat dort.\nIl rêve.\n"


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="no /dev/stdout here")
def test_dev_stdout_writes_where_the_shell_points_it(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = ("import sys; from tmtool.textio import atomic_output\n"
            "with atomic_output('/dev/stdout', encoding='utf-8') as f: f.write('NEW\\n')")
    piped = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=False, timeout=60)
    assert (piped.returncode, piped.stdout) == (0, "NEW\n"), piped.stderr
    log = tmp_path / "log.txt"
    log.write_text("OLD\n", encoding="utf-8")
    with log.open("a", encoding="utf-8") as appended:  # the shell's >> log.txt
        subprocess.run([sys.executable, "-c", code], stdout=appended, check=True, timeout=60)
    assert log.read_text(encoding="utf-8") == "OLD\nNEW\n"
    assert not log.is_symlink() and len(list(tmp_path.iterdir())) == 1


def test_a_sqlite_database_is_never_written_over(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "tmtool.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x)")
    before = db.read_bytes()
    with pytest.raises(InputError, match="is a SQLite database"), atomic_output(db) as f:
        f.write(b"<tmx/>")
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tmtool.db"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_one_clear_error() -> None:
    with pytest.raises(InputError, match="/dev/full: cannot write: No space left"):
        write_tmx("/dev/full", [UNIT] * 2000, srclang="fr-FR")


def test_an_error_while_writing_leaves_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "kept.tmx"
    out.write_bytes(b"old")
    with pytest.raises(InputError, match="kept.tmx: cannot write: No space left on device"), \
            atomic_output(out) as f:
        f.write(b"half")
        raise OSError(28, "No space left on device")
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.tmx"]


def test_check_writable_says_what_atomic_output_would(tmp_path: Path) -> None:
    from tmtool.textio import check_writable

    check_writable(tmp_path / "new.tmx")
    check_writable("-")
    for bad, why in ((tmp_path, "is a directory"),
                     (tmp_path / "no" / "x.tmx", "No such file or directory")):
        with pytest.raises(InputError, match=why):
            check_writable(bad)
        with pytest.raises(InputError, match=why), atomic_output(bad) as f:
            f.write(b"x")


def test_a_utf8_file_read_with_a_one_byte_encoding_gives_a_warning(tmp_path: Path) -> None:
    """--encoding serves both files of a command: the UTF-8 one would be garbled silently."""
    from tmtool.errors import TmtoolWarning
    from tmtool.textio import read_text

    utf8, latin = tmp_path / "en.txt", tmp_path / "fr.txt"
    utf8.write_text("Élysée.\n", encoding="utf-8")
    latin.write_text("Élysée.\n", encoding="cp1252")
    with pytest.warns(TmtoolWarning, match="en.txt: read as cp1252 .* but it is valid UTF-8"):
        assert read_text(utf8, "cp1252") == "Ã‰lysÃ©e.\n"
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_text(latin, "cp1252") == "Élysée.\n"
        assert read_text(utf8, "utf-8") == "Élysée.\n"


def test_a_read_only_file_is_not_replaced() -> None:
    """A file its owner made read-only is refused, as writing it in place would be, though
    the folder would let the temporary file be renamed over it."""
    from click.testing import CliRunner
    from users import as_plain_user, shared_folder

    from tmtool.cli import main
    from tmtool.textio import check_writable

    with shared_folder() as folder:
        folder.chmod(0o777)  # anyone may make and rename files here
        out = folder / "signed-off.tmx"
        out.write_bytes(b"approved")
        out.chmod(0o444)
        (folder / "fr.txt").write_text("Bonjour.\n", encoding="utf-8")
        (folder / "en.txt").write_text("Hello.\n", encoding="utf-8")

        align = ["align", str(folder / "fr.txt"), str(folder / "en.txt"), "-o"]
        warm = CliRunner().invoke(main, [*align, str(folder / "warm.tmx")])  # its imports
        assert warm.exit_code == 0, warm.output
        (folder / "warm.tmx").unlink()

        def write() -> list[str]:
            said = []
            for attempt in (lambda: check_writable(out), lambda: atomic_output(out).__enter__()):
                try:
                    attempt()
                    said.append("written")
                except InputError as e:
                    said.append(str(e))
            result = CliRunner().invoke(main, [*align, str(out)])
            said.append(f"{result.exit_code} {result.output.strip()}")
            return said

        assert as_plain_user(write) == [f"{out}: cannot write: Permission denied"] * 2 + [
            f"1 Error: {out}: cannot write: Permission denied"]
        assert out.read_bytes() == b"approved"
        assert sorted(p.name for p in folder.iterdir()) == ["en.txt", "fr.txt", "signed-off.tmx"]
