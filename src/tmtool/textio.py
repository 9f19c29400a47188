"""User files: reading text (BOM and encoding detection, clear errors, never a traceback) and
writing any output so that it is never left half-written."""

from __future__ import annotations

import codecs
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from .errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def sniff_encoding(data: bytes) -> tuple[str | None, int]:
    """Encoding announced by a BOM, or guessed for BOM-less UTF-16; and the BOM length."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    head = data[:200]
    if len(head) >= 4:
        # BOM-less UTF-16: every other byte is NUL in mostly-Latin text
        even_nul = head[0::2].count(0)
        odd_nul = head[1::2].count(0)
        half = len(head) // 2
        if odd_nul > half * 0.6 and even_nul < half * 0.1:
            return "utf-16-le", 0
        if even_nul > half * 0.6 and odd_nul < half * 0.1:
            return "utf-16-be", 0
    return None, 0


def read_text(path: str | os.PathLike[str], encoding: str | None = None) -> str:
    """Read a whole text file (``-``: standard input) as str with ``\\n`` line ends.

    Raises InputError naming the file when it is missing, a directory, empty, binary or not in
    the expected encoding (UTF-8 unless a BOM or ``encoding`` says otherwise).
    """
    if str(path) == "-":  # standard input, as a pipe gives it
        return decode_bytes(sys.stdin.buffer.read(), "-", encoding)
    p = Path(path)
    if not p.exists():
        raise InputError(str(path), "no such file")
    if p.is_dir():
        raise InputError(str(path), "is a directory, not a file")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(str(path), f"cannot read: {e.strerror or e}") from e
    return decode_bytes(data, str(path), encoding)


def decode_bytes(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode file bytes as ``read_text`` does; ``name`` is used in error messages."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError as e:
            raise InputError(name, f"unknown encoding {encoding!r}") from e
        enc, skip = encoding, 0
        if encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig"):
            enc, skip = "utf-8", len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    else:
        sniffed, skip = sniff_encoding(data)
        enc = sniffed or "utf-8"
    body = data[skip:]
    if not body.strip():
        raise InputError(name, "file is empty")
    if enc == "utf-8" and b"\x00" in body[:8192]:
        raise InputError(name, "looks like a binary file, not text")
    try:
        text = body.decode(enc)
    except UnicodeDecodeError as e:
        line = body[: e.start].count(b"\n") + 1
        raise InputError(
            name,
            f"line {line}: not valid {enc.upper()} (byte 0x{body[e.start]:02x}); "
            "give the right one with --encoding",
        ) from e
    if _looks_binary(text):
        raise InputError(name, "looks like a binary file, not text")
    if not text.strip():
        raise InputError(name, "file is empty")
    if encoding and not codecs.lookup(enc).name.startswith("utf") and not body.isascii():
        _warn_if_utf8(body, name, encoding)
    # A vertical tab is the line break Word keeps inside a paragraph: between two words.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\v", " ")


def _warn_if_utf8(body: bytes, name: str, encoding: str) -> None:
    """One ``--encoding`` serves both files of a command: a UTF-8 file read as cp1252 turns
    "é" into "Ã©" without any error. Text in a one-byte encoding is almost never valid UTF-8."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return
    import warnings

    from .errors import TmtoolWarning

    warnings.warn(TmtoolWarning(
        f"{name}: read as {encoding} (--encoding), but it is valid UTF-8: its accented "
        f"letters are likely garbled (é read as Ã©)"), stacklevel=4)


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    ctrl = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return ctrl > max(2, len(sample) // 100)


@contextmanager
def atomic_output(path: str | os.PathLike[str], *, encoding: str | None = None,
                  newline: str | None = None) -> Iterator[IO[Any]]:
    """A file object writing ``path``, binary unless ``encoding`` is given.

    A regular file is written as a temporary file beside it, renamed over it once complete:
    when writing fails, nothing is left behind and an existing file is kept as it was. A
    symbolic link is followed (the file it points to is replaced, the link stays), and a
    device or named pipe (``/dev/null``, a FIFO) is written to directly, never replaced by a
    regular file. A SQLite database (a store) is never written over. Raises InputError when
    the path cannot be written.
    """
    name = os.fspath(path)
    st = _output_stat(name)
    if st is not None and (not stat.S_ISREG(st.st_mode)
                           or os.path.abspath(name).startswith(("/dev/", "/proc/"))):
        # A pipe, a device, or /dev/stdout and the like (which may lead to a file the shell
        # opened for appending): written where it leads, in append mode, never replaced.
        try:
            special = open(name, "a" if encoding else "ab",  # noqa: SIM115
                           encoding=encoding, newline=newline)
        except OSError as e:
            raise InputError(name, f"cannot write: {e.strerror or e}") from e
        try:
            with special:
                yield special
        except OSError as e:  # /dev/full, a closed pipe
            raise InputError(name, f"cannot write: {e.strerror or e}") from e
        return
    target = os.path.realpath(name)
    if st is not None:
        _refuse_store(name, target)
        _refuse_read_only(name, target)
    mode = "w" if encoding else "wb"
    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target),
                                   prefix=f".{os.path.basename(target)}.", suffix=".part")
    except OSError as e:
        raise InputError(name, f"cannot write: {e.strerror or e}") from e
    try:
        try:
            with os.fdopen(fd, mode, encoding=encoding, newline=newline) as f:
                yield f
        except OSError as e:  # a full disk, a quota, an I/O error: while writing or closing
            raise InputError(name, f"cannot write: {e.strerror or e}") from e
        try:
            os.chmod(tmp, st.st_mode & 0o7777 if st else 0o666 & ~_umask())
            os.replace(tmp, target)
        except OSError as e:
            raise InputError(name, f"cannot write: {e.strerror or e}") from e
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def check_writable(path: str | os.PathLike[str]) -> None:
    """Raise the InputError ``atomic_output`` would raise for ``path``, before a long job (or
    another of the command's outputs) is done for nothing."""
    name = os.fspath(path)
    if name == "-":
        return
    st = _output_stat(name)
    if st is not None and not stat.S_ISREG(st.st_mode):
        return  # a device or a pipe: written through
    target = os.path.realpath(name)
    if st is not None:
        _refuse_store(name, target)
        _refuse_read_only(name, target)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise InputError(name, "cannot write: No such file or directory")
    if not may_write(folder):
        raise InputError(name, "cannot write: Permission denied")


def _output_stat(name: str) -> os.stat_result | None:
    """What an output path leads to (links followed; None: nothing yet), refusing a folder."""
    try:
        st = os.stat(name)
    except FileNotFoundError:
        return None
    except OSError as e:
        raise InputError(name, f"cannot write: {e.strerror or e}") from e
    if stat.S_ISDIR(st.st_mode):
        raise InputError(name, "cannot write: is a directory")
    return st


def _refuse_store(name: str, target: str) -> None:
    """Refuse to write over a SQLite database: "-o tmtool.db" for "-o tmtool.tmx", a typo,
    would cost the whole memory."""
    try:
        with open(target, "rb") as f:
            is_sqlite = f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return
    if is_sqlite:
        raise InputError(name, "is a SQLite database (a store?); refusing to write over it")


def _refuse_read_only(name: str, target: str) -> None:
    """Refuse to replace a file its owner made read-only, as writing it in place would: the
    rename that keeps a failed write from leaving half a file needs only the folder's
    permission, and would otherwise replace it."""
    if not may_write(target):
        raise InputError(name, "cannot write: Permission denied")


def may_write(path: str | os.PathLike[str]) -> bool:
    """Whether this process, as the user it acts as, may write to ``path`` (a file, or a
    folder: make files in it)."""
    mode = os.W_OK | os.X_OK if os.path.isdir(path) else os.W_OK
    return os.access(path, mode, effective_ids=os.access in os.supports_effective_ids)


def _umask() -> int:
    """The process's file creation mask (a new output gets the mode ``open`` would give it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022
